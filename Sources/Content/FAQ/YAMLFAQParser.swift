import Yams

/// Reads a `faqs/*.yml` or `*.yaml` file: a list of maps with `question`, `answer` and optional
/// `alternates`, `tags`, `url`. Each entry's line is where its map starts.
enum YAMLFAQParser {
    static let allowedKeys = ["question", "answer", "alternates", "tags", "url"]

    static func parse(_ text: String, into collector: inout FAQEntryCollector) throws(ContentError) {
        let file = collector.file
        guard let root = try YAMLDocument.parse(text, file: file), !root.isNull else { return }
        guard case .sequence(let items) = root else {
            throw ContentError(
                .invalidField, at: SourceLocation(file: file, line: root.line),
                "a FAQ file must be a list of entries (`- question: …`), found \(root.kindName)")
        }
        for item in items {
            let fields = try YAMLFields(item, file: file, what: "a FAQ entry")
            try fields.checkKeys(allowed: allowedKeys, in: "a FAQ entry")
            let line = fields.line ?? 1
            guard let question = try fields.string("question") else {
                throw ContentError(
                    .missingField, at: SourceLocation(file: file, line: line), "the entry has no `question`")
            }
            guard let answer = try fields.string("answer") else {
                throw ContentError(.missingField, at: SourceLocation(file: file, line: line), "the entry has no `answer`")
            }
            try collector.add(
                question: question, answer: answer,
                alternates: try fields.stringList("alternates") ?? [],
                tags: try fields.stringList("tags", splittingTextOn: [",", ";"]) ?? [],
                url: try fields.string("url"), line: line)
        }
    }
}
