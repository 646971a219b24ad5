import Foundation

/// A parsed JSON value. Requests are decoded into this first, so that every field can be
/// checked by hand and answered with a precise `missing_field` / `invalid_field` error.
public enum JSONValue: Sendable, Hashable, Decodable {
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }

    /// The value as compact JSON text.
    public var jsonText: String {
        var writer = JSONWriter()
        writer.value(self)
        return writer.text
    }

    var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .integer, .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

/// Builds compact JSON text by hand: faster than `JSONEncoder` on the reply path, and keys stay
/// in the order the protocol document lists them.
public struct JSONWriter {
    public private(set) var text = ""

    public init() {
        text.reserveCapacity(256)
    }

    public mutating func value(_ value: JSONValue) {
        switch value {
        case .null: text += "null"
        case .bool(let flag): text += flag ? "true" : "false"
        case .integer(let number): text += String(number)
        case .number(let number): self.number(number)
        case .string(let string): self.string(string)
        case .array(let items):
            text += "["
            for (index, item) in items.enumerated() {
                if index > 0 { text += "," }
                self.value(item)
            }
            text += "]"
        case .object(let members):
            text += "{"
            for (index, key) in members.keys.sorted().enumerated() {
                if index > 0 { text += "," }
                string(key)
                text += ":"
                self.value(members[key]!)
            }
            text += "}"
        }
    }

    public mutating func number(_ number: Double) {
        if number.isFinite {
            if number == number.rounded(), abs(number) < 1e15 {
                text += String(Int64(number))
            } else {
                text += String(number)
            }
        } else {
            text += "null"
        }
    }

    public mutating func string(_ string: String) {
        text += "\""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case "\u{2028}": text += "\\u2028"
            case "\u{2029}": text += "\\u2029"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    text.unicodeScalars.append(scalar)
                }
            }
        }
        text += "\""
    }
}

/// A JSON object under construction, fields in insertion order.
public struct JSONObject {
    private var writer = JSONWriter()
    private var empty = true

    public init() {}

    public mutating func field(_ key: String, _ value: String) {
        open(key)
        writer.string(value)
    }

    public mutating func field(_ key: String, _ value: Int) {
        open(key)
        writer.value(.integer(Int64(value)))
    }

    public mutating func field(_ key: String, _ value: Double) {
        open(key)
        writer.number(value)
    }

    public mutating func field(_ key: String, _ value: Bool) {
        open(key)
        writer.value(.bool(value))
    }

    public mutating func field(_ key: String, _ value: JSONValue) {
        open(key)
        writer.value(value)
    }

    /// A field whose value is already JSON text (a nested object or array built elsewhere).
    public mutating func field(_ key: String, raw json: String) {
        open(key)
        writer.raw(json)
    }

    private mutating func open(_ key: String) {
        if empty {
            writer.raw("{")
            empty = false
        } else {
            writer.raw(",")
        }
        writer.string(key)
        writer.raw(":")
    }

    /// The finished object's text.
    public var text: String {
        empty ? "{}" : writer.text + "}"
    }
}

extension JSONWriter {
    mutating func raw(_ json: String) {
        text += json
    }
}
