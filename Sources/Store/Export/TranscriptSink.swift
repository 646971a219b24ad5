import Foundation

/// Where a streamed export goes, chunk by chunk (about 64 KiB each), so that exports of any
/// size run in constant memory.
public protocol TranscriptSink: Sendable {
    /// Writes the next chunk of UTF-8 output.
    func write(_ chunk: [UInt8]) throws
}

/// A sink writing to an open file handle: a file created by `create(path:)`, or standard output.
public struct FileHandleSink: TranscriptSink {
    public let handle: FileHandle

    public init(_ handle: FileHandle) {
        self.handle = handle
    }

    /// Creates (or truncates) the file at `path` and returns a sink writing to it.
    public static func create(path: String) throws -> FileHandleSink {
        guard FileManager.default.createFile(atPath: path, contents: nil),
            let handle = FileHandle(forWritingAtPath: path)
        else {
            throw StoreError(.io, "cannot create the export file", path: path)
        }
        return FileHandleSink(handle)
    }

    public func write(_ chunk: [UInt8]) throws {
        do {
            try handle.write(contentsOf: chunk)
        } catch {
            throw StoreError(.io, "writing the export failed: \(error)")
        }
    }
}
