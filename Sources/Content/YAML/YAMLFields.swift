import Yams

/// Typed access to the fields of one YAML map (an intent, a FAQ entry, front matter), with
/// errors that name the key and its line.
struct YAMLFields {
    let file: String
    /// Line of the map itself.
    let line: Int?
    private let pairs: [(key: String, keyLine: Int?, value: Node)]

    /// `what` names the map in errors, e.g. "an intent" or "a FAQ entry".
    init(_ node: Node, file: String, what: String) throws(ContentError) {
        guard case .mapping(let mapping) = node else {
            throw ContentError(
                .invalidField, at: SourceLocation(file: file, line: node.line),
                "expected \(what) as a map of `key: value`, found \(node.kindName)")
        }
        var pairs: [(key: String, keyLine: Int?, value: Node)] = []
        for (key, value) in mapping {
            guard let name = key.scalarText else {
                throw ContentError(
                    .invalidField, at: SourceLocation(file: file, line: key.line),
                    "a key in \(what) must be a plain word, found \(key.kindName)")
            }
            pairs.append((name, key.line, value))
        }
        self.file = file
        self.line = node.line
        self.pairs = pairs
    }

    var keys: [String] { pairs.map(\.key) }

    func value(_ key: String) -> Node? {
        pairs.first { $0.key == key }?.value
    }

    func location(_ key: String) -> SourceLocation {
        SourceLocation(file: file, line: pairs.first { $0.key == key }?.keyLine ?? line)
    }

    /// Refuses keys outside `allowed`, suggesting the closest allowed key for a typo.
    func checkKeys(allowed: [String], in what: String) throws(ContentError) {
        for pair in pairs where !allowed.contains(pair.key) {
            throw ContentError(
                .invalidField, at: SourceLocation(file: file, line: pair.keyLine ?? line),
                KeySuggestion.unknownKeyMessage(pair.key, allowed: allowed, in: what))
        }
    }

    /// A string value; nil when the key is absent or null. Numbers and booleans count as text.
    func string(_ key: String) throws(ContentError) -> String? {
        guard let node = value(key), !node.isNull else { return nil }
        guard let text = node.scalarText else {
            throw ContentError(.invalidField, at: location(key), "`\(key)` must be text, found \(node.kindName)")
        }
        return text
    }

    /// A list of strings (each trimmed, empty ones refused); nil when absent or null. With
    /// `splittingTextOn`, a single text value is also accepted and split on those characters.
    func stringList(_ key: String, splittingTextOn separators: Set<Character>? = nil) throws(ContentError) -> [String]? {
        guard let node = value(key), !node.isNull else { return nil }
        if let separators, let text = node.scalarText {
            return text.split(whereSeparator: { separators.contains($0) })
                .map { $0.trimmingWhitespace }
                .filter { !$0.isEmpty }
        }
        return try stringItems(key)?.map(\.text)
    }

    /// The items of a list of strings with the line of each; nil when absent or null.
    func stringItems(_ key: String) throws(ContentError) -> [(text: String, line: Int?)]? {
        guard let node = value(key), !node.isNull else { return nil }
        guard case .sequence(let sequence) = node else {
            throw ContentError(.invalidField, at: location(key), "`\(key)` must be a list, found \(node.kindName)")
        }
        var items: [(text: String, line: Int?)] = []
        for item in sequence {
            let itemLocation = SourceLocation(file: file, line: item.line ?? location(key).line)
            guard let text = item.scalarText else {
                throw ContentError(
                    .invalidField, at: itemLocation, "every item of `\(key)` must be text, found \(item.kindName)")
            }
            let trimmed = text.trimmingWhitespace
            guard !trimmed.isEmpty else {
                throw ContentError(.invalidField, at: itemLocation, "an item of `\(key)` is empty")
            }
            items.append((trimmed, itemLocation.line))
        }
        return items
    }
}

extension StringProtocol {
    /// The text without leading and trailing whitespace and newlines.
    var trimmingWhitespace: String {
        guard let first = firstIndex(where: { !$0.isWhitespace }),
            let last = lastIndex(where: { !$0.isWhitespace })
        else { return "" }
        return String(self[first...last])
    }
}
