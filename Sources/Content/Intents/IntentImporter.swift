import Foundation
import Yams

/// Turns a labelled CSV (`text,label` columns, any order and case; other columns ignored) into
/// intents files: each label becomes a valid intent name (lower-case letters, digits and `_`),
/// repeats within a label are dropped and an example under two labels is reported with both
/// lines, each as a `ContentError` warning with its place. Labels `oos` and `out_of_scope` (in
/// any spelling) become `out_of_scope` examples. Intents get `route: faq` (answered from the
/// help center), so the files load as they are; an operator adds canned answers later.
public struct IntentImporter: Sendable {
    /// One imported intent, in order of first appearance in the file.
    public struct ImportedIntent: Sendable, Hashable {
        public var name: String
        /// The label as written in the file.
        public var label: String
        public var examples: [String]
    }

    /// What an import produced.
    public struct Result: Sendable {
        public var intents: [ImportedIntent]
        /// Labels that had to be renamed: label → name.
        public var renamed: [(label: String, name: String)]
        public var warnings: [ContentError]
    }

    public init() {}

    /// Reads the CSV file at `url` (UTF-8 text), shown as `file` in messages.
    public func read(contentsOf url: URL, file: String) throws(ContentError) -> Result {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ContentError(
                .unreadable, at: SourceLocation(file: file), "the file cannot be read: \(error.localizedDescription)")
        }
        return try read(try ContentText.decode(data, file: file), file: file)
    }

    /// Reads `text`, the CSV file shown as `file` in messages.
    public func read(_ text: String, file: String) throws(ContentError) -> Result {
        let records = try CSVReader.records(text, file: file)
        guard let header = records.first else {
            throw ContentError(.missingColumn, at: SourceLocation(file: file, line: 1), "the file has no header row")
        }
        let columns = header.fields.map { $0.trimmingWhitespace.lowercased() }
        guard let textColumn = columns.firstIndex(of: "text"), let labelColumn = columns.firstIndex(of: "label") else {
            throw ContentError(
                .missingColumn, at: SourceLocation(file: file, line: header.line),
                "the header row needs a `text` and a `label` column (found: \(columns.joined(separator: ", ")))")
        }
        var intents: [ImportedIntent] = []
        var indexByLabel: [String: Int] = [:]
        var usedNames: Set<String> = []
        var renamed: [(label: String, name: String)] = []
        var warnings: [ContentError] = []
        var firstLine: [String: (label: String, line: Int)] = [:]
        for record in records.dropFirst() {
            let location = SourceLocation(file: file, line: record.line)
            guard record.fields.count == header.fields.count else {
                throw ContentError(
                    .syntax, at: location, "the row has \(record.fields.count) fields but the header has \(header.fields.count)")
            }
            let example = record.fields[textColumn].trimmingWhitespace
            let label = record.fields[labelColumn].trimmingWhitespace
            guard !example.isEmpty, !label.isEmpty else {
                warnings.append(ContentError(.missingField, at: location, "the row has no text or no label; it is skipped"))
                continue
            }
            let index: Int
            if let known = indexByLabel[label] {
                index = known
            } else {
                let name = Self.uniqueName(for: label, taken: usedNames)
                usedNames.insert(name)
                if name != label { renamed.append((label, name)) }
                index = intents.count
                indexByLabel[label] = index
                intents.append(ImportedIntent(name: name, label: label, examples: []))
            }
            let key = IntentFileParser.exampleKey(example)
            if let first = firstLine[key] {
                if first.label == label {
                    warnings.append(
                        ContentError(
                            .repeatedExample, at: location,
                            "\"\(example)\" repeats line \(first.line) under the same label `\(label)`; the repeat is dropped"))
                    continue
                }
                warnings.append(
                    ContentError(
                        .conflictingExample, at: location,
                        "\"\(example)\" is labelled `\(label)` here and `\(first.label)` at line \(first.line); check which is right"
                    ))
            } else {
                firstLine[key] = (label, record.line)
            }
            intents[index].examples.append(example)
        }
        for intent in intents where intent.name != Intent.outOfScope && intent.examples.count < IntentLoader.minimumExamples {
            warnings.append(
                ContentError(
                    .tooFewExamples, at: SourceLocation(file: file),
                    "label `\(intent.label)` has \(intent.examples.count) example\(intent.examples.count == 1 ? "" : "s"); it trains, but 5 or more make it recognised reliably"
                ))
        }
        return Result(intents: intents, renamed: renamed, warnings: warnings)
    }

    /// The YAML of one intents file holding `intent`; examples are double-quoted, so "yes" or
    /// "404" stay text.
    public func yaml(for intent: ImportedIntent) throws -> String {
        let examples = Node(intent.examples.map { Node($0, Tag(.str), .doubleQuoted) })
        var pairs: [(Node, Node)] = [(Node("intent"), Node(intent.name))]
        if intent.name != Intent.outOfScope { pairs.append((Node("route"), Node("faq"))) }
        pairs.append((Node("examples"), examples))
        let body = try Yams.serialize(node: Node([Node(pairs)]), width: -1, allowUnicode: true)
        let label = String(intent.label.map { $0.isNewline || $0 == "\"" ? " " : $0 })
        return "# Imported from the label \"\(label)\".\n" + body
    }

    /// A valid, unused intent name for `label` (`intentName(for:)`, then `_2`, `_3`, … on a
    /// collision).
    static func uniqueName(for label: String, taken: Set<String>) -> String {
        let name = intentName(for: label)
        guard name != Intent.outOfScope else { return name }
        var candidate = name
        var number = 2
        while taken.contains(candidate) {
            candidate = "\(name)_\(number)"
            number += 1
        }
        return candidate
    }

    /// The intent name a label becomes, before collisions are resolved: lower-cased, other
    /// characters made `_`, runs of `_` collapsed, `intent_` before a leading digit; `oos` and
    /// `out_of_scope` in any spelling become `out_of_scope`. Evaluation uses it to match test
    /// labels written as in the imported CSV.
    public static func intentName(for label: String) -> String {
        let lowered = label.lowercased()
        if ["oos", "out_of_scope", "out-of-scope", "out of scope", "outofscope"].contains(lowered) { return Intent.outOfScope }
        var name = ""
        for scalar in lowered.unicodeScalars {
            let allowed = ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar)
            if allowed {
                name.unicodeScalars.append(scalar)
            } else if !name.hasSuffix("_") {
                name += "_"
            }
        }
        name = String(name.drop { $0 == "_" })
        while name.hasSuffix("_") { name.removeLast() }
        if name.isEmpty { name = "intent" }
        if name.first?.isNumber == true { name = "intent_" + name }
        return name
    }
}
