import Foundation
import SupportCore
import Synchronization

/// A conversation store as the operator's commands use it: besides the conversation use case
/// (`ConversationStore`), streamed exports, the report's turns, retention and a clean close.
/// `SQLiteStore` and `PostgresStore` implement it; `supportbot export`, `report`, `purge`,
/// `token` and `serve` take either through `--database`.
public protocol ManagedConversationStore: ConversationStore {
    /// Where the data lives, for messages and reports: a file path or a URL without password.
    var location: String { get }

    /// Streams the transcripts `request` selects to `sink` from one consistent snapshot, in
    /// constant memory. Throws `notFound` when the selected conversation or client does not
    /// exist, `io` when the sink fails.
    func exportTranscripts(_ request: ExportRequest, to sink: some TranscriptSink) async throws -> ExportSummary

    /// Folds every bot reply created in `since ..< until` into `initial`, oldest first, off a
    /// cursor over one consistent snapshot (see `ReportTurn`).
    func reduceReportTurns<Result: Sendable>(
        since: Date?, until: Date?, into initial: Result,
        _ update: @escaping @Sendable (inout Result, ReportTurn) throws -> Void
    ) async throws -> Result

    /// Deletes ended conversations whose last activity is before `cutoff`, with their messages
    /// and feedback, `batchSize` (1...10,000) conversations per transaction.
    func purge(olderThan cutoff: Date, batchSize: Int) async throws -> PurgeSummary

    /// The feedback recorded for a message, if any.
    func feedback(message: MessageID) async throws -> Feedback?

    /// The schema migrations applied, oldest first.
    func appliedMigrations() async throws -> [String]

    /// Finishes pending writes and releases connections. The store must not be used afterwards.
    func close() async
}

extension ManagedConversationStore {
    /// The whole export as one string (the protocol's `export` of one conversation, tests).
    public func exportString(_ request: ExportRequest) async throws -> String {
        let sink = MemoryTranscriptSink()
        _ = try await exportTranscripts(request, to: sink)
        return sink.text
    }

    /// Deletes ended conversations older than `cutoff`, 500 per transaction.
    public func purge(olderThan cutoff: Date) async throws -> PurgeSummary {
        try await purge(olderThan: cutoff, batchSize: 500)
    }

    /// Folds every bot reply in the store into `initial`, oldest first.
    public func reduceReportTurns<Result: Sendable>(
        into initial: Result, _ update: @escaping @Sendable (inout Result, ReportTurn) throws -> Void
    ) async throws -> Result {
        try await reduceReportTurns(since: nil, until: nil, into: initial, update)
    }

    /// Every bot reply created in `since ..< until`, oldest first.
    public func reportTurns(since: Date? = nil, until: Date? = nil) async throws -> [ReportTurn] {
        try await reduceReportTurns(since: since, until: until, into: [ReportTurn]()) { turns, turn in
            turns.append(turn)
        }
    }
}

/// Collects an export in memory.
final class MemoryTranscriptSink: TranscriptSink {
    private let bytes = Mutex([UInt8]())

    func write(_ chunk: [UInt8]) throws {
        bytes.withLock { $0.append(contentsOf: chunk) }
    }

    var text: String {
        bytes.withLock { String(decoding: $0, as: UTF8.self) }
    }
}
