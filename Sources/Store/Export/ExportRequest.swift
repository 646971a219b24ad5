import Foundation
import SupportCore

/// Which conversations an export covers.
public enum ExportSelection: Sendable, Hashable {
    /// One conversation.
    case conversation(ConversationID)
    /// Every conversation of the named client.
    case client(String)
    /// Every conversation in the store.
    case all
}

/// What to export and how: the selection, an optional time window over message creation times,
/// the format and whether to redact personal data.
///
/// With a time window, only messages created in `since ..< until` are exported and
/// conversations without such messages are left out; without one, conversations with no
/// messages yet appear with an empty message list (JSON, Markdown).
public struct ExportRequest: Sendable, Hashable {
    public var selection: ExportSelection
    public var format: ExportFormat
    /// Mask e-mail addresses, phone numbers and card numbers in message text (see `Redactor`),
    /// and leave out conversation metadata (free-form client data). Default false.
    public var redact: Bool
    /// Only messages created at or after this instant. Default nil (no lower bound).
    public var since: Date?
    /// Only messages created strictly before this instant. Default nil (no upper bound).
    public var until: Date?
    /// CSV only: a text cell starting with `=`, `+`, `-`, `@`, a tab or a CR gets a leading `'`,
    /// so that a spreadsheet opening the file shows it rather than evaluating it as a formula.
    /// Default false (text exactly as stored).
    public var guardFormulas: Bool

    public init(
        selection: ExportSelection, format: ExportFormat, redact: Bool = false, since: Date? = nil, until: Date? = nil,
        guardFormulas: Bool = false
    ) {
        self.guardFormulas = guardFormulas
        self.selection = selection
        self.format = format
        self.redact = redact
        self.since = since
        self.until = until
    }
}

/// What an export wrote.
public struct ExportSummary: Sendable, Hashable {
    public var conversations: Int
    public var messages: Int
    /// Bytes handed to the sink.
    public var bytes: Int

    public init(conversations: Int = 0, messages: Int = 0, bytes: Int = 0) {
        self.conversations = conversations
        self.messages = messages
        self.bytes = bytes
    }
}
