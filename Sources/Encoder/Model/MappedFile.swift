import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A whole file mapped read-only into memory, unmapped when the last reference goes away.
/// Weights are read straight from the mapping, so loading costs no copy and the pages are shared
/// with the page cache.
///
/// `@unchecked Sendable`: the mapping is `PROT_READ` and never changes after `init`, so sharing
/// the pointer across threads is safe.
final class MappedFile: @unchecked Sendable {
    /// Start of the mapping; `nil` only for an empty file.
    let base: UnsafeRawPointer?
    /// File size in bytes.
    let count: Int
    /// The file, for error messages.
    let url: URL

    init(url: URL) throws(EncoderError) {
        self.url = url
        let fd = open(url.path, O_RDONLY)
        guard fd >= 0 else {
            let reason = String(cString: strerror(errno))
            if errno == ENOENT {
                throw EncoderError(.fileNotFound, "\(url.path) does not exist")
            }
            throw EncoderError(.unreadable, "cannot open \(url.path): \(reason)")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw EncoderError(.unreadable, "cannot stat \(url.path): \(String(cString: strerror(errno)))")
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw EncoderError(.unreadable, "\(url.path) is not a regular file")
        }
        count = Int(info.st_size)
        guard count > 0 else {
            base = nil
            return
        }
        let mapped = mmap(nil, count, PROT_READ, MAP_PRIVATE, fd, 0)
        guard let mapped, mapped != MAP_FAILED else {
            throw EncoderError(.unreadable, "cannot map \(url.path): \(String(cString: strerror(errno)))")
        }
        base = UnsafeRawPointer(mapped)
    }

    /// The mapped bytes (empty for an empty file).
    var bytes: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: base, count: count)
    }

    deinit {
        if let base {
            munmap(UnsafeMutableRawPointer(mutating: base), count)
        }
    }
}
