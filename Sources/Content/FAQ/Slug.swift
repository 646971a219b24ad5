/// Turns a question into the stable, URL-safe part of a FAQ entry's id, so that an entry keeps
/// its id as long as its file and question stay the same.
public enum Slug {
    /// Longest slug kept; longer ones are cut (and a trailing `-` trimmed again).
    public static let maximumLength = 80

    /// Lower-cased; every run of characters outside `[a-z0-9]` becomes one `-`; leading and
    /// trailing `-` trimmed; cut to `maximumLength`. May be empty (callers then use `entry-<line>`).
    public static func make(_ text: String) -> String {
        var slug = ""
        var pendingDash = false
        for scalar in text.lowercased().unicodeScalars {
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
                if pendingDash, !slug.isEmpty { slug.append("-") }
                pendingDash = false
                slug.unicodeScalars.append(scalar)
            } else {
                pendingDash = true
            }
        }
        if slug.count > maximumLength {
            slug = String(slug.prefix(maximumLength))
            while slug.hasSuffix("-") { slug.removeLast() }
        }
        return slug
    }

    /// The id of a FAQ entry: `path#slug`, or `path#entry-<line>` when the question has no
    /// letters or digits.
    static func entryID(path: String, question: String, line: Int) -> String {
        let slug = make(question)
        return "\(path)#\(slug.isEmpty ? "entry-\(line)" : slug)"
    }
}
