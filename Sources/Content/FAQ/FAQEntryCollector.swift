/// Builds the entries of one FAQ file, whatever its format: gives each its stable id, refuses
/// empty questions and answers, and refuses two entries with the same id in the file.
struct FAQEntryCollector {
    /// Path inside `faqs/`, e.g. `billing/refunds.yml`.
    let path: String
    /// Path shown in errors, e.g. `faqs/billing/refunds.yml`.
    let file: String
    private(set) var entries: [FAQEntry] = []
    private var lineOfID: [String: Int] = [:]

    init(path: String, file: String) {
        self.path = path
        self.file = file
    }

    mutating func add(
        question: String, answer: String, alternates: [String] = [], tags: [String] = [], url: String? = nil,
        line: Int
    ) throws(ContentError) {
        let question = question.trimmingWhitespace
        let answer = answer.trimmingWhitespace
        guard !question.isEmpty else {
            throw ContentError(.missingField, at: SourceLocation(file: file, line: line), "the entry has no question")
        }
        guard !answer.isEmpty else {
            throw ContentError(
                .missingField, at: SourceLocation(file: file, line: line), "the question \"\(question)\" has no answer")
        }
        let id = Slug.entryID(path: path, question: question, line: line)
        if let first = lineOfID[id] {
            throw ContentError(
                .duplicateEntry, at: SourceLocation(file: file, line: line),
                "the question \"\(question)\" repeats the entry at line \(first) (same id `\(id)`)")
        }
        lineOfID[id] = line
        let url = url?.trimmingWhitespace
        entries.append(
            FAQEntry(
                id: id, question: question, alternates: alternates.map(\.trimmingWhitespace).filter { !$0.isEmpty },
                answer: answer, tags: tags.map(\.trimmingWhitespace).filter { !$0.isEmpty },
                url: url?.isEmpty == false ? url : nil, file: path, line: line))
    }

    /// Tags written as one text: split on `,` or `;`.
    static func splitTags(_ text: String) -> [String] {
        text.split(whereSeparator: { $0 == "," || $0 == ";" }).map(\.trimmingWhitespace).filter { !$0.isEmpty }
    }
}
