import Foundation
import Store

/// Where the PostgreSQL store connects and how it batches, reconnects and announces changes.
/// Every field except the server's address has a documented default.
public struct PostgresStoreConfiguration: Sendable, Hashable {
    /// Whether the connection to the database is encrypted.
    public enum TLSMode: String, Sendable, Hashable {
        /// Plain TCP (`sslmode=disable`). The default for loopback hosts.
        case disable
        /// TLS when the server offers it (`sslmode=prefer`), without checking its certificate.
        case prefer
        /// TLS required and the server's certificate verified against the system roots or
        /// `rootCertificatePath` (`sslmode=require`, `verify-ca`, `verify-full`).
        case require
    }

    public var host: String
    /// Default 5432.
    public var port: Int
    public var username: String
    public var password: String?
    /// Default: the user name, as libpq does.
    public var database: String
    /// Default `.disable` for loopback hosts and `.require` otherwise (`sslmode` overrides).
    public var tls: TLSMode
    /// A PEM file of CA certificates to verify the server with (`sslrootcert`). Default nil:
    /// the system's roots.
    public var rootCertificatePath: String?
    /// Pooled connections for queries and group-commit transactions. Default 8.
    public var maximumConnections: Int
    /// Group-commit transactions in flight at once; appends arriving meanwhile wait and share
    /// the next one. Default 4.
    public var concurrentCommits: Int
    /// Most appends one transaction carries. Default 256.
    public var maxBatch: Int
    /// Longest a call may take, waiting for a connection included, before it fails with
    /// `unavailable` (while the database is down, calls would otherwise wait for it). Default 5 s.
    public var operationTimeout: Duration
    /// How long opening the store keeps retrying an unreachable server. Default 30 s.
    public var startupTimeout: Duration
    /// Delay before the first reconnection attempt of the change listener; doubled after each
    /// failure up to `maximumReconnectDelay`. Default 100 ms.
    public var reconnectDelay: Duration
    /// Default 5 s.
    public var maximumReconnectDelay: Duration
    /// How message ids are minted. Default `.random`.
    public var messageIDs: MessageIDScheme
    /// This node's id in change announcements. Default: 16 random hex digits per process.
    public var nodeID: String
    /// Listen for other nodes' changes (the serving process). Default true; the operator
    /// commands turn it off.
    public var listens: Bool

    public init(
        host: String, port: Int = 5432, username: String, password: String? = nil, database: String? = nil,
        tls: TLSMode? = nil, rootCertificatePath: String? = nil, maximumConnections: Int = 8, concurrentCommits: Int = 4,
        maxBatch: Int = 256, operationTimeout: Duration = .seconds(5), startupTimeout: Duration = .seconds(30),
        reconnectDelay: Duration = .milliseconds(100),
        maximumReconnectDelay: Duration = .seconds(5), messageIDs: MessageIDScheme = .random,
        nodeID: String = PostgresStoreConfiguration.randomNodeID(), listens: Bool = true
    ) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
        self.database = database ?? username
        self.tls = tls ?? (Self.isLoopback(host) ? .disable : .require)
        self.rootCertificatePath = rootCertificatePath
        self.maximumConnections = max(2, maximumConnections)
        self.concurrentCommits = max(1, min(concurrentCommits, self.maximumConnections))
        self.maxBatch = max(1, maxBatch)
        self.startupTimeout = startupTimeout
        self.operationTimeout = operationTimeout
        self.reconnectDelay = reconnectDelay
        self.maximumReconnectDelay = maximumReconnectDelay
        self.messageIDs = messageIDs
        self.nodeID = nodeID
        self.listens = listens
    }

    /// 16 random lowercase hex digits.
    public static func randomNodeID() -> String {
        var generator = SystemRandomNumberGenerator()
        let text = String(generator.next() as UInt64, radix: 16)
        return String(repeating: "0", count: 16 - text.count) + text
    }

    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    /// The URL without its password, for logs and messages.
    public var redactedURL: String {
        let user = password == nil ? username : "\(username):***"
        return "postgres://\(user)@\(host):\(port)/\(database)"
    }
}

extension PostgresStoreConfiguration {
    /// Parses `postgres://user[:password]@host[:port]/database[?sslmode=…&sslrootcert=…]`
    /// (also `postgresql://`). Percent-escapes in the user, password and database are decoded.
    /// Throws `invalid_argument` naming what is wrong.
    public init(url text: String) throws {
        guard let components = URLComponents(string: text),
            let scheme = components.scheme?.lowercased(), scheme == "postgres" || scheme == "postgresql"
        else {
            throw StoreError(.invalidArgument, "'\(Self.redacting(text))' is not a postgres://user@host:port/database URL")
        }
        guard let host = components.host, !host.isEmpty else {
            throw StoreError(.invalidArgument, "the database URL names no host (postgres://user@HOST:5432/database)")
        }
        guard let user = components.user, !user.isEmpty else {
            throw StoreError(.invalidArgument, "the database URL names no user (postgres://USER@host:5432/database)")
        }
        let path = components.path.hasPrefix("/") ? String(components.path.dropFirst()) : components.path
        var tls: TLSMode?
        var rootCertificate: String?
        for item in components.queryItems ?? [] {
            switch item.name {
            case "sslmode":
                switch item.value ?? "" {
                case "disable": tls = .disable
                case "allow", "prefer": tls = .prefer
                case "require", "verify-ca", "verify-full": tls = .require
                default:
                    throw StoreError(
                        .invalidArgument,
                        "sslmode '\(item.value ?? "")' is not one of disable, prefer, require, verify-ca, verify-full")
                }
            case "sslrootcert":
                rootCertificate = item.value
            default:
                throw StoreError(.invalidArgument, "unknown database URL parameter '\(item.name)' (known: sslmode, sslrootcert)")
            }
        }
        self.init(
            host: host.hasPrefix("[") ? String(host.dropFirst().dropLast()) : host, port: components.port ?? 5432,
            username: components.user?.removingPercentEncoding ?? user,
            password: components.password?.removingPercentEncoding,
            database: path.isEmpty ? nil : (path.removingPercentEncoding ?? path), tls: tls,
            rootCertificatePath: rootCertificate)
    }

    /// `text` with any password replaced by `***`.
    static func redacting(_ text: String) -> String {
        guard var components = URLComponents(string: text), components.password != nil else { return text }
        components.password = "***"
        return components.string ?? text
    }
}
