import Foundation
import Logging
import Server
import ServerTestSupport
import Store
import TestSupport

/// A fresh on-disk store in a temporary directory (real SQLite, WAL, FULL sync).
func withStore<Result: Sendable>(_ body: @Sendable (SQLiteStore) async throws -> Result) async throws -> Result {
    try await withTemporaryDirectory { directory in
        var logger = Logger(label: "test.store")
        logger.logLevel = .critical
        let store = try SQLiteStore.open(directory: directory, logger: logger)
        return try await body(store)
    }
}

extension LineConnection {
    /// Sends one JSON request and returns the next non-delta response as a dictionary.
    func request(_ object: [String: Any]) async throws -> [String: Any] {
        try await send(String(decoding: JSONSerialization.data(withJSONObject: object), as: UTF8.self))
        return try await response()
    }

    /// The next JSON response that is not a `delta`.
    func response() async throws -> [String: Any] {
        while let line = try await readLine() {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            if object["type"] as? String != "delta" { return object }
        }
        throw HarnessError("connection closed before a response")
    }

    /// Reads text-mode lines up to (not including) the empty line that ends an answer.
    func textAnswer() async throws -> [String] {
        var lines: [String] = []
        while let line = try await readLine() {
            if line.isEmpty { return lines }
            lines.append(line)
        }
        throw HarnessError("connection closed in the middle of an answer: \(lines)")
    }
}
