import Crypto
import Foundation
import Logging
import Yams

/// Loads `intents/`: every `*.yml`/`*.yaml` file (subfolders included) plus `_variables.yml`,
/// validated as a whole so that training never starts on content with a mistake in it. What
/// can be trained on but deserves a look (few examples, repeats, an example under two intents)
/// comes back as `IntentSet.warnings`.
public struct IntentLoader: Sendable {
    /// Examples an in-scope intent should have; fewer (down to one) load with a warning.
    public static let minimumExamples = 5
    /// The file of `{name}` values for answers, at the top of the folder.
    public static let variablesFileNames: Set<String> = ["_variables.yml", "_variables.yaml"]

    public let directory: URL
    /// Prefix of file paths in errors: `intents/billing.yml:12`.
    public let displayName: String
    private let logger: Logger

    public init(
        directory: URL, displayName: String = "intents",
        logger: Logger = Logger(label: "supportbot.content", factory: { _ in SwiftLogNoOpLogHandler() })
    ) {
        self.directory = directory
        self.displayName = displayName
        self.logger = logger
    }

    /// Reads and checks everything; throws every problem found in the folder at once.
    public func load() throws(ContentLoadError) -> IntentSet {
        let folder = ContentDirectory(root: directory, displayName: displayName)
        let listing: [ContentDirectory.File]
        do {
            listing = try folder.files(accepting: Self.isIntentFile).files
        } catch {
            throw ContentLoadError([error])
        }
        var errors: [ContentError] = []
        var hasher = SHA256()
        var texts: [(file: ContentDirectory.File, text: String)] = []
        var variablesBroken = false
        for file in listing {
            do {
                let data = try folder.read(file)
                hasher.update(data: Array(file.path.utf8) + [0])
                hasher.update(data: data)
                hasher.update(data: [UInt8(0)])
                texts.append((file, try ContentText.decode(data, file: shown(file))))
            } catch {
                errors.append(error)
                variablesBroken = variablesBroken || Self.variablesFileNames.contains(file.path)
            }
        }
        let contentHash = hasher.finalize().map { String(format: "%02x", $0) }.joined()

        var variables: [String: String] = [:]
        for (file, text) in texts where Self.variablesFileNames.contains(file.path) {
            do {
                variables.merge(try parseVariables(text, file: shown(file))) { first, _ in first }
            } catch {
                errors.append(error)
                variablesBroken = true
            }
        }

        var intents: [Intent] = []
        var outOfScope: [String] = []
        var firstDeclaration: [String: SourceLocation] = [:]
        var warnings: [ContentError] = []
        var firstExample: [String: (intent: String, location: SourceLocation)] = [:]
        for (file, text) in texts where !Self.variablesFileNames.contains(file.path) {
            var parser = IntentFileParser(file: shown(file), variables: variablesBroken ? nil : variables)
            parser.parse(text)
            errors += parser.errors
            warnings += parser.warnings
            for (key, intent, location) in parser.exampleLocations {
                guard let first = firstExample[key] else {
                    firstExample[key] = (intent, location)
                    continue
                }
                if first.intent != intent {
                    warnings.append(
                        ContentError(
                            .conflictingExample, at: location,
                            "this example of `\(intent)` is also an example of `\(first.intent)` at \(first.location); it teaches both"
                        ))
                }
            }
            intents += parser.intents
            outOfScope += parser.outOfScopeExamples
            for (name, location) in parser.declarations {
                if let first = firstDeclaration[name] {
                    errors.append(
                        ContentError(
                            .duplicateIntent, at: location, "intent `\(name)` is already defined at \(first)"))
                } else {
                    firstDeclaration[name] = location
                }
            }
        }
        guard errors.isEmpty else {
            logger.debug("intents.load.failed", metadata: ["content.errors": "\(errors.count)"])
            throw ContentLoadError(errors)
        }
        logger.debug(
            "intents.load.finished",
            metadata: [
                "content.files": "\(listing.count)", "content.intents": "\(intents.count)",
                "content.warnings": "\(warnings.count)",
            ])
        return IntentSet(
            intents: intents, outOfScopeExamples: outOfScope, variables: variables, contentHash: contentHash,
            warnings: warnings)
    }

    /// `*.yml`/`*.yaml` and not an editor leftover or hidden file.
    static func isIntentFile(_ name: String) -> Bool {
        guard !FAQLoader.isIgnored(fileName: name) else { return false }
        let lowered = name.lowercased()
        return lowered.hasSuffix(".yml") || lowered.hasSuffix(".yaml")
    }

    private func shown(_ file: ContentDirectory.File) -> String {
        "\(displayName)/\(file.path)"
    }

    /// `_variables.yml`: a flat map of names to single values.
    private func parseVariables(_ text: String, file: String) throws(ContentError) -> [String: String] {
        guard let root = try YAMLDocument.parse(text, file: file), !root.isNull else { return [:] }
        let fields = try YAMLFields(root, file: file, what: "the variables file")
        var variables: [String: String] = [:]
        for key in fields.keys {
            guard AnswerTemplate.isVariableName(key) else {
                throw ContentError(
                    .invalidField, at: fields.location(key),
                    "variable name `\(key)` may only use letters, digits and `_`, not starting with a digit")
            }
            guard let node = fields.value(key), let value = node.scalarText else {
                throw ContentError(
                    .invalidField, at: fields.location(key),
                    "variable `\(key)` must be a single value, found \(fields.value(key)?.kindName ?? "nothing")")
            }
            variables[key] = value
        }
        return variables
    }
}
