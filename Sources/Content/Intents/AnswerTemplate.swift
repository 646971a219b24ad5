/// Fills `{name}` placeholders in a canned answer from `intents/_variables.yml`, at load time,
/// so that a typo in a variable name is a load error rather than a broken reply.
public enum AnswerTemplate {
    /// Replaces each `{name}` with its variable; `{{` and `}}` stand for literal braces.
    /// A lone `}` is kept as it is. Names are letters, digits and `_`, not starting with a digit
    /// (spaces inside the braces are allowed and ignored).
    ///
    /// Throws `unknownVariable` for a name with no variable, `invalidField` for a `{` that is
    /// never closed or encloses something that is not a name.
    public static func render(
        _ template: String, variables: [String: String], location: SourceLocation
    ) throws(ContentError) -> String {
        var output = ""
        var index = template.startIndex
        while index < template.endIndex {
            let character = template[index]
            let next = template.index(after: index)
            if character == "}" {
                output.append("}")
                index = next < template.endIndex && template[next] == "}" ? template.index(after: next) : next
                continue
            }
            guard character == "{" else {
                output.append(character)
                index = next
                continue
            }
            if next < template.endIndex, template[next] == "{" {
                output.append("{")
                index = template.index(after: next)
                continue
            }
            guard let close = template[next...].firstIndex(of: "}") else {
                throw ContentError(
                    .invalidField, at: location,
                    "unclosed `{` in the answer; write `{{` for a literal brace")
            }
            let name = template[next..<close].trimmingWhitespace
            guard isVariableName(name) else {
                throw ContentError(
                    .invalidField, at: location,
                    "`{\(template[next..<close])}` is not a variable name; write `{{` and `}}` for literal braces")
            }
            guard let value = variables[name] else {
                let known = variables.keys.sorted()
                var message = "unknown variable `{\(name)}` in the answer"
                if let guess = KeySuggestion.closest(to: name, among: known) {
                    message += "; did you mean `{\(guess)}`?"
                } else if known.isEmpty {
                    message += "; define it in `_variables.yml`"
                }
                throw ContentError(.unknownVariable, at: location, message)
            }
            output += value
            index = template.index(after: close)
        }
        return output
    }

    static func isVariableName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, !("0"..."9").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy { scalar in
            scalar == "_" || ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
        }
    }
}
