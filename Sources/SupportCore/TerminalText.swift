/// Text written by people (customers, agents) or operators, made safe to show in a terminal:
/// control characters cannot drive it (escape sequences that clear the screen or set the window
/// title, bells, backspaces, bidirectional overrides that reorder what is shown), and text meant
/// for one line cannot forge the lines after it. Control characters become their visible
/// Unicode "control pictures" (ESC → ␛), so nothing a person wrote silently disappears.
public enum TerminalText {
    /// `text` with every control character made visible; line feeds and tabs stay.
    public static func withoutControls(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { needsReplacement($0, keepingLineFeeds: true) }) else { return text }
        var result = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            result.append(contentsOf: replacement(for: scalar, keepingLineFeeds: true))
        }
        return String(result)
    }

    /// `text` as one line: line breaks (LF, CR, NEL, U+2028, U+2029) become ` ⏎ `, and every
    /// other control character is made visible.
    public static func oneLine(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { needsReplacement($0, keepingLineFeeds: false) }) else { return text }
        var result = String.UnicodeScalarView()
        var previousWasCR = false
        for scalar in text.unicodeScalars {
            if scalar == "\n", previousWasCR {
                previousWasCR = false
                continue
            }
            previousWasCR = scalar == "\r"
            result.append(contentsOf: replacement(for: scalar, keepingLineFeeds: false))
        }
        return String(result)
    }

    private static let lineBreaks: Set<UInt32> = [0x0A, 0x0D, 0x85, 0x2028, 0x2029]

    private static func needsReplacement(_ scalar: Unicode.Scalar, keepingLineFeeds: Bool) -> Bool {
        let value = scalar.value
        if value == 0x09 || (keepingLineFeeds && value == 0x0A) { return false }
        return value < 0x20 || (0x7F...0x9F).contains(value) || lineBreaks.contains(value) || isBidiControl(value)
    }

    private static func isBidiControl(_ value: UInt32) -> Bool {
        (0x202A...0x202E).contains(value) || (0x2066...0x2069).contains(value) || value == 0x200E || value == 0x200F
            || value == 0x061C
    }

    private static func replacement(for scalar: Unicode.Scalar, keepingLineFeeds: Bool) -> [Unicode.Scalar] {
        let value = scalar.value
        guard needsReplacement(scalar, keepingLineFeeds: keepingLineFeeds) else { return [scalar] }
        if lineBreaks.contains(value) { return keepingLineFeeds ? ["\u{240D}"] : [" ", "\u{23CE}", " "] }
        if value < 0x20 { return [Unicode.Scalar(0x2400 + value)!] }
        if value == 0x7F { return ["\u{2421}"] }
        return ["\u{FFFD}"]
    }
}
