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

    /// Text mode, as far as it can be exercised without a live session: lines framed by the
    /// server's decoder, then what text mode does to text on the way back to a terminal (the
    /// answer block framing, Markdown made plain, text kept on one line). The slash-command
    /// parsing itself is inline in `ConnectionSession`'s request loop and needs a connected
    /// conversation session, so it is not reached here.
    public static let textMode = FuzzTarget(name: "TextMode") { bytes in
        for line in LineFramer.lines(in: bytes) {
            guard let text = String(validating: line, as: UTF8.self) else { continue }
            _ = TextBlock.render([text, MarkdownText.plain(text), TerminalText.oneLine(text)])
            _ = TerminalText.withoutControls(text)
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
