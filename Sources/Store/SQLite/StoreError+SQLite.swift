import Foundation
import GRDB

extension StoreError {
    /// Converts any error thrown by GRDB or the store into a `StoreError` naming the operation
    /// and the database path. A `StoreError` passes through unchanged.
    static func wrapping(_ error: any Error, operation: String, path: String?) -> StoreError {
        if let error = error as? StoreError {
            return error
        }
        guard let error = error as? DatabaseError else {
            return StoreError(.io, "\(operation) failed: \(error)", path: path)
        }
        let detail = error.message ?? "\(error.resultCode)"
        switch error.resultCode {
        case .SQLITE_NOTADB:
            return StoreError(.notADatabase, "\(operation): the file is not an SQLite database", path: path)
        case .SQLITE_CORRUPT:
            return StoreError(.corrupt, "\(operation): the database is corrupt (\(detail))", path: path)
        case .SQLITE_FULL:
            return StoreError(.diskFull, "\(operation): the disk or database is full; nothing was written", path: path)
        case .SQLITE_READONLY:
            return StoreError(.readOnly, "\(operation): the database cannot be written (\(detail))", path: path)
        case .SQLITE_CANTOPEN:
            return StoreError(.cannotOpen, "\(operation): the database cannot be opened (\(detail))", path: path)
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return StoreError(.busy, "\(operation): the database stayed locked by another connection (\(detail))", path: path)
        case .SQLITE_IOERR:
            return StoreError(.io, "\(operation): I/O error (\(detail))", path: path)
        default:
            return StoreError(.database, "\(operation): \(detail)", path: path)
        }
    }
}
