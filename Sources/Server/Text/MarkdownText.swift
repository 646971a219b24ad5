/// Renders an answer's Markdown for places that show raw text (the text-mode protocol, logs):
/// links become `label (url)`, emphasis and inline-code markers and heading hashes go, list
/// markers and line structure stay. JSON-mode clients get the Markdown itself.
public enum MarkdownText {
    /// `markdown` as readable plain text.
    public static func plain(_ markdown: String) -> String {
        markdown.split(separator: "\n", omittingEmptySubsequences: false)
            .map { plainLine(String($0)) }
            .joined(separator: "\n")
    }

    private static func plainLine(_ line: String) -> String {
        var text = line
        let trimmed = text.drop { $0 == " " }
        if trimmed.hasPrefix("#") {
            text = String(trimmed.drop { $0 == "#" }.drop { $0 == " " })
        }
        return stripEmphasis(rewriteLinks(text))
    }

    /// `[label](url)` → `label (url)`, or just `url` when the label is the url itself.
    private static func rewriteLinks(_ text: String) -> String {
        let characters = Array(text)
        var output = ""
        var index = 0
        while index < characters.count {
            if characters[index] == "[", let link = link(in: characters, at: index) {
                let label = String(characters[(index + 1)..<link.labelEnd])
                let url = String(characters[(link.labelEnd + 2)..<link.end])
                output += label == url || label.isEmpty ? url : "\(label) (\(url))"
                index = link.end + 1
            } else {
                output.append(characters[index])
                index += 1
            }
        }
        return output
    }

    /// The positions of `]` and the closing `)` of a link starting at `start`, if one does.
    private static func link(in characters: [Character], at start: Int) -> (labelEnd: Int, end: Int)? {
        guard let labelEnd = characters[start...].firstIndex(of: "]"),
            labelEnd + 1 < characters.count, characters[labelEnd + 1] == "(",
            let end = characters[(labelEnd + 1)...].firstIndex(of: ")")
        else { return nil }
        let url = characters[(labelEnd + 2)..<end]
        guard !url.isEmpty, !url.contains(" ") else { return nil }
        return (labelEnd, end)
    }

    /// Removes `**`, `__` and backticks; single `*`/`_` are left alone (they are often literal).
    private static func stripEmphasis(_ text: String) -> String {
        var output = text.replacing("**", with: "").replacing("__", with: "")
        output.removeAll { $0 == "`" }
        return output
    }
}
