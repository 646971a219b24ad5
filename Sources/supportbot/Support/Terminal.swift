import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writing to the terminal: progress bars on a TTY, periodic plain lines otherwise, colours
/// only when the stream is a terminal and `NO_COLOR` is unset.
enum Terminal {
    static let stderrIsTTY = isatty(STDERR_FILENO) == 1
    static let stdoutIsTTY = isatty(STDOUT_FILENO) == 1
    static let colours = stdoutIsTTY && ProcessInfo.processInfo.environment["NO_COLOR"] == nil

    /// Writes a line to standard error.
    static func note(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }

    /// Writes a line to standard output and flushes it (pipe-friendly).
    static func output(_ line: String) {
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }

    static func paint(_ text: String, _ code: String) -> String {
        colours ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }
}

/// A progress display for long work: a redrawn bar on a TTY, a line every few seconds otherwise.
final class ProgressReporter: @unchecked Sendable {
    private let title: String
    private let total: Int
    private let lock = NSLock()
    private var lastLine = Date.distantPast
    private let interval: TimeInterval

    init(title: String, total: Int, interval: TimeInterval = 5) {
        self.title = title
        self.total = max(total, 1)
        self.interval = interval
    }

    /// Reports `done` of `total` with a short status text.
    func update(_ done: Int, status: String = "") {
        lock.lock()
        defer { lock.unlock() }
        let fraction = min(1, Double(done) / Double(total))
        if Terminal.stderrIsTTY {
            let width = 30
            let filled = Int(fraction * Double(width))
            let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
            FileHandle.standardError.write(Data("\r\u{1B}[2K\(title) \(bar) \(done)/\(total) \(status)".utf8))
            if done >= total { FileHandle.standardError.write(Data("\n".utf8)) }
        } else if Date().timeIntervalSince(lastLine) >= interval || done >= total {
            lastLine = Date()
            Terminal.note("\(title): \(done)/\(total) (\(Int(fraction * 100))%) \(status)")
        }
    }
}
