import Foundation

/// A directory unique to one test under the system temporary folder, removed (permissions
/// restored first) when the value goes away. The one temporary-folder helper of every test
/// target.
public final class TemporaryDirectory: Sendable {
    /// The directory.
    public let url: URL

    /// Creates the directory; `label` names it for whoever looks in the temporary folder.
    public init(_ label: String = "supportbot-tests") throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("\(label)-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
        try? FileManager.default.removeItem(at: url)
    }

    /// The URL of `name` inside the directory (not created).
    public func file(_ name: String) -> URL { url.appendingPathComponent(name) }

    /// The path of `name` inside the directory (not created).
    public func path(_ name: String) -> String { file(name).path }

    /// Writes `contents` at `path` (subfolders created), atomically by default: a temporary
    /// file renamed into place, so a folder watcher never sees half a file. `atomically: false`
    /// writes in place, as an editor saving over a file does.
    @discardableResult
    public func write(_ path: String, _ contents: String, atomically: Bool = true) throws -> URL {
        try write(path, Data(contents.utf8), atomically: atomically)
    }

    /// Writes `data` at `path` (subfolders created), atomically by default.
    @discardableResult
    public func write(_ path: String, _ data: Data, atomically: Bool = true) throws -> URL {
        let file = url.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: file, options: atomically ? .atomic : [])
        return file
    }

    /// A subfolder (created) of this one.
    public func folder(_ path: String) throws -> URL {
        let folder = url.appendingPathComponent(path, isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// Removes `path` inside the directory.
    public func remove(_ path: String) throws {
        try FileManager.default.removeItem(at: url.appendingPathComponent(path))
    }

    /// Renames `path` to `newPath` inside the directory.
    public func move(_ path: String, to newPath: String) throws {
        try FileManager.default.moveItem(at: url.appendingPathComponent(path), to: url.appendingPathComponent(newPath))
    }
}

/// Runs `body` with a fresh temporary directory, removed after it returns.
public func withTemporaryDirectory<Result>(_ body: (URL) async throws -> Result) async throws -> Result {
    let directory = try TemporaryDirectory()
    return try await body(directory.url)
}

/// Polls `condition` every 10 ms until it holds or `timeout` passes (an upper bound for
/// waiting, never a measured duration); returns whether it held. Tests use it for "eventually
/// visible" checks instead of asserting times.
public func eventually(timeout: Duration = .seconds(30), _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return try await condition()
}

/// The repository root, found from this file's location (for tests that read `intents/`,
/// `faqs/` or `models/`).
public let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
