/// One fuzz target: a name and an entry point that feeds arbitrary bytes to one of our real
/// parsers. The name is also the target's seed folder (`Fuzz/Corpus/<name>/`) and, with `Fuzz`
/// in front, its libFuzzer executable (`Fuzz<name>`, built by `scripts/fuzz`).
///
/// An entry point must never trap on any input: parsers may refuse what they are given (their
/// errors are caught and ignored). It traps only when a parser breaks an invariant checked here,
/// so that libFuzzer reports the input that broke it.
public struct FuzzTarget: Sendable {
    /// The target's name, e.g. `JSONLine`.
    public let name: String
    /// Runs one input through the parser.
    public let run: @Sendable ([UInt8]) -> Void

    /// A target named `name` running `run`.
    public init(name: String, run: @escaping @Sendable ([UInt8]) -> Void) {
        self.name = name
        self.run = run
    }

    /// Every target. Each also needs its executable (see `Package.swift`, "Fuzzing").
    public static let all: [FuzzTarget] = [
        .jsonLine, .textMode, .intents, .faqYAML, .faqMarkdown, .faqJSON, .faqCSV, .conversationScript, .redactor,
        .safeTensors,
    ]

    /// The target called `name`, if there is one.
    public static func named(_ name: String) -> FuzzTarget? {
        all.first { $0.name == name }
    }

    /// libFuzzer's `LLVMFuzzerTestOneInput`: runs the `size` bytes at `data` and returns 0 (the
    /// only value libFuzzer accepts). Each fuzz executable forwards its entry point here.
    public func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
        run(Array(UnsafeBufferPointer(start: data, count: size)))
        return 0
    }
}

/// Stops the process when a parser breaks an invariant, so libFuzzer saves the input; the
/// message names the target and the broken invariant.
func invariant(_ condition: @autoclosure () -> Bool, _ target: String, _ message: @autoclosure () -> String) {
    if !condition() {
        fatalError("\(target): \(message())")
    }
}
