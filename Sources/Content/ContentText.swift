import Foundation

/// Turns the raw bytes of one content file into text, refusing what is not a text file, so that
/// every parser starts from the same checks and reports them the same way.
package enum ContentText {
    /// The UTF-8 byte order mark some editors write at the start of a file.
    static let byteOrderMark: [UInt8] = [0xEF, 0xBB, 0xBF]

    /// Checks, in order: empty, NUL bytes (binary), invalid UTF-8, whitespace only. A leading
    /// UTF-8 BOM is skipped. Returns the text without the BOM.
    package static func decode(_ data: Data, file: String) throws(ContentError) -> String {
        var bytes = [UInt8](data)
        if bytes.starts(with: byteOrderMark) { bytes.removeFirst(byteOrderMark.count) }
        if bytes.isEmpty {
            throw ContentError(.emptyFile, at: SourceLocation(file: file), "the file is empty")
        }
        if let nul = bytes.firstIndex(of: 0) {
            throw ContentError(
                .binaryFile, at: SourceLocation(file: file, line: line(ofByteOffset: nul, in: bytes)),
                "the file contains a NUL byte; it looks like a binary file, not text")
        }
        if let bad = firstInvalidUTF8Offset(bytes) {
            throw ContentError(
                .invalidUTF8, at: SourceLocation(file: file, line: line(ofByteOffset: bad, in: bytes)),
                "the file is not valid UTF-8 (bad byte at offset \(bad)); save it as UTF-8")
        }
        let text = String(decoding: bytes, as: UTF8.self)
        if text.allSatisfy(\.isWhitespace) {
            throw ContentError(.emptyFile, at: SourceLocation(file: file), "the file contains only whitespace")
        }
        return text
    }

    /// 1-based line of a byte offset: one more than the number of `\n` before it.
    static func line(ofByteOffset offset: Int, in bytes: some Collection<UInt8>) -> Int {
        bytes.prefix(max(0, offset)).reduce(1) { $1 == UInt8(ascii: "\n") ? $0 + 1 : $0 }
    }

    /// Offset of the first byte that does not start or continue a valid UTF-8 sequence.
    static func firstInvalidUTF8Offset(_ bytes: [UInt8]) -> Int? {
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let scalar):
                offset += scalar.count
            case .error:
                return offset
            case .emptyInput:
                return nil
            }
        }
    }

    /// Splits text into lines on `\n`, `\r\n` or a lone `\r`, keeping empty lines, so that
    /// index + 1 is the line number an editor shows.
    static func lines(_ text: String) -> [Substring] {
        text.split(omittingEmptySubsequences: false) { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }
    }
}
