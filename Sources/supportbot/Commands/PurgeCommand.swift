import ArgumentParser
import Foundation
import Store
import SupportCore

/// `supportbot purge`: retention — delete ended conversations older than a cut-off, in batches.
struct PurgeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "purge",
        abstract: "Delete ended conversations (with their messages and feedback) older than a cut-off."
    )

    @OptionGroup var database: DatabaseOptions

    @Option(help: "Age cut-off: a number followed by d (days), w (weeks) or h (hours), e.g. 90d.")
    var olderThan: String

    @Option(help: "Conversations deleted per transaction.")
    var batchSize = 500

    @OptionGroup var logging: LoggingOptions

    func validate() throws {
        _ = try Self.age(olderThan)
        guard batchSize > 0 else { throw ValidationError("--batch-size must be at least 1") }
    }

    static func age(_ text: String) throws -> TimeInterval {
        let units: [Character: TimeInterval] = ["h": 3_600, "d": 86_400, "w": 604_800]
        guard let unit = text.last, let seconds = units[unit], let count = Double(text.dropLast()), count >= 0 else {
            throw ValidationError("--older-than '\(text)' is not an age like 90d, 12w or 48h")
        }
        return count * seconds
    }

    func run() async throws {
        let logger = logging.makeLogger()
        let cutoff = Date().addingTimeInterval(-(try Self.age(olderThan)))
        try await database.withStore(mustExist: true, logger: logger) { store in
            do {
                let summary = try await store.purge(olderThan: cutoff, batchSize: batchSize)
                Terminal.note(
                    "purged \(summary.conversations) conversations, \(summary.messages) messages, \(summary.feedback) ratings in \(summary.batches) batches (ended before \(RFC3339.string(from: cutoff)))"
                )
            } catch {
                throw CLIError("purge failed: \(error)")
            }
        }
    }
}
