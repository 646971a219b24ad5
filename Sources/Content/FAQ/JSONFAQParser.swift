import Foundation

/// Reads a `faqs/*.json` file: an array of objects with `question`, `answer` and optional
/// `alternates`, `tags`, `url`. Foundation parses; a small scan finds the line of each entry.
enum JSONFAQParser {
    static func parse(_ text: String, into collector: inout FAQEntryCollector) throws(ContentError) {
        let file = collector.file
        let bytes = Array(text.utf8)
        let root: Any
        do {
            root = try JSONSerialization.jsonObject(with: Data(bytes))
        } catch {
            throw ContentError(
                .syntax, at: SourceLocation(file: file, line: errorLine(error, bytes: bytes)),
                "JSON does not parse: \(describe(error))")
        }
        guard let items = root as? [Any] else {
            throw ContentError(
                .invalidField, at: SourceLocation(file: file, line: 1),
                "a FAQ file must be a JSON array of entries (`[{\"question\": …}]`)")
        }
        let lines = elementLines(bytes)
        for (index, item) in items.enumerated() {
            let line = index < lines.count ? lines[index] : 1
            let location = SourceLocation(file: file, line: line)
            guard let object = item as? [String: Any] else {
                throw ContentError(.invalidField, at: location, "expected an entry as a JSON object")
            }
            for key in object.keys.sorted() where !YAMLFAQParser.allowedKeys.contains(key) {
                throw ContentError(
                    .invalidField, at: location,
                    KeySuggestion.unknownKeyMessage(key, allowed: YAMLFAQParser.allowedKeys, in: "a FAQ entry"))
            }
            guard let question = try string(object, "question", location) else {
                throw ContentError(.missingField, at: location, "the entry has no `question`")
            }
            guard let answer = try string(object, "answer", location) else {
                throw ContentError(.missingField, at: location, "the entry has no `answer`")
            }
            let tags: [String]
            if let text = object["tags"] as? String {
                tags = FAQEntryCollector.splitTags(text)
            } else {
                tags = try strings(object, "tags", location)
            }
            try collector.add(
                question: question, answer: answer, alternates: try strings(object, "alternates", location),
                tags: tags, url: try string(object, "url", location), line: line)
        }
    }

    private static func string(_ object: [String: Any], _ key: String, _ location: SourceLocation) throws(ContentError) -> String? {
        guard let value = object[key], !(value is NSNull) else { return nil }
        guard let text = value as? String else {
            throw ContentError(.invalidField, at: location, "`\(key)` must be a string")
        }
        return text
    }

    private static func strings(_ object: [String: Any], _ key: String, _ location: SourceLocation) throws(ContentError) -> [String]
    {
        guard let value = object[key], !(value is NSNull) else { return [] }
        guard let list = value as? [Any], let texts = list as? [String] else {
            throw ContentError(.invalidField, at: location, "`\(key)` must be an array of strings")
        }
        return texts
    }

    /// The line of the error when Foundation tells where it is: an index in `userInfo`, or
    /// "line N" / "character N" (a byte offset) in its description; the last line for a file
    /// that ends too early.
    static func errorLine(_ error: any Error, bytes: [UInt8]) -> Int? {
        let nsError = error as NSError
        if let index = nsError.userInfo["NSJSONSerializationErrorIndex"] as? Int {
            return ContentText.line(ofByteOffset: index, in: bytes)
        }
        let description = describe(error)
        if let line = number(after: "line ", in: description) { return line }
        if let offset = number(after: "character ", in: description) {
            return ContentText.line(ofByteOffset: offset, in: bytes)
        }
        if description.lowercased().contains("end of file") {
            let trailing = bytes.reversed().prefix { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }.count
            return ContentText.line(ofByteOffset: bytes.count - trailing, in: bytes)
        }
        return nil
    }

    private static func describe(_ error: any Error) -> String {
        (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
    }

    /// The first number written right after `marker` in `text`.
    private static func number(after marker: String, in text: String) -> Int? {
        var searchStart = text.startIndex
        while let range = text.range(of: marker, range: searchStart..<text.endIndex) {
            if let number = Int(text[range.upperBound...].prefix { $0.isNumber }) { return number }
            searchStart = range.upperBound
        }
        return nil
    }

    /// 1-based line where each element of the top-level array starts.
    static func elementLines(_ bytes: [UInt8]) -> [Int] {
        var lines: [Int] = []
        var line = 1
        var depth = 0
        var inString = false
        var escaped = false
        var expectingElement = false
        for byte in bytes {
            if byte == UInt8(ascii: "\n") { line += 1 }
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                continue
            }
            let isSpace = byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
            if depth == 1, expectingElement, !isSpace, byte != UInt8(ascii: "]") {
                lines.append(line)
                expectingElement = false
            }
            switch byte {
            case UInt8(ascii: "\""):
                inString = true
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth == 1 { expectingElement = true }
            case UInt8(ascii: "]"), UInt8(ascii: "}"):
                depth -= 1
            case UInt8(ascii: ","):
                if depth == 1 { expectingElement = true }
            default:
                break
            }
        }
        return lines
    }
}
