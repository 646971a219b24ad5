import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Which file a path led to when the store opened it (device and inode), so that a database
/// replaced or deleted under a running store is noticed before a write goes to the old file.
struct FileIdentity: Sendable, Equatable {
    let device: UInt64
    let inode: UInt64

    /// The identity of the file at `path`, or nil when there is none.
    init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
    }

    /// An error when `path` no longer leads to this file.
    func checkStillAt(_ path: String) -> StoreError? {
        guard let now = FileIdentity(path: path) else {
            return StoreError(
                .replaced,
                "the database file was deleted while the server had it open; nothing more is written to it. Restore it (or let a restart create a new one) and restart",
                path: path)
        }
        guard now == self else {
            return StoreError(
                .replaced,
                "the database file was replaced while the server had it open; nothing more is written to the old one. Restart to serve the new file",
                path: path)
        }
        return nil
    }
}
