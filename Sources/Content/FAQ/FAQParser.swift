import Foundation

/// Turns the bytes of one file in `faqs/` into its entries, choosing the format by extension.
/// Pure: no file system access, so the loader, the watcher and tests all parse the same way.
public struct FAQParser {
    /// Extensions (lower-case, without the dot) that hold FAQ entries.
    public static let supportedExtensions: Set<String> = ["md", "yml", "yaml", "json", "csv"]

    /// `path` is the path inside `faqs/` (e.g. `shipping.md`); it picks the format and is the
    /// first part of every entry id. Errors name `displayName/path` and a line.
    public static func parse(_ data: Data, path: String, displayName: String = "faqs") throws(ContentError) -> [FAQEntry] {
        let file = "\(displayName)/\(path)"
        let fileExtension = Self.fileExtension(of: path)
        guard supportedExtensions.contains(fileExtension) else {
            let names = supportedExtensions.sorted().map { ".\($0)" }.joined(separator: ", ")
            throw ContentError(
                .invalidField, at: SourceLocation(file: file), "unsupported file type; use one of \(names)")
        }
        let text = try ContentText.decode(data, file: file)
        var collector = FAQEntryCollector(path: path, file: file)
        switch fileExtension {
        case "md":
            try MarkdownFAQParser.parse(text, into: &collector)
        case "json":
            try JSONFAQParser.parse(text, into: &collector)
        case "csv":
            try CSVFAQParser.parse(text, into: &collector)
        default:
            try YAMLFAQParser.parse(text, into: &collector)
        }
        return collector.entries
    }

    /// The lower-cased extension of the last path component, or "" when it has none.
    static func fileExtension(of path: String) -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        guard let dot = name.lastIndex(of: "."), dot != name.startIndex else { return "" }
        return name[name.index(after: dot)...].lowercased()
    }
}
