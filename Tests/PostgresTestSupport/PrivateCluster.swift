import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A PostgreSQL cluster of one test's own (`scripts/postgres-cluster`), for tests that crash or
/// restart the server and so must not share the suite-wide cluster.
public final class PrivateCluster: Sendable {
    /// `postgres://supportbot@127.0.0.1:PORT/supportbot`.
    public let url: String
    private let directory: String
    private static let script = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("scripts/postgres-cluster").path

    private init(url: String, directory: String) {
        self.url = url
        self.directory = directory
    }

    /// The CA certificate of a cluster started with `tls`.
    public var certificateAuthorityPath: String { directory + "/ca.crt" }

    /// initdb and start on a free loopback port (a few seconds); with `tls`, the server also
    /// accepts TLS with a certificate for 127.0.0.1 signed by `certificateAuthorityPath`.
    public static func start(tls: Bool = false) throws -> PrivateCluster {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("supportbot-pg-\(UUID().uuidString)").path
        let url = try run(["start", directory], tls: tls).trimmingCharacters(in: .whitespacesAndNewlines)
        return PrivateCluster(url: url, directory: directory)
    }

    /// Crashes the server (immediate shutdown), keeps it down `seconds`, starts it again.
    public func restart(down seconds: Int) throws {
        _ = try Self.run(["restart", directory, "\(seconds)"])
    }

    /// Stops the server and deletes its folder.
    public func stop() {
        _ = try? Self.run(["stop", directory])
    }

    /// Runs the script with posix_spawn and waits with waitpid. Foundation's `Process` is not
    /// used: inside the test process its `waitUntilExit` never returned once the script had
    /// started a server (which inherits the script's descriptors).
    private static func run(_ arguments: [String], tls: Bool = false) throws -> String {
        let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("pg-cluster-\(UUID()).out").path
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        let argv = ([script] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid = pid_t()
        let environment = ProcessInfo.processInfo.environment.merging(["SUPPORTBOT_PG_TLS": tls ? "1" : "0"]) { $1 }
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { envp.forEach { free($0) } }
        let spawned = posix_spawn(&pid, script, &actions, nil, argv, envp)
        guard spawned == 0 else {
            throw PrivateClusterError("cannot run \(script): error \(spawned)")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 {
            guard errno == EINTR else { throw PrivateClusterError("waitpid failed: errno \(errno)") }
        }
        // WIFEXITED and WEXITSTATUS, spelled out (the macros are not imported into Swift).
        guard status & 0x7f == 0, (status >> 8) & 0xff == 0 else {
            throw PrivateClusterError("scripts/postgres-cluster \(arguments.joined(separator: " ")) failed (status \(status))")
        }
        return String(decoding: FileManager.default.contents(atPath: outputPath) ?? Data(), as: UTF8.self)
    }
}

/// `scripts/postgres-cluster` failed (its message went to standard error).
public struct PrivateClusterError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
