import ArgumentParser
import Foundation

/// The `supportbot` command: serve the chatbot, train and evaluate its classifier, search the
/// knowledge base, chat, export transcripts and manage tokens.
struct SupportBot: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "supportbot",
        abstract: "A customer-support chatbot backend: intent classifier + FAQ retrieval over a TLS line protocol.",
        subcommands: [
            ServeCommand.self, ChatCommand.self, TrainCommand.self, ClassifyCommand.self, EvaluateCommand.self,
            SearchCommand.self, EmbedCommand.self, ExportCommand.self, PurgeCommand.self, TokenCommand.self, LoadCommand.self,
            ReportCommand.self, CheckCommand.self,
            TestConversationsCommand.self, EvalAnswersCommand.self, ImportIntentsCommand.self,
        ]
    )
}

/// Entry point: runs the command; bad flags print one line and exit with status 2, failures
/// print what went wrong and what to do, and exit with status 1.
@main
enum Main {
    static func main() async {
        do {
            var command = try SupportBot.parseAsRoot(commandLineArguments())
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as CLIError {
            Terminal.note("error: \(error)")
            exit(1)
        } catch {
            let code = SupportBot.exitCode(for: error)
            if code == .validationFailure {
                let message = SupportBot.message(for: error).split(separator: "\n").first.map(String.init) ?? "invalid arguments"
                Terminal.note("\(message) (see 'supportbot help')")
                exit(2)
            }
            if code == .success || error is ExitCode || error is CleanExit {
                SupportBot.exit(withError: error)
            }
            Terminal.note("error: \(error)")
            exit(1)
        }
    }
}

/// A failure the CLI reports as one message that says what to do.
struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// The arguments after the program name. Under some `LD_PRELOAD` shims (libfaketime, which the
/// clock-jump fault test uses) the Swift runtime sees no arguments at all, not even the
/// program's name; the kernel's copy in /proc/self/cmdline is read then.
private func commandLineArguments() -> [String] {
    if !CommandLine.arguments.isEmpty { return Array(CommandLine.arguments.dropFirst()) }
    guard let data = FileManager.default.contents(atPath: "/proc/self/cmdline") else { return [] }
    return data.split(separator: 0, omittingEmptySubsequences: false).dropFirst().dropLast(data.last == 0 ? 1 : 0)
        .map { String(decoding: $0, as: UTF8.self) }
}
