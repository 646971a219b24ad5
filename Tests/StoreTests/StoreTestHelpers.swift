import Foundation
import Logging
import Store
import SupportCore

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
