import Foundation
import GRDB
import SupportCore
import TestSupport
import Testing

@testable import Store

@Suite("Bad input at the state path")
struct BadInputTests {
    /// Makes a store at `path` with one conversation of two pairs; returns the conversation.
    static func populate(_ path: String) async throws -> ConversationID {
        let store = try SQLiteStore(path: path, logger: quietLogger())
        let conversation = try await store.createConversation(client: "acme", metadata: nil).id
        _ = try await store.append(pair("q1", "a1"), to: conversation)
        _ = try await store.append(pair("q2", "a2"), to: conversation)
        return conversation
    }

    /// Opening `path` must fail with `code`, leaving the file's bytes as they were.
    static func expectOpenFails(_ path: String, with code: StoreError.Code) throws -> StoreError? {
        let before = fileDigest(path)
        let error = #expect(throws: StoreError.self) { _ = try SQLiteStore(path: path, logger: quietLogger()) }
        #expect(error?.code == code, "\(String(describing: error))")
        #expect(error?.path == path)
        #expect(fileDigest(path) == before, "the file was modified")
        return error
    }

    @Test("a file that is not SQLite is refused untouched")
    func garbageFile() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("supportbot.sqlite")
        let garbage = Data(String(repeating: "this is not a database, only text.\n", count: 300).utf8)
        #expect(FileManager.default.createFile(atPath: path, contents: garbage))
        _ = try Self.expectOpenFails(path, with: .notADatabase)
        #expect(FileManager.default.contents(atPath: path) == garbage)
    }

    @Test("another program's SQLite database is refused untouched")
    func foreignDatabase() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("supportbot.sqlite")
        try DatabaseQueue(path: path).write { db in
            try db.execute(sql: "CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('keep me')")
        }
        _ = try Self.expectOpenFails(path, with: .foreignSchema)
        let notes = try DatabaseQueue(path: path).read { db in try String.fetchAll(db, sql: "SELECT body FROM notes") }
        #expect(notes == ["keep me"])
    }

    @Test("a database migrated by a newer binary is refused untouched")
    func newerSchema() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("supportbot.sqlite")
        let conversation = try await Self.populate(path)
        try await DatabaseQueue(path: path).write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-from-the-future')")
        }
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
        let error = try Self.expectOpenFails(path, with: .newerSchema)
        #expect(error?.message.contains("v99-from-the-future") == true)
        // The read-only check left no -wal or -shm file behind
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
        #expect(!FileManager.default.fileExists(atPath: path + "-shm"))
        let count = try await DatabaseQueue(path: path).read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM messages WHERE conversation_id = ?", arguments: [conversation.rawValue])
        }
        #expect(count == 4)
    }

    @Test("a directory at the database path is refused")
    func directoryAtPath() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("supportbot.sqlite")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false)
        _ = try Self.expectOpenFails(path, with: .cannotOpen)
    }

    @Test("a read-only state directory is refused untouched (checked by a process without root's rights)")
    func readOnlyDirectory() async throws {
        // Given: a populated store whose directory and file are then made read-only
        let directory = try TemporaryDirectory()
        let path = directory.path("supportbot.sqlite")
        let conversation = try await Self.populate(path)
        let before = fileDigest(path)
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: path)
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: directory.url.path)
        // When: the helper opens it (as user nobody when the tests run as root)
        let stderrPath = FileManager.default.temporaryDirectory.appendingPathComponent("ro-\(UUID().uuidString).txt").path
        defer { try? FileManager.default.removeItem(atPath: stderrPath) }
        let helper = try CrashWriterProcess(arguments: ["open", path], stderrPath: stderrPath)
        try await helper.waitForEndOfOutput()
        helper.process.waitUntilExit()
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.url.path)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        // Then: a clear read-only error, and the data is as it was
        let stderr = (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? ""
        #expect(helper.lines == ["error read_only"], "\(stderr)")
        #expect(stderr.contains("not writable"))
        #expect(fileDigest(path) == before)
        let store = try SQLiteStore(path: path, logger: quietLogger())
        #expect(try await store.messages(conversation: conversation).count == 4)
    }

    @Test("a database file replaced or deleted while the store runs: writes are refused with replaced, none acknowledged is lost")
    func replacedWhileRunning() async throws {
        for deleted in [false, true] {
            // Given: a running store with acknowledged messages
            let directory = try TemporaryDirectory()
            let path = directory.path("supportbot.sqlite")
            let conversation = try await Self.populate(path)
            let store = try SQLiteStore(path: path, logger: quietLogger())
            _ = try await store.append(pair("q3", "a3"), to: conversation)
            // When: the file is moved away (and another put in its place) or deleted
            try FileManager.default.moveItem(atPath: path, toPath: path + ".moved")
            if !deleted { try Data("placeholder".utf8).write(to: URL(fileURLWithPath: path)) }
            // Then: appends and other writes are refused, saying what happened
            let append = await #expect(throws: StoreError.self) { _ = try await store.append(pair("q4", "a4"), to: conversation) }
            #expect(append?.code == .replaced)
            #expect(append?.message.contains(deleted ? "deleted" : "replaced") == true)
            let create = await #expect(throws: StoreError.self) { _ = try await store.createClient(name: "late", role: .customer) }
            #expect(create?.code == .replaced)
            // And: the file that took the acknowledged writes holds every one of them
            for suffix in ["-wal", "-shm"] where FileManager.default.fileExists(atPath: path + suffix) {
                try FileManager.default.moveItem(atPath: path + suffix, toPath: path + ".moved" + suffix)
            }
            let moved = try SQLiteStore(path: path + ".moved", logger: quietLogger())
            #expect(try await moved.messages(conversation: conversation).map(\.seq) == Array(1...6))
        }
    }

    @Test("little free space where the database lives is a start-up warning saying what to do")
    func lowDiskSpace() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("supportbot.sqlite")
        let warning = try #require(SQLiteStore.lowDiskSpaceWarning(path: path, minimumFreeBytes: .max))
        #expect(warning.contains("free space there"))
        #expect(SQLiteStore.lowDiskSpaceWarning(path: path, minimumFreeBytes: 0) == nil)
    }

    @Test("a read-only copy of a state folder opens read-only: its messages can be read, writes are refused, nothing is changed")
    func readOnlyCopy() async throws {
        // Given: a populated store, closed cleanly, whose folder and file are then made read-only
        let directory = try TemporaryDirectory()
        let path = directory.path("supportbot.sqlite")
        let conversation = try await Self.populate(path)
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
        let before = fileDigest(path)
        try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: path)
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: directory.url.path)
        defer {
            try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.url.path)
            try? FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        }
        // When: a process without root's rights opens it read-only and then tries to write
        let stderrPath = FileManager.default.temporaryDirectory.appendingPathComponent("ro-\(UUID().uuidString).txt").path
        defer { try? FileManager.default.removeItem(atPath: stderrPath) }
        let helper = try CrashWriterProcess(arguments: ["open-read-only", path, conversation.rawValue], stderrPath: stderrPath)
        try await helper.waitForEndOfOutput()
        helper.process.waitUntilExit()
        // Then: it reads every message, its write is refused as read-only, and no byte changed
        let stderr = (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? ""
        #expect(helper.lines == ["ok 4", "write error read_only"], "\(stderr)")
        #expect(fileDigest(path) == before)
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
    }

    @Test("a full disk fails the append with diskFull and loses nothing acknowledged")
    func diskFull() async throws {
        // Given: a populated store reopened with room for only a few more pages
        let directory = try TemporaryDirectory()
        let path = directory.path("supportbot.sqlite")
        let conversation = try await Self.populate(path)
        let pages = try await DatabaseQueue(path: path).read { db in try Int.fetchOne(db, sql: "PRAGMA page_count") ?? 0 }
        let store = try SQLiteStore(
            path: path, configuration: StoreConfiguration(maxPageCount: pages + 4), logger: quietLogger())
        // When: large pairs are appended until the disk is "full"
        let text = String(repeating: "a long customer message. ", count: 200)
        var acknowledged = 4
        var failure: StoreError?
        for _ in 0..<100 {
            do {
                _ = try await store.append(pair(text, text), to: conversation)
                acknowledged += 2
            } catch let error as StoreError {
                failure = error
                break
            }
        }
        // Then: the error says so, and exactly the acknowledged messages are stored
        #expect(failure?.code == .diskFull, "\(String(describing: failure))")
        #expect(failure?.path == path)
        #expect(try await store.messages(conversation: conversation).map(\.seq) == Array(1...acknowledged))
        #expect(try await store.integrityCheck() == ["ok"])
        // And: once there is room again, the next append succeeds and the write-ahead log,
        // grown while the disk was full, is checkpointed and truncated
        try await store.write("lift the limit") { db in try db.execute(sql: "PRAGMA max_page_count = 1073741823") }
        #expect(try await store.append(pair("room", "again"), to: conversation).count == 2)
        acknowledged += 2
        #expect(await store.groupCommitStatistics().checkpointsAfterDiskFull == 1)
        let walSize = try FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int
        #expect(walSize == 0)
        // And: a new process appends too
        let reopened = try SQLiteStore(path: path, logger: quietLogger())
        #expect(
            try await reopened.append(pair("after", "ok"), to: conversation).map(\.seq) == [acknowledged + 1, acknowledged + 2])
    }
}
