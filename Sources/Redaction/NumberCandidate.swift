/// A run of digit groups as people write numbers in messages (`+44 (0)20 7946 0958`,
/// `4111.1111.1111.1111`, `123-45-6789`): the groups, the separators between them and what
/// surrounds the run. The `NumberClassifier` decides which stretches of groups are personal data.
struct NumberCandidate {
    /// One group of digits; `parenthesised` when written as `(020)`.
    struct Group {
        var range: Range<Int>
        var digits: [UInt8]
        var parenthesised = false
        /// The separator before this group, trimmed of spaces: "" (spaces only), "-", ".", "/",
        /// "(" or ")"; nil for the first group.
        var separator: String?
        /// Whether the separator before this group had spaces (or was only spaces).
        var spaced = false
        /// Glued to a letter, `:` or `,` and digit after it (`6pm`, `14:30`, `1,299`): part of
        /// something else, so never inside a finding.
        var glued = false
    }

    var groups: [Group] = []
    /// Written with a leading `+` (international form).
    var plus = false
    /// Written right after `#`.
    var afterHash = false
    /// Where scanning ended; the main loop continues there.
    var end: Int

    /// Whether a number may start at `index`: a digit, or `+`/`(` before one, not glued to a
    /// word or another number before it (`A1234`, `ORD-2024`, `1,234`).
    static func mayStart(in text: ScalarText, at index: Int) -> Bool {
        guard let scalar = text[index] else { return false }
        if scalar == "+" || scalar == "(" {
            guard text.isDigit(index + 1) || (scalar == "+" && text.is(index + 1, "(") && text.isDigit(index + 2)) else {
                return false
            }
        } else if !ScalarText.isDigit(scalar) {
            return false
        }
        guard let previous = text[index - 1] else { return true }
        if ScalarText.isWordScalar(previous) || previous == "_" || previous == "+" { return false }
        if ScalarText.isDash(previous) || previous == "/" || previous == "." || previous == "," || previous == ":" {
            return !text.isWordScalar(index - 2)
        }
        return true
    }

    static func scan(_ text: ScalarText, from start: Int, limit: Int) -> NumberCandidate {
        var candidate = NumberCandidate(end: start)
        candidate.afterHash = text.is(start - 1, "#")
        var at = start
        if text.is(at, "+") {
            candidate.plus = true
            at += 1
        }
        var separator: String? = nil
        var spaced = false
        var parenthesised = false
        while at < limit {
            if text.is(at, "("), text.isDigit(at + 1) {
                parenthesised = true
                at += 1
            }
            guard text.isDigit(at) else { break }
            let groupStart = at
            var digits: [UInt8] = []
            while at < limit, let scalar = text[at], ScalarText.isDigit(scalar) {
                digits.append(UInt8(scalar.value - 48))
                at += 1
            }
            var group = Group(range: groupStart..<at, digits: digits, separator: separator, spaced: spaced)
            if parenthesised {
                guard text.is(at, ")") else { break }
                // `(020)` is an area code; `(5536…4349)` is a number in brackets.
                group.parenthesised = digits.count <= 5
                at += 1
                parenthesised = false
                if !group.parenthesised {
                    candidate.groups.append(group)
                    candidate.end = at - 1
                    break
                }
            }
            group.glued = isGlued(text, at: at)
            candidate.groups.append(group)
            candidate.end = at
            guard !group.glued else { break }
            if group.parenthesised, at < limit, text.isDigit(at) {
                (separator, spaced) = (")", false)
                continue
            }
            guard let next = separatorEnd(text, at: at, limit: limit) else { break }
            separator = next.separator
            spaced = next.spaced
            at = next.end
        }
        if candidate.groups.isEmpty { candidate.end = start + 1 }
        return candidate
    }

    /// After a group: a letter, or `:`/`,` followed by a digit, means the digits are part of a
    /// word, a time or an amount.
    private static func isGlued(_ text: ScalarText, at index: Int) -> Bool {
        guard let scalar = text[index] else { return false }
        if ScalarText.isDigit(scalar) { return false }  // after `(020)`
        if ScalarText.isWordScalar(scalar) || scalar == "@" || scalar == "_" { return true }
        if scalar == ":" || scalar == "," || scalar == "%" { return text.isDigit(index + 1) || scalar == "%" }
        return false
    }

    /// The separator between two groups: up to two spaces, or one of `- . /` with a space or two
    /// around it, or a `(` opening the next group; nil when the run ends here.
    private static func separatorEnd(_ text: ScalarText, at start: Int, limit: Int) -> (end: Int, separator: String, spaced: Bool)?
    {
        var at = start
        var spaces = 0
        while at < limit, text.isSpace(at), spaces < 2 {
            at += 1
            spaces += 1
        }
        var mark = ""
        if let scalar = text[at], ScalarText.isDash(scalar) || scalar == "." || scalar == "/" {
            mark = ScalarText.isDash(scalar) ? "-" : String(scalar)
            at += 1
            var after = 0
            while at < limit, text.isSpace(at), after < 2 {
                at += 1
                after += 1
            }
            spaces += after
        }
        if text.is(at, "("), text.isDigit(at + 1) { return (at, mark.isEmpty ? "(" : mark, spaces > 0) }
        guard at < limit, text.isDigit(at), mark != "" || spaces > 0 else { return nil }
        return (at, mark, spaces > 0)
    }
}
