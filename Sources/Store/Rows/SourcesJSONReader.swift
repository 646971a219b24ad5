import Foundation
import SupportCore

/// Reads the sources arrays the store itself writes (`JSONText.sources`): an array of flat
/// objects whose values are strings or numbers. Markdown exports and history reads decode one
/// per bot message, and this is several times cheaper than `JSONDecoder`. Anything outside
/// that shape returns nil, and callers fall back to `JSONDecoder`.
struct SourcesJSONReader {
    private let bytes: [UInt8]
    private var index = 0

    /// The sources in `text`, or nil when it is not the expected shape.
    static func read(_ text: String) -> [SourceRef]? {
        var reader = SourcesJSONReader(bytes: Array(text.utf8))
        return reader.readArray()
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    private mutating func readArray() -> [SourceRef]? {
        guard consume(UInt8(ascii: "[")) else { return nil }
        var sources = [SourceRef]()
        if consume(UInt8(ascii: "]")) { return finished(sources) }
        repeat {
            guard let source = readObject() else { return nil }
            sources.append(source)
        } while consume(UInt8(ascii: ","))
        guard consume(UInt8(ascii: "]")) else { return nil }
        return finished(sources)
    }

    private mutating func finished(_ sources: [SourceRef]) -> [SourceRef]? {
        skipWhitespace()
        return index == bytes.count ? sources : nil
    }

    private mutating func readObject() -> SourceRef? {
        guard consume(UInt8(ascii: "{")) else { return nil }
        var strings = [String: String]()
        var score: Double?
        if !consume(UInt8(ascii: "}")) {
            repeat {
                guard let key = readString(), consume(UInt8(ascii: ":")) else { return nil }
                skipWhitespace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "\"") {
                    guard let value = readString() else { return nil }
                    strings[key] = value
                } else {
                    guard let value = readNumber() else { return nil }
                    if key == "score" { score = value }
                }
            } while consume(UInt8(ascii: ","))
            guard consume(UInt8(ascii: "}")) else { return nil }
        }
        guard let id = strings["id"], let title = strings["title"], let file = strings["file"], let score else {
            return nil
        }
        return SourceRef(id: id, title: title, file: file, score: score, url: strings["url"])
    }

    private mutating func readString() -> String? {
        guard consume(UInt8(ascii: "\"")) else { return nil }
        var scalars = String.UnicodeScalarView()
        var pendingHigh: UInt32?
        var start = index
        var out = [UInt8]()
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                out.append(contentsOf: bytes[start..<index])
                index += 1
                scalars.append(contentsOf: String(decoding: out, as: UTF8.self).unicodeScalars)
                return pendingHigh == nil ? String(scalars) : nil
            }
            guard byte == UInt8(ascii: "\\") else {
                if byte < 0x20 || pendingHigh != nil { return nil }
                index += 1
                continue
            }
            out.append(contentsOf: bytes[start..<index])
            index += 1
            guard index < bytes.count else { return nil }
            let escape = bytes[index]
            index += 1
            var scalar: UInt32
            switch escape {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scalar = UInt32(escape)
            case UInt8(ascii: "n"): scalar = 10
            case UInt8(ascii: "r"): scalar = 13
            case UInt8(ascii: "t"): scalar = 9
            case UInt8(ascii: "b"): scalar = 8
            case UInt8(ascii: "f"): scalar = 12
            case UInt8(ascii: "u"):
                guard index + 4 <= bytes.count,
                    let value = UInt32(String(decoding: bytes[index..<index + 4], as: UTF8.self), radix: 16)
                else { return nil }
                index += 4
                scalar = value
            default:
                return nil
            }
            if let high = pendingHigh {
                guard (0xDC00...0xDFFF).contains(scalar) else { return nil }
                scalar = 0x10000 + ((high - 0xD800) << 10) + (scalar - 0xDC00)
                pendingHigh = nil
            } else if (0xD800...0xDBFF).contains(scalar) {
                pendingHigh = scalar
                start = index
                continue
            }
            guard let unicode = Unicode.Scalar(scalar) else { return nil }
            scalars.append(contentsOf: String(decoding: out, as: UTF8.self).unicodeScalars)
            out.removeAll(keepingCapacity: true)
            scalars.append(unicode)
            start = index
        }
        return nil
    }

    private mutating func readNumber() -> Double? {
        let start = index
        while index < bytes.count, (48...57).contains(bytes[index]) || [43, 45, 46, 69, 101].contains(bytes[index]) {
            index += 1
        }
        guard index > start else { return nil }
        return Double(String(decoding: bytes[start..<index], as: UTF8.self))
    }

    private mutating func consume(_ byte: UInt8) -> Bool {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    private mutating func skipWhitespace() {
        while index < bytes.count, [9, 10, 13, 32].contains(bytes[index]) {
            index += 1
        }
    }
}
