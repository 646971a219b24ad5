import Foundation
import Server
import SupportCore

extension FuzzTarget {
    /// The JSON line protocol: bytes framed into lines by the server's decoder, each valid UTF-8
    /// line parsed into a request by the server's `RequestParser` (strict JSON, then fields).
    /// Whatever `StrictJSONReader` accepts must also parse with Foundation's
    /// `JSONSerialization`, and so must the value written back out as JSON (`JSONValue.jsonText`),
    /// which our reader must accept again.
    public static let jsonLine = FuzzTarget(name: "JSONLine") { bytes in
        let parser = RequestParser(maxMessageLength: ServerConfiguration.Limits().maxMessageLength)
        for line in LineFramer.lines(in: bytes) {
            // The server refuses a line that is not UTF-8 before parsing it (`bad_encoding`).
            guard String(validating: line, as: UTF8.self) != nil else { continue }
            _ = parser.parse(line)
            checkJSONRoundTrip(line)
        }
    }

    /// Text mode: lines framed by the server's decoder; a line starting with `/` parsed as a
    /// slash command by the server's `TextCommandParser` (a parsed command, written back as a
    /// line, must parse to the same command); and what text mode does to text on the way back to
    /// a terminal (the answer block framing, Markdown made plain, text kept on one line).
    public static let textMode = FuzzTarget(name: "TextMode") { bytes in
        let parser = TextCommandParser(maxMessageLength: ServerConfiguration.Limits().maxMessageLength)
        for line in LineFramer.lines(in: bytes) {
            guard let text = String(validating: line, as: UTF8.self) else { continue }
            if text.hasPrefix("/") {
                checkTextCommand(text, parser: parser)
            }
            _ = TextBlock.render([text, MarkdownText.plain(text), TerminalText.oneLine(text)])
            _ = TerminalText.withoutControls(text)
        }
    }

    private static func checkTextCommand(_ line: String, parser: TextCommandParser) {
        guard case .success(let command) = parser.parse(line).result else { return }
        let name = "TextMode"
        let written: String? =
            switch command {
            case .token(let token): "/token \(token)"
            case .say(let text): "/say \(text)"
            case .join(let id): "/join \(id.rawValue)"
            case .export(let format): "/export \(format.rawValue)"
            default: nil
            }
        if let written {
            let again = parser.parse(written).result
            invariant(
                (try? again.get()) == command, name,
                "\(command) written back as '\(written)' parses to \(again)")
        }
        if case .unknown(let word) = command {
            invariant(TextCommand.Name(rawValue: word) == nil, name, "the known command \(word) parsed as unknown")
        }
    }

    private static func checkJSONRoundTrip(_ line: [UInt8]) {
        guard let document = try? StrictJSONReader.read(line) else { return }
        let name = "JSONLine"
        invariant(
            (try? JSONSerialization.jsonObject(with: Data(line), options: .fragmentsAllowed)) != nil, name,
            "StrictJSONReader accepted a line JSONSerialization refuses: \(String(decoding: line, as: UTF8.self))")
        let written = document.value.jsonText
        invariant(
            (try? JSONSerialization.jsonObject(with: Data(written.utf8), options: .fragmentsAllowed)) != nil, name,
            "JSONSerialization refuses the value written back as JSON: \(written)")
        invariant(
            (try? StrictJSONReader.read(Array(written.utf8))) != nil, name,
            "StrictJSONReader refuses the value it read, written back as JSON: \(written)")
    }
}
