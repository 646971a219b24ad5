/// How the assistant answers once an intent is recognised.
public enum IntentRoute: String, Sendable, Hashable, Codable, CaseIterable {
    /// Reply with the intent's own answer (rendered from its template).
    case canned
    /// Retrieve from `faqs/` and generate a grounded answer.
    case faq
    /// Hand the conversation to a person, replying with the intent's answer.
    case handoff
}

/// One intent from `intents/*.yml`: what customers say, and how to answer it.
public struct Intent: Sendable, Hashable, Codable {
    /// The special intent whose examples teach the classifier what to refuse.
    public static let outOfScope = "out_of_scope"

    public var name: String
    public var route: IntentRoute
    /// What a customer might type (at least `IntentLoader.minimumExamples`, except out_of_scope).
    public var examples: [String]
    /// Answer variations with `{variables}` already substituted; empty for `route: faq`.
    public var answers: [String]
    /// Where the intent is defined (the line of its `- intent:` key).
    public var location: SourceLocation

    public init(name: String, route: IntentRoute, examples: [String], answers: [String], location: SourceLocation) {
        self.name = name
        self.route = route
        self.examples = examples
        self.answers = answers
        self.location = location
    }
}

/// Everything loaded from `intents/`: the intents in file order, the variables, and a content
/// hash that changes whenever anything the classifier is trained on changes.
public struct IntentSet: Sendable, Hashable {
    /// In-scope intents (never contains `out_of_scope`), ordered by file name then position.
    public var intents: [Intent]
    /// Examples of `out_of_scope`, possibly empty.
    public var outOfScopeExamples: [String]
    /// Values from `_variables.yml`.
    public var variables: [String: String]
    /// Hex SHA-256 over every file's relative path and bytes, in sorted order.
    public var contentHash: String
    /// What loads but deserves a look: intents with fewer than `IntentLoader.minimumExamples`
    /// examples, examples repeated within an intent (dropped) or shared by two intents.
    public var warnings: [ContentError]

    public init(
        intents: [Intent], outOfScopeExamples: [String], variables: [String: String], contentHash: String,
        warnings: [ContentError] = []
    ) {
        self.intents = intents
        self.outOfScopeExamples = outOfScopeExamples
        self.variables = variables
        self.contentHash = contentHash
        self.warnings = warnings
    }

    /// The intent with this name, if any.
    public func intent(named name: String) -> Intent? {
        intents.first { $0.name == name }
    }
}
