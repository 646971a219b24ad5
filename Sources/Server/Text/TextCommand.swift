import Conversations
import Foundation
import SupportCore

/// A text-mode slash command with its validated argument (docs/protocol.md, "Text mode").
package enum TextCommand: Sendable, Equatable {
    case help
    case token(String)
    case new
    case history
    case export(ExportFormat)
    case quit
    /// Agents only: the handoff queue.
    case queue
    /// Agents only: join a conversation.
    case join(ConversationID)
    /// Agents only: write to the joined conversation's customer.
    case say(String)
    /// Agents only: end the joined conversation.
    case end
    /// A command nobody knows, named as typed (answered with the help).
    case unknown(String)

    /// A command's name, known before its argument is checked: who may use a command is decided
    /// first, so that a customer trying an agent command learns only that it is not theirs.
    package enum Name: String, Sendable, Equatable, CaseIterable {
        case help = "/help"
        case token = "/token"
        case new = "/new"
        case history = "/history"
        case export = "/export"
        case quit = "/quit"
        case queue = "/queue"
        case join = "/join"
        case say = "/say"
        case end = "/end"

        /// Who may use the command.
        package var access: Access {
            switch self {
            case .help, .token, .quit: .anyone
            case .new, .history, .export: .client
            case .queue, .join, .say, .end: .agent
            }
        }
    }

    /// Who may use a command: anyone, an authenticated client, or an agent.
    package enum Access: Sendable, Equatable {
        case anyone, client, agent
    }
}

/// Splits a text-mode line that starts with `/` into its command and argument and checks the
/// argument, without a session: the name (nil for an unknown command) and the command or the
/// precise error it deserves, like `RequestParser` for JSON mode.
package struct TextCommandParser: Sendable {
    let maxMessageLength: Int

    /// A parser that refuses `/say` texts longer than `maxMessageLength` characters.
    package init(maxMessageLength: Int) {
        self.maxMessageLength = maxMessageLength
    }

    /// Parses `line`: the first word (up to a space) is the command, the rest, trimmed of spaces
    /// and tabs, its argument.
    package func parse(_ line: String) -> (name: TextCommand.Name?, result: Result<TextCommand, RequestError>) {
        let parts = line.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        let word = parts.first.map(String.init) ?? "/"
        let argument = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
        guard let name = TextCommand.Name(rawValue: word) else {
            return (nil, .success(.unknown(word)))
        }
        do throws(RequestError) {
            return (name, .success(try command(name, argument: argument)))
        } catch {
            return (name, .failure(error))
        }
    }

    private func command(_ name: TextCommand.Name, argument: String) throws(RequestError) -> TextCommand {
        switch name {
        case .help: return .help
        case .new: return .new
        case .history: return .history
        case .quit: return .quit
        case .queue: return .queue
        case .end: return .end
        case .token:
            guard !argument.isEmpty else { throw .missing("token") }
            return .token(argument)
        case .export:
            guard let format = ExportFormat(rawValue: argument.isEmpty ? "markdown" : argument) else {
                throw .invalid("format", "one of markdown, json, jsonl, csv")
            }
            return .export(format)
        case .join:
            guard !argument.isEmpty else { throw .missing("conversation") }
            guard let id = ConversationID(rawValue: argument) else { throw .conversationNotFound }
            return .join(id)
        case .say:
            guard !argument.isEmpty else { throw .missing("text") }
            guard argument.count <= maxMessageLength else {
                throw .invalid("text", "at most \(maxMessageLength) characters")
            }
            return .say(argument)
        }
    }
}
