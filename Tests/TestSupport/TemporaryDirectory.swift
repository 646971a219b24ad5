import Foundation

/// A fresh directory under the system temporary folder, removed after `body` returns.
public func withTemporaryDirectory<Result>(
    _ body: (URL) async throws -> Result
) async rethrows -> Result {
    let directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("supportbot-tests-\(UUID().uuidString)", isDirectory: true)
    try! FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    return try await body(directory)
}

/// The repository root, found from this file's location (for tests that read `intents/`,
/// `faqs/` or `models/`).
public let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
