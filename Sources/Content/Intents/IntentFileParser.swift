import Yams

/// Reads the intents of one `intents/*.yml` file, collecting every problem it finds instead of
/// stopping at the first, so an operator can fix a file in one pass.
package struct IntentFileParser {
    static let allowedKeys = ["intent", "examples", "answer", "answers", "route"]

    /// Path shown in errors, e.g. `intents/billing.yml`.
    let file: String
    /// Values from `_variables.yml`; nil when that file is broken (unknown variables are then
    /// not reported, since the real problem is already reported).
    let variables: [String: String]?

    private(set) var intents: [Intent] = []
    private(set) var outOfScopeExamples: [String] = []
    private(set) var errors: [ContentError] = []
    /// Problems that do not stop the file from loading (see `IntentSet.warnings`).
    private(set) var warnings: [ContentError] = []
    /// Every example kept, normalised, with its intent and line, for the loader's check of
    /// examples shared by two intents.
    private(set) var exampleLocations: [(key: String, intent: String, location: SourceLocation)] = []
    /// Every intent name met with a valid name, even if the intent has other problems, so the
    /// loader can report duplicates across files.
    private(set) var declarations: [(name: String, location: SourceLocation)] = []

    package init(file: String, variables: [String: String]?) {
        self.file = file
        self.variables = variables
    }

    package mutating func parse(_ text: String) {
        let root: Node?
        do {
            root = try YAMLDocument.parse(text, file: file)
        } catch {
            errors.append(error)
            return
        }
        guard let root else { return }
        guard case .sequence(let items) = root else {
            errors.append(
                ContentError(
                    .invalidField, at: SourceLocation(file: file, line: root.line),
                    "an intents file must be a list of intents (`- intent: name`), found \(root.kindName)"))
            return
        }
        for item in items {
            parseIntent(item)
        }
    }

    private mutating func parseIntent(_ node: Node) {
        let fields: YAMLFields
        do {
            fields = try YAMLFields(node, file: file, what: "an intent")
        } catch {
            errors.append(error)
            return
        }
        var problems: [ContentError] = []
        if let intent = intent(from: fields, problems: &problems) {
            intents.append(intent)
        }
        errors += problems
    }

    /// Runs every check on one intent, recording each failure; nil when any failed. The
    /// examples of `out_of_scope` are collected here and nil returned.
    private mutating func intent(from fields: YAMLFields, problems: inout [ContentError]) -> Intent? {
        let location = SourceLocation(file: file, line: fields.line)
        let nameOrNil = Self.attempt(&problems) { () throws(ContentError) in try self.name(fields) }
        let keysKnown =
            Self.attempt(&problems) { () throws(ContentError) in
                try fields.checkKeys(allowed: Self.allowedKeys, in: "an intent")
            } != nil
        guard let name = nameOrNil else { return nil }
        declarations.append((name, location))
        let isOutOfScope = name == Intent.outOfScope
        let examples = Self.attempt(&problems) { () throws(ContentError) in
            try self.examples(
                fields, intent: name, location: location, recommended: isOutOfScope ? 1 : IntentLoader.minimumExamples)
        }
        if isOutOfScope {
            for key in ["answer", "answers", "route"] where fields.value(key) != nil {
                problems.append(
                    ContentError(
                        .invalidField, at: fields.location(key),
                        "`\(Intent.outOfScope)` only teaches what to refuse: it takes `examples` and no `\(key)`"))
            }
            if let examples, problems.isEmpty { outOfScopeExamples += examples }
            return nil
        }
        let answers = Self.attempt(&problems) { () throws(ContentError) in try self.answers(fields) }
        let route = Self.attempt(&problems) { () throws(ContentError) in try self.route(fields) }
        var rendered: [String] = []
        for (template, line) in answers ?? [] {
            let answerLocation = SourceLocation(file: file, line: line)
            let text = Self.attempt(&problems) { () throws(ContentError) in
                try AnswerTemplate.render(template, variables: variables ?? [:], location: answerLocation)
            }
            if let text { rendered.append(text) }
        }
        if variables == nil { problems.removeAll { $0.code == .unknownVariable } }
        // A misspelt key is the likely cause of a "missing" one: report only the misspelling.
        if !keysKnown { problems.removeAll { $0.code == .missingField } }
        guard problems.isEmpty, let examples, let route else { return nil }
        return Intent(name: name, route: route, examples: examples, answers: rendered, location: location)
    }

    private func name(_ fields: YAMLFields) throws(ContentError) -> String {
        guard let name = try fields.string("intent")?.trimmingWhitespace, !name.isEmpty else {
            throw ContentError(
                .missingField, at: SourceLocation(file: file, line: fields.line),
                "an intent needs a name: `intent: some_name`")
        }
        let allowed = name.unicodeScalars.allSatisfy { scalar in
            scalar == "_" || ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar)
        }
        guard allowed else {
            throw ContentError(
                .invalidField, at: fields.location("intent"),
                "intent name `\(name)` may only use lower-case letters, digits and `_`")
        }
        return name
    }

    /// The examples, without repeats; fewer than `recommended` (but at least one) is a warning,
    /// since real bots' intents often have two to four examples and still train.
    private mutating func examples(
        _ fields: YAMLFields, intent: String, location: SourceLocation, recommended: Int
    ) throws(ContentError) -> [String] {
        guard let items = try fields.stringItems("examples") else {
            throw ContentError(
                .missingField, at: location, "the intent has no `examples` (at least 1 needed, \(recommended) recommended)")
        }
        guard !items.isEmpty else {
            throw ContentError(.tooFewExamples, at: location, "the intent's `examples` list is empty (at least 1 needed)")
        }
        var seen: [String: Int] = [:]
        var examples: [String] = []
        var kept: [(key: String, intent: String, location: SourceLocation)] = []
        for (example, line) in items {
            let key = Self.exampleKey(example)
            if let first = seen[key] {
                warnings.append(
                    ContentError(
                        .repeatedExample, at: SourceLocation(file: file, line: line),
                        "the example \"\(example)\" repeats line \(first) of the same intent; the repeat is ignored"))
                continue
            }
            seen[key] = line
            examples.append(example)
            kept.append((key, intent, SourceLocation(file: file, line: line)))
        }
        if examples.count < recommended {
            warnings.append(
                ContentError(
                    .tooFewExamples, at: location,
                    "the intent has \(examples.count) example\(examples.count == 1 ? "" : "s"); it trains, but \(recommended) or more make it recognised reliably"
                ))
        }
        exampleLocations += kept
        return examples
    }

    /// Case and spacing do not make two examples different.
    static func exampleKey(_ example: String) -> String {
        example.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// The answer templates with the line of each, from `answer` or `answers`.
    private func answers(_ fields: YAMLFields) throws(ContentError) -> [(String, Int?)] {
        let single = fields.value("answer")
        let list = fields.value("answers")
        if single != nil, list != nil {
            throw ContentError(.invalidField, at: fields.location("answers"), "use either `answer` or `answers`, not both")
        }
        if let single {
            guard let text = try fields.string("answer")?.trimmingWhitespace, !text.isEmpty else {
                throw ContentError(.invalidField, at: fields.location("answer"), "`answer` is empty")
            }
            return [(text, single.line ?? fields.location("answer").line)]
        }
        guard let list else { return [] }
        guard case .sequence(let items) = list, !items.isEmpty else {
            throw ContentError(
                .invalidField, at: fields.location("answers"), "`answers` must be a non-empty list of texts")
        }
        var answers: [(String, Int?)] = []
        for item in items {
            guard let text = item.scalarText?.trimmingWhitespace, !text.isEmpty else {
                throw ContentError(
                    .invalidField, at: SourceLocation(file: file, line: item.line),
                    "every item of `answers` must be a non-empty text")
            }
            answers.append((text, item.line))
        }
        return answers
    }

    private func route(_ fields: YAMLFields) throws(ContentError) -> IntentRoute {
        let answerGiven = fields.value("answer") != nil || fields.value("answers") != nil
        guard let text = try fields.string("route") else {
            guard answerGiven else {
                throw ContentError(
                    .missingField, at: SourceLocation(file: file, line: fields.line),
                    "the intent has neither an `answer` nor a `route`; add `answer:` or `route: faq`")
            }
            return .canned
        }
        guard let route = IntentRoute(rawValue: text) else {
            let names = IntentRoute.allCases.map { "`\($0.rawValue)`" }.joined(separator: ", ")
            throw ContentError(.invalidField, at: fields.location("route"), "unknown route `\(text)` (use \(names))")
        }
        switch route {
        case .faq where answerGiven:
            throw ContentError(
                .invalidField, at: fields.location("route"),
                "`route: faq` answers from faqs/, so the intent must not have `answer` or `answers`")
        case .canned where !answerGiven, .handoff where !answerGiven:
            throw ContentError(
                .missingField, at: fields.location("route"), "`route: \(route.rawValue)` needs an `answer` or `answers`")
        default:
            return route
        }
    }

    /// Runs one check; a failure is recorded and nil returned, so the other checks still run.
    @discardableResult
    private static func attempt<T>(_ problems: inout [ContentError], _ body: () throws(ContentError) -> T) -> T? {
        do {
            return try body()
        } catch {
            problems.append(error)
            return nil
        }
    }
}
