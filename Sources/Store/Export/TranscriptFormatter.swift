import Foundation
import SupportCore

/// One export format: called once at the start, once per conversation boundary and once per
/// message, appending its bytes to the exporter's buffer. Conformers keep only small state.
protocol TranscriptFormatter {
    mutating func begin(into out: inout [UInt8])
    mutating func beginConversation(_ conversation: TranscriptConversation, redact: Bool, into out: inout [UInt8])
    mutating func message(_ message: TranscriptMessage, into out: inout [UInt8])
    mutating func endConversation(into out: inout [UInt8])
    mutating func end(into out: inout [UInt8])
}

extension ExportFormat {
    /// A fresh formatter for this format.
    func makeFormatter(guardFormulas: Bool = false) -> any TranscriptFormatter {
        switch self {
        case .json: JSONTranscriptFormatter()
        case .jsonl: JSONLinesTranscriptFormatter()
        case .markdown: MarkdownTranscriptFormatter()
        case .csv: CSVTranscriptFormatter(guardFormulas: guardFormulas)
        }
    }
}
