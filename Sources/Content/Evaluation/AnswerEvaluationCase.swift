import Foundation
import Yams

/// One labelled conversation of an answer-quality evaluation set (`eval/answers/`): what a
/// customer says, turn by turn, and what any right answer must be. Unlike a conversation test,
/// a label lists every acceptable outcome (routes, intents, lead entries), because several
/// answers can be right; the scorer (`AnswerEvaluator`) measures how often the bot is.
public struct AnswerEvaluationCase: Sendable, Hashable {
    /// One customer message and its labels. Empty lists are not checked.
    public struct Turn: Sendable, Hashable {
        public var text: String
        /// Acceptable routes (`canned`, `faq`, `clarify`, `fallback`, `handoff`); never empty.
        public var routes: [String]
        /// Acceptable top intents.
        public var intents: [String]
        /// Acceptable lead FAQ entries (`file#slug`), checked when the answer comes from the FAQ.
        public var entries: [String]
        /// Facts every right answer contains; each is a list of alternative spellings.
        public var facts: [[String]]
        /// Strings no right answer contains.
        public var notSays: [String]
        public var location: SourceLocation

        public init(
            text: String, routes: [String], intents: [String] = [], entries: [String] = [], facts: [[String]] = [],
            notSays: [String] = [], location: SourceLocation
        ) {
            self.text = text
            self.routes = routes
            self.intents = intents
            self.entries = entries
            self.facts = facts
            self.notSays = notSays
            self.location = location
        }
    }

    public var name: String
    public var category: String
    public var turns: [Turn]
    public var location: SourceLocation

    public init(name: String, category: String, turns: [Turn], location: SourceLocation) {
        self.name = name
        self.category = category
        self.turns = turns
        self.location = location
    }
}

/// Parses evaluation sets with `file:line` errors, like every other content parser.
public enum AnswerEvaluationParser {
    static let caseKeys = ["conversation", "category", "turns"]
    static let turnKeys = ["user", "routes", "intents", "entries", "facts", "not_says"]
    /// The routes a label may name.
    public static let routes: Set<String> = ["canned", "faq", "clarify", "fallback", "handoff"]

    /// Every `*.yml`/`*.yaml` file under `directory` (subfolders included), in path order.
    public static func load(directory: URL) throws(ContentError) -> [AnswerEvaluationCase] {
        guard let walker = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: nil) else {
            throw ContentError(.unreadable, at: SourceLocation(file: directory.path), "cannot list the folder")
        }
        let files = walker.compactMap { $0 as? URL }
            .filter { !$0.lastPathComponent.hasPrefix(".") && ["yml", "yaml"].contains($0.pathExtension) }
            .sorted { $0.path < $1.path }
        var cases: [AnswerEvaluationCase] = []
        var names: [String: SourceLocation] = [:]
        for url in files {
            let file = String(url.path.dropFirst(directory.deletingLastPathComponent().path.count)).trimmingPrefix("/")
            let data: Data
            do {
                data = try Data(contentsOf: url)
            } catch {
                throw ContentError(
                    .unreadable, at: SourceLocation(file: String(file)), "cannot read the file: \(error.localizedDescription)")
            }
            for parsed in try parse(ContentText.decode(data, file: String(file)), file: String(file)) {
                if let first = names[parsed.name] {
                    throw ContentError(
                        .duplicateEntry, at: parsed.location, "conversation '\(parsed.name)' is already defined at \(first)")
                }
                names[parsed.name] = parsed.location
                cases.append(parsed)
            }
        }
        return cases
    }

    /// The cases of one file's text; `file` names it in errors.
    public static func parse(_ text: String, file: String) throws(ContentError) -> [AnswerEvaluationCase] {
        guard let root = try YAMLDocument.parse(text, file: file) else {
            throw ContentError(.emptyFile, at: SourceLocation(file: file), "the file holds no conversations")
        }
        guard case .sequence(let items) = root else {
            throw ContentError(
                .invalidField, at: SourceLocation(file: file, line: root.line),
                "an evaluation file must be a list of `- conversation: name` entries, found \(root.kindName)")
        }
        var cases: [AnswerEvaluationCase] = []
        for item in items {
            let fields = try YAMLFields(item, file: file, what: "a conversation")
            try fields.checkKeys(allowed: caseKeys, in: "a conversation")
            let location = SourceLocation(file: file, line: fields.line)
            guard let name = try fields.string("conversation") else {
                throw ContentError(.missingField, at: location, "a conversation needs `conversation: name`")
            }
            guard let category = try fields.string("category"), !category.isEmpty else {
                throw ContentError(.missingField, at: location, "conversation '\(name)' needs `category: …`")
            }
            guard case .sequence(let turnNodes)? = fields.value("turns"), !turnNodes.isEmpty else {
                throw ContentError(
                    .missingField, at: fields.location("turns"), "conversation '\(name)' needs a non-empty list of `turns`")
            }
            var turns: [AnswerEvaluationCase.Turn] = []
            for node in turnNodes {
                turns.append(try turn(node, file: file))
            }
            cases.append(AnswerEvaluationCase(name: name, category: category, turns: turns, location: location))
        }
        return cases
    }

    private static func turn(_ node: Node, file: String) throws(ContentError) -> AnswerEvaluationCase.Turn {
        let fields = try YAMLFields(node, file: file, what: "a turn")
        try fields.checkKeys(allowed: turnKeys, in: "a turn")
        let location = SourceLocation(file: file, line: fields.line)
        guard let text = try fields.string("user"), !text.trimmingWhitespace.isEmpty else {
            throw ContentError(.missingField, at: location, "a turn needs `user: what the customer says`")
        }
        let routes = try list(fields, "routes")
        guard !routes.isEmpty else {
            throw ContentError(.missingField, at: location, "a turn needs `routes: [...]`, the acceptable routes")
        }
        for route in routes where !Self.routes.contains(route) {
            throw ContentError(
                .invalidField, at: fields.location("routes"),
                "`routes` may name \(Self.routes.sorted().joined(separator: ", ")), not '\(route)'")
        }
        let facts = try list(fields, "facts").map { fact in
            fact.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        return AnswerEvaluationCase.Turn(
            text: text, routes: routes, intents: try list(fields, "intents"), entries: try list(fields, "entries"),
            facts: facts.filter { !$0.isEmpty }, notSays: try list(fields, "not_says"), location: location)
    }

    /// A key given as one text or as a list of texts.
    private static func list(_ fields: YAMLFields, _ key: String) throws(ContentError) -> [String] {
        if let text = fields.value(key)?.scalarText { return [text] }
        return try fields.stringList(key) ?? []
    }
}
