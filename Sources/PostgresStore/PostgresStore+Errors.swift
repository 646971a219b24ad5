import NIOSSL
import PostgresNIO
import Store

extension PostgresStore {
    /// `error` as a `StoreError`: lost or refused connections become `unavailable` (callers tell
    /// clients to retry), constraint and encoding errors `invalid_argument`, a full disk
    /// `disk_full`, a deadlock `busy`, anything else `database` with the server's message.
    static func storeError(_ error: any Error, operation: String) -> StoreError {
        if let error = error as? StoreError { return error }
        if let error = error as? PostgresTransactionError {
            // The first thing that went wrong: BEGIN, the body, or COMMIT.
            if let inner = error.beginError ?? error.closureError ?? error.commitError ?? error.rollbackError {
                return storeError(inner, operation: operation)
            }
        }
        if let error = error as? PSQLError {
            if error.code == .server, let info = error.serverInfo {
                let state = info[.sqlState] ?? ""
                let message = "\(operation) failed: \(info[.message] ?? "server error") (SQLSTATE \(state))"
                switch state {
                case "22021", "22P05", "23502", "23514", "22001":
                    return StoreError(.invalidArgument, message)
                case "23505":
                    return StoreError(.alreadyExists, message)
                case "53100":
                    return StoreError(.diskFull, message)
                case "40P01", "40001", "55P03":
                    return StoreError(.busy, message)
                case _ where state.hasPrefix("57P") || state.hasPrefix("08") || state == "53300":
                    return StoreError(.unavailable, message)
                case "28P01", "28000", "3D000":
                    return StoreError(.cannotOpen, message)
                default:
                    return StoreError(.database, message)
                }
            }
            if let underlying = error.underlying, underlying is NIOSSLError || "\(underlying)".contains("handshake") {
                return storeError(underlying, operation: operation)
            }
            switch error.code {
            case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed,
                .queryCancelled:
                return StoreError(.unavailable, "\(operation) failed: the database is unreachable (\(error.code))")
            case .sslUnsupported:
                return StoreError(.cannotOpen, "\(operation) failed: the database server does not offer TLS; use sslmode=disable")
            default:
                return StoreError(.database, "\(operation) failed: \(error.code)")
            }
        }
        if error is NIOSSLError || "\(error)".contains("handshake") {
            return StoreError(
                .cannotOpen,
                "\(operation) failed: TLS to the database failed (\(error)); check sslmode, and sslrootcert for a private CA")
        }
        if error is CancellationError {
            return StoreError(.unavailable, "\(operation) was cancelled")
        }
        let text = "\(error)"
        if text.contains("connect") || text.contains("Connection") || text.contains("refused") {
            return StoreError(.unavailable, "\(operation) failed: the database is unreachable (\(text))")
        }
        return StoreError(.database, "\(operation) failed: \(text)")
    }
}
