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
