import ArgumentParser
import Foundation
import Store
import SupportCore

/// `supportbot export`: stream transcripts out of the store in the formats operators use.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export transcripts as JSON, JSONL, Markdown or CSV (streamed).",
        discussion: "Select exactly one of --conversation, --client or --all. Dates are YYYY-MM-DD or RFC 3339 (UTC)."
    )

    @OptionGroup var database: DatabaseOptions

    @Option(help: "Export one conversation by id.")
    var conversation: String?

    @Option(help: "Export every conversation of one client.")
    var client: String?

    @Flag(help: "Export every conversation.")
    var all = false

    @Option(help: "Only messages created at or after this date (conversations without such messages are left out).")
    var since: String?

    @Option(help: "Only messages created before this date (exclusive: --until 2026-04-01 covers all of March).")
    var until: String?

    @Option(help: "json (one document per conversation), jsonl (one message per line), markdown, or csv.")
    var format: ExportFormat

    @Flag(help: "Mask e-mail addresses, phone numbers and payment card numbers.")
    var redact = false

    @Option(help: "Write to this file instead of standard output.")
    var out: String?

    @OptionGroup var logging: LoggingOptions

    @Flag(
        help:
            "CSV: prefix text cells that start with =, +, -, @, a tab or a CR with ' so that a spreadsheet shows them instead of running them as formulas."
    )
    var csvGuardFormulas = false

    func validate() throws {
        let selected = [conversation != nil, client != nil, all].filter { $0 }.count
        guard selected == 1 else { throw ValidationError("choose exactly one of --conversation ID, --client NAME, --all") }
        if let conversation, RecordID(rawValue: conversation) == nil {
            throw ValidationError("--conversation must be a 32-character hex id")
        }
        _ = try since.map { try DateArgument.parse($0, flag: "--since") }
        _ = try until.map { try DateArgument.parse($0, flag: "--until") }
    }

    func run() async throws {
        let logger = logging.makeLogger()
        let selection: ExportSelection =
            if let conversation { .conversation(RecordID(rawValue: conversation)!) } else if let client { .client(client) } else {
                .all
            }
        let request = ExportRequest(
            selection: selection, format: format, redact: redact,
            since: try since.map { try DateArgument.parse($0, flag: "--since") },
            until: try until.map { try DateArgument.parse($0, flag: "--until") },
            guardFormulas: csvGuardFormulas
        )
        let sink: FileHandleSink
        do {
            sink = try out.map { try FileHandleSink.create(path: $0) } ?? FileHandleSink(.standardOutput)
        } catch {
            throw CLIError("cannot write to '\(out ?? "-")': \(error)")
        }
        try await database.withStore(mustExist: true, readsOnly: true, logger: logger) { store in
            do {
                let summary = try await store.exportTranscripts(request, to: sink)
                Terminal.note(
                    "exported \(summary.messages) messages from \(summary.conversations) conversations (\(summary.bytes) bytes)")
            } catch {
                throw CLIError("export failed: \(error)")
            }
        }
    }
}

extension ExportFormat: ExpressibleByArgument {}

/// Dates on the command line: `YYYY-MM-DD` (midnight UTC) or full RFC 3339.
enum DateArgument {
    static func parse(_ text: String, flag: String) throws -> Date {
        if let date = RFC3339.date(from: text) { return date }
        if let date = RFC3339.date(from: text + "T00:00:00Z") { return date }
        throw ValidationError("\(flag) '\(text)' is not a date (YYYY-MM-DD or RFC 3339)")
    }
}
