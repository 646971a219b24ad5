import Foundation
import SupportCore

/// Hand-written JSON output into a byte buffer: exports write one message object per row, and
/// `JSONEncoder` per row would dominate their cost. Output is plain UTF-8 with the escapes
/// RFC 8259 requires (quote, backslash, control characters).
package enum JSONText {
    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    /// Appends `text` as a JSON string literal, quotes included.
    static func appendString(_ text: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): out.append(contentsOf: [92, 34])
            case UInt8(ascii: "\\"): out.append(contentsOf: [92, 92])
            case UInt8(ascii: "\n"): out.append(contentsOf: [92, UInt8(ascii: "n")])
            case UInt8(ascii: "\r"): out.append(contentsOf: [92, UInt8(ascii: "r")])
            case UInt8(ascii: "\t"): out.append(contentsOf: [92, UInt8(ascii: "t")])
            case 0..<0x20:
                out.append(contentsOf: [92, UInt8(ascii: "u"), 48, 48, hex[Int(byte >> 4)], hex[Int(byte & 15)]])
            default: out.append(byte)
            }
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Appends a string literal or `null`.
    static func appendOptionalString(_ text: String?, to out: inout [UInt8]) {
        if let text {
            appendString(text, to: &out)
        } else {
            out.append(contentsOf: "null".utf8)
        }
    }

    /// Appends a number in Swift's shortest round-tripping form, or `null` when it is absent or
    /// not finite (JSON has no NaN or infinity).
    static func appendNumber(_ value: Double?, to out: inout [UInt8]) {
        guard let value, value.isFinite else {
            out.append(contentsOf: "null".utf8)
            return
        }
        out.append(contentsOf: value.description.utf8)
    }

    /// Appends an integer.
    static func appendInteger(_ value: Int, to out: inout [UInt8]) {
        out.append(contentsOf: String(value).utf8)
    }

    /// `sources` as a JSON array of `{id, title, file, score}` objects.
    package static func sources(_ sources: [SourceRef]) -> String {
        var out = [UInt8]()
        appendSources(sources, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends `sources` as a JSON array of `{id, title, file, score[, url]}` objects.
    static func appendSources(_ sources: [SourceRef], to out: inout [UInt8]) {
        out.append(UInt8(ascii: "["))
        for (index, source) in sources.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: "{\"id\":".utf8)
            appendString(source.id, to: &out)
            out.append(contentsOf: ",\"title\":".utf8)
            appendString(source.title, to: &out)
            out.append(contentsOf: ",\"file\":".utf8)
            appendString(source.file, to: &out)
            out.append(contentsOf: ",\"score\":".utf8)
            appendNumber(source.score, to: &out)
            if let url = source.url {
                out.append(contentsOf: ",\"url\":".utf8)
                appendString(url, to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: "]"))
    }

    /// Decodes a sources array written by `sources(_:)`; nil or empty text is no sources.
    package static func decodeSources(_ text: String?) throws -> [SourceRef] {
        guard let text, !text.isEmpty else { return [] }
        if let sources = SourcesJSONReader.read(text) {
            return sources
        }
        return try JSONDecoder().decode([SourceRef].self, from: Data(text.utf8))
    }

    /// `value` with exactly two decimals (`0.8125` → `0.81`), for human-readable output.
    static func twoDecimals(_ value: Double) -> String {
        guard value.isFinite, abs(value) < 1e15 else { return value.description }
        let hundredths = Int64((value * 100).rounded())
        let sign = hundredths < 0 ? "-" : ""
        let magnitude = hundredths.magnitude
        let fraction = magnitude % 100
        return "\(sign)\(magnitude / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}
