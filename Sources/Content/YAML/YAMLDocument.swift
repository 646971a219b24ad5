import Foundation
import Yams

/// Parses YAML text with Yams into a node tree that keeps line marks, and turns Yams' errors into
/// `ContentError`s that point at the file and line.
enum YAMLDocument {
    /// The single document in `text`, or nil when it holds no document (only comments).
    static func parse(_ text: String, file: String) throws(ContentError) -> Node? {
        do {
            return try Yams.compose(yaml: text)
        } catch let error as YamlError {
            throw convert(error, text: text, file: file)
        } catch {
            throw ContentError(.syntax, at: SourceLocation(file: file), "YAML does not parse: \(error)")
        }
    }

    private static func convert(_ error: YamlError, text: String, file: String) -> ContentError {
        func located(_ line: Int?, _ message: String) -> ContentError {
            ContentError(.syntax, at: SourceLocation(file: file, line: line), message)
        }
        switch error {
        case .scanner(let context, let problem, let mark, _),
            .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let detail = context.map { " (\($0.text) at line \($0.mark.line))" } ?? ""
            return located(mark.line, "YAML syntax error at column \(mark.column): \(problem)\(detail)")
        case .reader(let problem, let offset, _, _):
            let line = offset.map { characterOffset in
                text.prefix(characterOffset).reduce(1) { $1.isNewline ? $0 + 1 : $0 }
            }
            return located(line, "YAML cannot read the text: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.map { "`\($0)`" }.joined(separator: ", ")
            return located(context.mark.line, "duplicate key \(keys) in one map")
        default:
            return located(nil, "YAML does not parse: \(error)")
        }
    }
}

extension Node {
    /// 1-based line where the node starts, if Yams recorded it.
    var line: Int? { mark?.line }

    /// The node's text when it is a non-null scalar.
    var scalarText: String? {
        guard case .scalar(let scalar) = self, null == nil else { return nil }
        return scalar.string
    }

    /// Whether the node is an explicit or implicit YAML null (`~`, `null`, nothing).
    var isNull: Bool { null != nil }

    /// A word for the node's kind, for error messages.
    var kindName: String {
        switch self {
        case .scalar: return isNull ? "nothing" : "a single value"
        case .mapping: return "a map"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }
}
