/// Where in the operator's content something was found: a file relative to its content folder,
/// and a 1-based line when one is known. Printed as `intents/billing.yml:12`.
public struct SourceLocation: Sendable, Hashable, Codable, CustomStringConvertible {
    /// Path shown to the operator, e.g. `intents/billing.yml` or `faqs/shipping.md`.
    public var file: String
    /// 1-based line number, when the problem can be pinned to one.
    public var line: Int?

    public init(file: String, line: Int? = nil) {
        self.file = file
        self.line = line
    }

    public var description: String {
        if let line { return "\(file):\(line)" }
        return file
    }
}

/// A problem in one content file: what is wrong, and where. Every parser in this module throws
/// these, never crashes, and never returns partial results for a broken file.
public struct ContentError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of problem, stable for tests and tooling.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        fileprivate enum Base: String, Sendable, Hashable {
            case syntax, emptyFile, binaryFile, invalidUTF8, missingField, invalidField
            case duplicateIntent, tooFewExamples, unknownVariable, missingColumn, frontMatter
            case duplicateEntry, unreadable, tooLarge, repeatedExample, conflictingExample
        }
        fileprivate let base: Base
        fileprivate init(_ base: Base) { self.base = base }

        /// YAML, JSON or CSV that does not parse.
        public static let syntax = Code(.syntax)
        /// A file with no content at all.
        public static let emptyFile = Code(.emptyFile)
        /// A file containing NUL bytes or other binary data.
        public static let binaryFile = Code(.binaryFile)
        /// Bytes that are not valid UTF-8.
        public static let invalidUTF8 = Code(.invalidUTF8)
        /// A required field (`intent`, `examples`, `question`, `answer`, …) is absent.
        public static let missingField = Code(.missingField)
        /// A field has the wrong type or a value outside what is allowed.
        public static let invalidField = Code(.invalidField)
        /// Two intents with the same name in the folder.
        public static let duplicateIntent = Code(.duplicateIntent)
        /// An intent with fewer examples than recommended (a warning from 1 to 4 examples; an
        /// error with none).
        public static let tooFewExamples = Code(.tooFewExamples)
        /// The same example twice in one intent (a warning; the repeat is dropped).
        public static let repeatedExample = Code(.repeatedExample)
        /// The same example under two intents (a warning: it teaches both).
        public static let conflictingExample = Code(.conflictingExample)
        /// `{name}` in an answer with no such variable in `_variables.yml`.
        public static let unknownVariable = Code(.unknownVariable)
        /// A CSV header without a required column.
        public static let missingColumn = Code(.missingColumn)
        /// Markdown front matter that is unterminated or not a YAML map.
        public static let frontMatter = Code(.frontMatter)
        /// Two FAQ entries in one file with the same question (same id).
        public static let duplicateEntry = Code(.duplicateEntry)
        /// The file could not be read.
        public static let unreadable = Code(.unreadable)
        /// The file is larger than the configured cap.
        public static let tooLarge = Code(.tooLarge)

        public var description: String { base.rawValue }
    }

    public var code: Code
    public var location: SourceLocation
    /// What is wrong and, where useful, what to do about it.
    public var message: String

    public init(_ code: Code, at location: SourceLocation, _ message: String) {
        self.code = code
        self.location = location
        self.message = message
    }

    public var description: String { "\(location): \(message) [\(code)]" }
}

/// All the problems found while loading a folder, so an operator can fix them in one pass.
public struct ContentLoadError: Error, Sendable, CustomStringConvertible {
    public var errors: [ContentError]

    public init(_ errors: [ContentError]) { self.errors = errors }

    public var description: String {
        errors.map(\.description).joined(separator: "\n")
    }
}
