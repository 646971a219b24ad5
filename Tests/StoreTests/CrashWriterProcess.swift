import Foundation

/// Runs the `store-crash-writer` helper executable (built next to the test bundle) and
/// collects its stdout lines as they arrive.
final class CrashWriterProcess: @unchecked Sendable {
    struct NotFound: Error, CustomStringConvertible {
        var searched: [String]
        var description: String { "store-crash-writer not found in \(searched)" }
    }

    let process = Process()
    private let lock = NSLock()
    private var buffer = [UInt8]()
    private var finished = false

    /// The helper binary: in the directory of the running test bundle or one of its parents'
    /// build directories.
    static func executableURL() throws -> URL {
        var directories = [URL]()
        if let main = Bundle.main.executableURL {
            directories.append(main.deletingLastPathComponent())
        }
        directories.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent())
        directories += Bundle.allBundles.map { $0.bundleURL.deletingLastPathComponent() }
        for directory in directories {
            let candidate = directory.appendingPathComponent("store-crash-writer")
            if FileManager.default.isExecutableFile(atPath: candidate.path) {
                return candidate
            }
        }
        throw NotFound(searched: directories.map(\.path))
    }

    init(arguments: [String], stderrPath: String) throws {
        process.executableURL = try Self.executableURL()
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        process.standardError = FileHandle(forWritingAtPath: stderrPath)
        try process.run()
        let reader = pipe.fileHandleForReading
        let thread = Thread { [self] in
            while true {
                let data = reader.availableData
                lock.lock()
                if data.isEmpty {
                    finished = true
                    lock.unlock()
                    return
                }
                buffer.append(contentsOf: data)
                lock.unlock()
            }
        }
        thread.start()
    }

    /// The complete lines received so far (a trailing partial line is left out).
    var lines: [String] {
        lock.lock()
        defer { lock.unlock() }
        guard let lastNewline = buffer.lastIndex(of: UInt8(ascii: "\n")) else { return [] }
        return String(decoding: buffer[..<lastNewline], as: UTF8.self).split(separator: "\n").map(String.init)
    }

    /// Whether stdout reached end of file (the process exited or was killed).
    var isFinished: Bool {
        lock.lock()
        defer { lock.unlock() }
        return finished
    }

    /// Waits until stdout is closed, polling without blocking the caller's thread.
    func waitForEndOfOutput() async throws {
        while !isFinished {
            try await Task.sleep(for: .milliseconds(5))
        }
    }
}
