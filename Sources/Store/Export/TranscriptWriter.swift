import Foundation
import Redaction

/// The backend-independent half of an export: formats conversations and messages as a store
/// reads them off its cursor, redacts, and hands the output to `emit` in chunks of about
/// `chunkSize` bytes. Each store feeds it rows in order: a conversation, then its messages.
package struct TranscriptWriter {
    /// Size at which the buffered output is handed on.
    package static let chunkSize = 64 * 1024

    private var formatter: any TranscriptFormatter
    private let redactor: Redactor?
    private let redact: Bool
    /// Whether conversations appear only once they have a message (a time window is set).
    private let lazyConversations: Bool
    private var pending: TranscriptConversation?
    private var open = false
    private var out = [UInt8]()
    private let emit: ([UInt8]) throws -> Void
    /// What has been written so far.
    package private(set) var summary = ExportSummary()

    /// A writer for `request`, handing chunks to `emit`.
    package init(_ request: ExportRequest, emit: @escaping ([UInt8]) throws -> Void) {
        formatter = request.format.makeFormatter(guardFormulas: request.guardFormulas)
        redactor = request.redact ? Redactor() : nil
        redact = request.redact
        lazyConversations = request.since != nil || request.until != nil
        self.emit = emit
        out.reserveCapacity(Self.chunkSize + 16 * 1024)
        formatter.begin(into: &out)
    }

    /// Starts the next conversation (ending the previous one).
    package mutating func conversation(_ conversation: TranscriptConversation) throws {
        try endConversation()
        if lazyConversations {
            pending = conversation
        } else {
            formatter.beginConversation(conversation, redact: redact, into: &out)
            open = true
        }
    }

    /// Writes one message of the current conversation.
    package mutating func message(_ message: TranscriptMessage) throws {
        if let conversation = pending {
            formatter.beginConversation(conversation, redact: redact, into: &out)
            pending = nil
            open = true
        }
        var message = message
        if let redactor { message.text = redactor.redact(message.text) }
        formatter.message(message, into: &out)
        summary.messages += 1
        if out.count >= Self.chunkSize { try flush() }
    }

    /// Ends the export and hands on what is left; returns the summary.
    package mutating func finish() throws -> ExportSummary {
        try endConversation()
        formatter.end(into: &out)
        try flush()
        return summary
    }

    private mutating func endConversation() throws {
        pending = nil
        guard open else { return }
        formatter.endConversation(into: &out)
        summary.conversations += 1
        open = false
    }

    private mutating func flush() throws {
        guard !out.isEmpty else { return }
        try emit(out)
        summary.bytes += out.count
        out.removeAll(keepingCapacity: true)
    }
}
