import Foundation
import SupportCore

/// Markdown: a readable transcript per conversation — a heading, the conversation's facts,
/// then one section per message with its role and timestamp (and for bot messages the intent,
/// confidence, route and numbered sources). Message text is quoted line by line (`> `) so that
/// it cannot turn into headings or lists of the transcript itself, with control characters
/// shown as control pictures (`TerminalText`) so that a transcript read in a terminal cannot
/// drive it; the JSON formats keep the text exact.
struct MarkdownTranscriptFormatter: TranscriptFormatter {
    private var conversations = 0

    mutating func begin(into out: inout [UInt8]) {}

    mutating func beginConversation(_ conversation: TranscriptConversation, redact: Bool, into out: inout [UInt8]) {
        if conversations > 0 {
            out.append(contentsOf: "---\n\n".utf8)
        }
        conversations += 1
        out.append(contentsOf: "# Conversation \(conversation.id)\n\n".utf8)
        out.append(contentsOf: "- Client: \(conversation.client)\n".utf8)
        out.append(contentsOf: "- Status: \(conversation.status)\n".utf8)
        out.append(contentsOf: "- Started: ".utf8)
        RFC3339.append(millis: conversation.createdAt, to: &out)
        out.append(contentsOf: "\n- Last activity: ".utf8)
        RFC3339.append(millis: conversation.updatedAt, to: &out)
        out.append(contentsOf: "\n\n".utf8)
    }

    mutating func message(_ message: TranscriptMessage, into out: inout [UInt8]) {
        out.append(contentsOf: "## \(message.seq). \(message.role) · ".utf8)
        RFC3339.append(millis: message.createdAt, to: &out)
        out.append(contentsOf: "\n\n".utf8)
        var facts = [String]()
        if let intent = message.intent {
            if let confidence = message.confidence {
                facts.append("intent `\(intent)` (confidence \(JSONText.twoDecimals(confidence)))")
            } else {
                facts.append("intent `\(intent)`")
            }
        }
        if let route = message.route {
            facts.append("route `\(route)`")
        }
        if !facts.isEmpty {
            out.append(contentsOf: "*\(facts.joined(separator: " · "))*\n\n".utf8)
        }
        // Control characters made visible: a transcript read with `cat` cannot drive the terminal.
        Self.appendQuoted(TerminalText.withoutControls(message.text), to: &out)
        out.append(UInt8(ascii: "\n"))
        let sources = (try? JSONText.decodeSources(message.sources)) ?? []
        if !sources.isEmpty {
            out.append(contentsOf: "Sources:\n\n".utf8)
            for (index, source) in sources.enumerated() {
                out.append(
                    contentsOf: "\(index + 1). \(source.title) (`\(source.file)`, score \(JSONText.twoDecimals(source.score)))\n"
                        .utf8)
            }
            out.append(UInt8(ascii: "\n"))
        }
    }

    /// Appends `text` as a block quote: `> ` before every line (split at LF only, so a CR stays
    /// part of its line), a bare `>` for empty lines.
    static func appendQuoted(_ text: String, to out: inout [UInt8]) {
        var atLineStart = true
        var lineIsEmpty = true
        for byte in text.utf8 {
            if atLineStart {
                out.append(UInt8(ascii: ">"))
                atLineStart = false
                lineIsEmpty = true
            }
            if byte == UInt8(ascii: "\n") {
                out.append(byte)
                atLineStart = true
                continue
            }
            if lineIsEmpty {
                out.append(UInt8(ascii: " "))
                lineIsEmpty = false
            }
            out.append(byte)
        }
        if atLineStart {
            out.append(UInt8(ascii: ">"))
        }
        out.append(UInt8(ascii: "\n"))
    }

    mutating func endConversation(into out: inout [UInt8]) {}
    mutating func end(into out: inout [UInt8]) {}
}
