import Foundation
import Logging
import Store

/// A directory under the system temp folder, unique per test, removed when released.
final class TemporaryDirectory: Sendable {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("store-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    /// Path of `name` inside the directory.
    func path(_ name: String) -> String {
        url.appendingPathComponent(name).path
    }

    deinit {
        try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
        try? FileManager.default.removeItem(at: url)
    }
}

/// A logger that stays quiet unless something is badly wrong.
func quietLogger() -> Logger {
    var logger = Logger(label: "store-tests")
    logger.logLevel = .critical
    return logger
}

/// A file's bytes (nil when it does not exist), to prove a file was not modified.
func fileDigest(_ path: String) -> Data? {
    FileManager.default.contents(atPath: path)
}

/// A user+bot pair like the assistant appends.
func pair(_ question: String, _ answer: String, sources: [SourceRef] = []) -> [NewMessage] {
    [
        NewMessage(role: .user, text: question),
        NewMessage(
            role: .bot, text: answer, intent: "order_status", confidence: 0.875, route: sources.isEmpty ? "canned" : "faq",
            sources: sources, latencyMicros: 1500),
    ]
}
