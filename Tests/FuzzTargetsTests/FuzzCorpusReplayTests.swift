import Foundation
import FuzzTargets
import Testing

/// Every seed in `Fuzz/Corpus/<target>/`, crash reproducers included, through its fuzz target, so
/// that `make test` re-runs every input that ever broke a parser. A target traps on a bad input
/// (that is how libFuzzer notices), so a regression stops the test process with the seed's
/// target named in the trap message.
@Suite("Fuzz corpus replay")
struct FuzzCorpusReplayTests {
    /// `Fuzz/` at the repository root, found from this file's location.
    static let fuzzFolder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz")

    @Test("every seed runs through its target without trapping", arguments: FuzzTarget.all.map(\.name))
    func replay(name: String) throws {
        // Given the target and its seed folder, which must exist and hold seeds
        let target = try #require(FuzzTarget.named(name))
        let folder = Self.fuzzFolder.appendingPathComponent("Corpus/\(name)")
        let seeds = try Self.files(in: folder)
        try #require(!seeds.isEmpty, "no seeds in \(folder.path)")

        // When each seed runs, then nothing traps
        for seed in seeds {
            target.run(Array(try Data(contentsOf: seed)))
        }
    }

    @Test("each target has its executable in Package.swift and Fuzz/, its C main and its seeds; no folder is left over")
    func layout() throws {
        // Given the folders under Fuzz/, the C file defining each executable's main and the manifest
        let folders = try FileManager.default.contentsOfDirectory(atPath: Self.fuzzFolder.path)
            .filter { !$0.hasPrefix(".") && $0 != "Main" && $0 != "Corpus" }
        let mains = try String(contentsOf: Self.fuzzFolder.appendingPathComponent("Main/FuzzMain.c"), encoding: .utf8)
        let manifest = try String(
            contentsOf: Self.fuzzFolder.deletingLastPathComponent().appendingPathComponent("Package.swift"), encoding: .utf8)
        let marker = try #require(manifest.range(of: "// MARK: Fuzzing"), "Package.swift has no MARK: Fuzzing block")
        let fuzzingBlock = manifest[marker.upperBound...]
        let corpora = try FileManager.default.contentsOfDirectory(atPath: Self.fuzzFolder.appendingPathComponent("Corpus").path)
            .filter { !$0.hasPrefix(".") }
        let names = FuzzTarget.all.map(\.name)

        // Then they match the targets one for one
        #expect(Set(folders) == Set(names))
        #expect(Set(corpora) == Set(names))
        for name in names {
            let source = Self.fuzzFolder.appendingPathComponent("\(name)/Fuzz\(name).swift")
            #expect(FileManager.default.fileExists(atPath: source.path), "missing \(source.path)")
            #expect(mains.contains("FUZZ_MAIN(Fuzz\(name))"), "Fuzz/Main/FuzzMain.c does not define Fuzz\(name)_main")
            #expect(fuzzingBlock.contains("\"\(name)\""), "Package.swift does not list \(name) under MARK: Fuzzing")
        }
    }

    /// The regular files of `folder`, hidden ones skipped, in name order.
    static func files(in folder: URL) throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: [.isRegularFileKey])
            .filter { !$0.lastPathComponent.hasPrefix(".") }
            .filter { (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }
}
