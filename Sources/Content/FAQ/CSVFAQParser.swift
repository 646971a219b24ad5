/// Reads a `faqs/*.csv` file: a header row naming `question` and `answer` (any case, any order)
/// and optionally `url`, `tags` (split on `;` or `,`) and `alternates` (split on `|`).
enum CSVFAQParser {
    static let requiredColumns = ["question", "answer"]
    static let allowedColumns = ["question", "answer", "url", "tags", "alternates"]

    static func parse(_ text: String, into collector: inout FAQEntryCollector) throws(ContentError) {
        let file = collector.file
        let records = try CSVReader.records(text, file: file)
        guard let header = records.first else {
            throw ContentError(.missingColumn, at: SourceLocation(file: file, line: 1), "the file has no header row")
        }
        let headerLocation = SourceLocation(file: file, line: header.line)
        var columnIndex: [String: Int] = [:]
        for (index, raw) in header.fields.enumerated() {
            let name = raw.trimmingWhitespace.lowercased()
            guard allowedColumns.contains(name) else {
                throw ContentError(
                    .invalidField, at: headerLocation,
                    KeySuggestion.unknownKeyMessage(name, allowed: allowedColumns, in: "the header row", noun: "column"))
            }
            guard columnIndex[name] == nil else {
                throw ContentError(.invalidField, at: headerLocation, "the column `\(name)` appears twice in the header")
            }
            columnIndex[name] = index
        }
        let missing = requiredColumns.filter { columnIndex[$0] == nil }
        guard missing.isEmpty else {
            let names = missing.map { "`\($0)`" }.joined(separator: " and ")
            throw ContentError(
                .missingColumn, at: headerLocation,
                "the header row has no \(names) column (it needs `question,answer`)")
        }
        for record in records.dropFirst() {
            guard record.fields.count == header.fields.count else {
                throw ContentError(
                    .syntax, at: SourceLocation(file: file, line: record.line),
                    "the row has \(record.fields.count) fields but the header has \(header.fields.count)")
            }
            func column(_ name: String) -> String {
                columnIndex[name].map { record.fields[$0] } ?? ""
            }
            try collector.add(
                question: column("question"), answer: column("answer"),
                alternates: column("alternates").split(separator: "|").map(String.init),
                tags: FAQEntryCollector.splitTags(column("tags")),
                url: column("url"), line: record.line)
        }
    }
}
