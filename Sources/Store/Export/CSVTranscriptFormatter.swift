import Foundation
import SupportCore

/// CSV per RFC 4180: a header row, then one row per message, CRLF line ends, and fields that
/// hold a comma, quote, CR or LF wrapped in quotes with inner quotes doubled. Columns follow
/// the wire protocol's message object; `sources` is its JSON array.
///
/// Text is written exactly as stored unless `guardFormulas` is set: then a text cell starting
/// with `=`, `+`, `-`, `@`, a tab or a CR gets a leading `'` (OWASP's CSV injection advice), so
/// a spreadsheet opening the file shows the text instead of evaluating it.
struct CSVTranscriptFormatter: TranscriptFormatter {
    static let header = "id,conversation,seq,role,text,intent,confidence,route,sources,created_at"
    /// Characters a spreadsheet may treat as the start of a formula.
    static let formulaStarts: Set<Character> = ["=", "+", "-", "@", "\t", "\r"]

    var guardFormulas = false

    mutating func begin(into out: inout [UInt8]) {
        out.append(contentsOf: Self.header.utf8)
        out.append(contentsOf: [13, 10])
    }

    mutating func beginConversation(_ conversation: TranscriptConversation, redact: Bool, into out: inout [UInt8]) {}

    mutating func message(_ message: TranscriptMessage, into out: inout [UInt8]) {
        Self.appendField(message.id, to: &out)
        out.append(UInt8(ascii: ","))
        Self.appendField(message.conversation, to: &out)
        out.append(UInt8(ascii: ","))
        out.append(contentsOf: String(message.seq).utf8)
        out.append(UInt8(ascii: ","))
        Self.appendField(message.role, to: &out)
        out.append(UInt8(ascii: ","))
        let guarded = guardFormulas && message.text.first.map(Self.formulaStarts.contains) == true
        Self.appendField(guarded ? "'" + message.text : message.text, to: &out)
        out.append(UInt8(ascii: ","))
        Self.appendField(message.intent ?? "", to: &out)
        out.append(UInt8(ascii: ","))
        if let confidence = message.confidence, confidence.isFinite {
            out.append(contentsOf: confidence.description.utf8)
        }
        out.append(UInt8(ascii: ","))
        Self.appendField(message.route ?? "", to: &out)
        out.append(UInt8(ascii: ","))
        Self.appendField(message.sourcesJSON, to: &out)
        out.append(UInt8(ascii: ","))
        RFC3339.append(millis: message.createdAt, to: &out)
        out.append(contentsOf: [13, 10])
    }

    mutating func endConversation(into out: inout [UInt8]) {}
    mutating func end(into out: inout [UInt8]) {}

    /// Appends `field`, quoted when RFC 4180 requires it.
    static func appendField(_ field: String, to out: inout [UInt8]) {
        let needsQuotes = field.utf8.contains { (byte: UInt8) -> Bool in
            byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
        }
        guard needsQuotes else {
            out.append(contentsOf: field.utf8)
            return
        }
        out.append(34)
        for byte in field.utf8 {
            if byte == 34 { out.append(34) }
            out.append(byte)
        }
        out.append(34)
    }
}
