import Yams

/// Reads a `faqs/*.md` file: optional YAML front matter (`title`, `tags`, `url`), then either
/// one entry per `## ` heading, or (with no such heading) one entry for the whole file.
/// Headings inside fenced code blocks are text, not headings.
enum MarkdownFAQParser {
    /// What the front matter may set; other keys (dates, layouts of site generators) are ignored.
    struct FrontMatter {
        var title: String?
        var tags: [String] = []
        var url: String?
    }

    /// A heading outside code fences: its level (1–6), text and 0-based index in the lines.
    private struct Heading {
        var level: Int
        var text: String
        var index: Int
    }

    static func parse(_ text: String, into collector: inout FAQEntryCollector) throws(ContentError) {
        let lines = ContentText.lines(text)
        let (frontMatter, bodyStart) = try readFrontMatter(lines, file: collector.file)
        let headings = findHeadings(lines, from: bodyStart)
        let questions = headings.filter { $0.level == 2 }
        if questions.isEmpty {
            try addWholeFile(lines, bodyStart: bodyStart, headings: headings, frontMatter: frontMatter, into: &collector)
            return
        }
        for (position, heading) in questions.enumerated() {
            let end = position + 1 < questions.count ? questions[position + 1].index : lines.count
            let answer = lines[(heading.index + 1)..<end].joined(separator: "\n").trimmingWhitespace
            let line = heading.index + 1
            guard !answer.isEmpty else {
                throw ContentError(
                    .missingField, at: SourceLocation(file: collector.file, line: line),
                    "the heading \"## \(heading.text)\" has no answer below it")
            }
            try collector.add(
                question: heading.text, answer: answer, tags: frontMatter.tags, url: frontMatter.url, line: line)
        }
    }

    /// A file without `## ` headings: one entry titled by its `# ` heading, front matter title
    /// or file name.
    private static func addWholeFile(
        _ lines: [Substring], bodyStart: Int, headings: [Heading], frontMatter: FrontMatter,
        into collector: inout FAQEntryCollector
    ) throws(ContentError) {
        let title = headings.first { $0.level == 1 }
        var body = Array(lines[bodyStart...].indices)
        if let title { body.removeAll { $0 == title.index } }
        let answer = body.map { lines[$0] }.joined(separator: "\n").trimmingWhitespace
        let firstText = lines.indices.dropFirst(bodyStart).first { !lines[$0].trimmingWhitespace.isEmpty }
        let line = (title?.index ?? firstText ?? bodyStart) + 1
        guard !answer.isEmpty else {
            throw ContentError(
                .missingField, at: SourceLocation(file: collector.file, line: line), "the file has no text to serve as an answer")
        }
        let question = title?.text ?? frontMatter.title ?? questionFromFileName(collector.path)
        try collector.add(question: question, answer: answer, tags: frontMatter.tags, url: frontMatter.url, line: line)
    }

    /// `billing/how_to-pay.md` → `how to pay`.
    static func questionFromFileName(_ path: String) -> String {
        var name = path.split(separator: "/").last.map(String.init) ?? path
        if let dot = name.lastIndex(of: "."), dot != name.startIndex { name = String(name[..<dot]) }
        return name.map { $0 == "-" || $0 == "_" ? " " : $0 }.reduce(into: "") { $0.append($1) }
    }

    /// Parses front matter when the first line is `---`; returns it and the index of the first
    /// body line.
    static func readFrontMatter(_ lines: [Substring], file: String) throws(ContentError) -> (FrontMatter, Int) {
        guard let first = lines.first, first.trimmingWhitespace == "---" else { return (FrontMatter(), 0) }
        guard let close = lines.indices.dropFirst().first(where: { ["---", "..."].contains(lines[$0].trimmingWhitespace) }) else {
            throw ContentError(
                .frontMatter, at: SourceLocation(file: file, line: 1),
                "the front matter opened by `---` on line 1 is never closed by another `---` line")
        }
        // An empty first line keeps Yams' line marks equal to the file's line numbers.
        let yaml = ([""] + lines[1..<close]).joined(separator: "\n")
        let root: Node?
        do {
            root = try YAMLDocument.parse(yaml, file: file)
        } catch {
            throw ContentError(.frontMatter, at: error.location, "front matter: \(error.message)")
        }
        guard let root, !root.isNull else { return (FrontMatter(), close + 1) }
        guard case .mapping = root else {
            throw ContentError(
                .frontMatter, at: SourceLocation(file: file, line: root.line ?? 1),
                "the front matter must be a map (`title: …`), found \(root.kindName)")
        }
        let fields = try YAMLFields(root, file: file, what: "the front matter")
        var frontMatter = FrontMatter()
        frontMatter.title = try fields.string("title")
        frontMatter.tags = try fields.stringList("tags", splittingTextOn: [",", ";"]) ?? []
        frontMatter.url = try fields.string("url")
        return (frontMatter, close + 1)
    }

    /// ATX headings (`#` to `######`) outside fenced code blocks, from line `start` on.
    private static func findHeadings(_ lines: [Substring], from start: Int) -> [Heading] {
        var headings: [Heading] = []
        var fence: (character: Character, length: Int)?
        for index in lines.indices.dropFirst(start) {
            let line = lines[index]
            let indent = line.prefix { $0 == " " }.count
            guard indent <= 3 else { continue }
            let content = line.dropFirst(indent)
            if let marker = content.first, marker == "`" || marker == "~" {
                let length = content.prefix { $0 == marker }.count
                if length >= 3 {
                    if let open = fence {
                        if open.character == marker, length >= open.length,
                            content.dropFirst(length).trimmingWhitespace.isEmpty
                        {
                            fence = nil
                        }
                    } else {
                        fence = (marker, length)
                    }
                    continue
                }
            }
            guard fence == nil, let heading = heading(content) else { continue }
            headings.append(Heading(level: heading.level, text: heading.text, index: index))
        }
        return headings
    }

    /// `## Text ##` → (2, "Text"); nil when the line is not an ATX heading.
    private static func heading(_ content: Substring) -> (level: Int, text: String)? {
        let level = content.prefix { $0 == "#" }.count
        guard (1...6).contains(level) else { return nil }
        let rest = content.dropFirst(level)
        guard rest.isEmpty || rest.first == " " || rest.first == "\t" else { return nil }
        var text = rest.trimmingWhitespace
        let closing = text.reversed().prefix { $0 == "#" }.count
        if closing > 0 {
            let kept = text.dropLast(closing)
            if kept.isEmpty || kept.last == " " || kept.last == "\t" { text = kept.trimmingWhitespace }
        }
        return (level, text)
    }
}
