import Foundation
import Yams

/// One scripted conversation from `Tests/conversations/*.yml`: what a customer says, turn by
/// turn, and what the bot must answer. Support leads write these to pin down behaviour; the
/// `test-conversations` command and `make test` replay them against the real assistant.
public struct ConversationScript: Sendable, Hashable {
    /// One step: a customer message with expectations, or a rating of the last answer.
    public enum Step: Sendable, Hashable {
        case message(MessageTurn)
        case feedback(rating: String, location: SourceLocation)
    }

    /// A customer message and what its reply must show. Unset expectations are not checked.
    public struct MessageTurn: Sendable, Hashable {
        public var text: String
        /// Expected top intent name.
        public var intent: String?
        /// Expected route (`canned`, `faq`, `clarify`, `fallback`, `handoff`).
        public var route: String?
        /// Case-insensitive substrings the reply text must contain.
        public var says: [String]
        /// Case-insensitive substrings the reply text must not contain.
        public var notSays: [String]
        /// A substring of a cited source id (e.g. `returns.md` or `returns.md#how-do-i-return`).
        public var source: String?
        /// Intent names a `clarify` reply must offer, in order.
        public var options: [String]?
        public var location: SourceLocation
    }

    public var name: String
    public var steps: [Step]
    public var location: SourceLocation
}

/// Parses conversation scripts with `file:line` errors, like every other content parser.
public enum ConversationScriptParser {
    static let conversationKeys = ["conversation", "turns"]
    static let turnKeys = ["user", "intent", "route", "says", "not_says", "source", "options", "feedback"]
    static let routes: Set<String> = ["canned", "faq", "clarify", "fallback", "handoff"]

    /// Every `*.yml`/`*.yaml` file of `directory`, in name order.
    public static func load(directory: URL) throws(ContentError) -> [ConversationScript] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
                .filter { !$0.hasPrefix(".") && ($0.hasSuffix(".yml") || $0.hasSuffix(".yaml")) }
                .sorted()
        } catch {
            throw ContentError(
                .unreadable, at: SourceLocation(file: directory.path), "cannot list the folder: \(error.localizedDescription)")
        }
        var scripts: [ConversationScript] = []
        for name in names {
            let url = directory.appendingPathComponent(name)
            let file = directory.lastPathComponent + "/" + name
            let data: Data
            do {
                data = try Data(contentsOf: url)
            } catch {
                throw ContentError(
                    .unreadable, at: SourceLocation(file: file), "cannot read the file: \(error.localizedDescription)")
            }
            scripts += try parse(ContentText.decode(data, file: file), file: file)
        }
        return scripts
    }

    /// The conversations of one file's text; `file` names it in errors.
    public static func parse(_ text: String, file: String) throws(ContentError) -> [ConversationScript] {
        guard let root = try YAMLDocument.parse(text, file: file) else {
            throw ContentError(.emptyFile, at: SourceLocation(file: file), "the file holds no conversations")
        }
        guard case .sequence(let items) = root else {
            throw ContentError(
                .invalidField, at: SourceLocation(file: file, line: root.line),
                "a conversations file must be a list of `- conversation: name` entries, found \(root.kindName)")
        }
        var scripts: [ConversationScript] = []
        for item in items {
            let fields = try YAMLFields(item, file: file, what: "a conversation")
            try fields.checkKeys(allowed: conversationKeys, in: "a conversation")
            guard let name = try fields.string("conversation") else {
                throw ContentError(
                    .missingField, at: SourceLocation(file: file, line: fields.line), "a conversation needs `conversation: name`")
            }
            guard case .sequence(let turnNodes)? = fields.value("turns"), !turnNodes.isEmpty else {
                throw ContentError(
                    .missingField, at: fields.location("turns"), "conversation '\(name)' needs a non-empty list of `turns`")
            }
            var steps: [ConversationScript.Step] = []
            for node in turnNodes {
                steps.append(try step(node, file: file))
            }
            scripts.append(ConversationScript(name: name, steps: steps, location: SourceLocation(file: file, line: fields.line)))
        }
        return scripts
    }

    private static func step(_ node: Node, file: String) throws(ContentError) -> ConversationScript.Step {
        let fields = try YAMLFields(node, file: file, what: "a turn")
        try fields.checkKeys(allowed: turnKeys, in: "a turn")
        let location = SourceLocation(file: file, line: fields.line)
        if let rating = try fields.string("feedback") {
            guard fields.keys == ["feedback"] else {
                throw ContentError(.invalidField, at: location, "a `feedback` turn takes no other keys")
            }
            guard rating == "up" || rating == "down" else {
                throw ContentError(.invalidField, at: fields.location("feedback"), "`feedback` must be up or down, not '\(rating)'")
            }
            return .feedback(rating: rating, location: location)
        }
        guard let text = try fields.string("user"), !text.trimmingWhitespace.isEmpty else {
            throw ContentError(.missingField, at: location, "a turn needs `user: what the customer says` (or `feedback: up|down`)")
        }
        let route = try fields.string("route")
        if let route, !routes.contains(route) {
            throw ContentError(
                .invalidField, at: fields.location("route"),
                "`route` must be one of \(routes.sorted().joined(separator: ", ")), not '\(route)'")
        }
        return .message(
            ConversationScript.MessageTurn(
                text: text, intent: try fields.string("intent"), route: route,
                says: try textOrList(fields, "says"), notSays: try textOrList(fields, "not_says"),
                source: try fields.string("source"), options: try fields.stringList("options"), location: location))
    }

    /// A key given as one text or as a list of texts.
    private static func textOrList(_ fields: YAMLFields, _ key: String) throws(ContentError) -> [String] {
        if let text = fields.value(key)?.scalarText { return [text] }
        return try fields.stringList(key) ?? []
    }
}
