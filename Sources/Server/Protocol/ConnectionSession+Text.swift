import Conversations
import Foundation
import NIOCore
import SupportCore

extension ConnectionSession {
    static let textHelp = [
        "Type a question and press Enter. Commands:",
        "  /help                           this list",
        "  /token TOKEN                    authenticate (required first on servers with tokens)",
        "  /new                            start a new conversation",
        "  /history                        show this conversation",
        "  /export markdown|json|jsonl|csv export this conversation",
        "  /quit                           close the connection",
    ]

    /// Writes lines followed by the empty line that ends every text-mode answer. Empty lines
    /// inside the content are dropped, since an empty line means "end of answer".
    func writeText(_ lines: [String]) async throws {
        try await output.block(TextBlock.render(lines))
    }

    /// Handles one text-mode line: a slash command or a customer message.
    func handleText(_ line: String) async throws {
        do {
            if line.hasPrefix("/") {
                context.metrics.request("text_command")
                try await command(line)
            } else {
                context.metrics.request("text_message")
                try await message(line)
            }
        } catch let error as RequestError {
            try await sendError(id: nil, error)
        }
    }

    private func message(_ text: String) async throws {
        let limit = context.configuration.limits.maxMessageLength
        guard text.count <= limit else {
            throw RequestError(.invalidField, "a message is at most \(limit) characters")
        }
        let answer = try await session.converse(text: text, conversation: nil).answer
        // Answers are Markdown (links, emphasis); a person at a terminal reads them as plain text.
        var lines = [MarkdownText.plain(answer.text)]
        if answer.route == .clarify, !answer.options.isEmpty, !answer.text.contains("1.") && !answer.text.contains("1)") {
            lines += answer.options.enumerated().map { "\($0.offset + 1). \($0.element)" }
        }
        for (index, source) in answer.sources.enumerated() {
            lines.append("[\(index + 1)] \(source.title) (\(source.file))")
        }
        try await writeText(lines)
        recordReply(answer)
    }

    private func command(_ line: String) async throws {
        let (name, result) = TextCommandParser(maxMessageLength: context.configuration.limits.maxMessageLength).parse(line)
        // Who may use a command is checked before its argument.
        switch name?.access {
        case .client?: _ = try session.requireClient()
        case .agent?: _ = try session.requireAgent()
        case .anyone?, nil: break
        }
        switch try result.get() {
        case .help:
            try await writeText(helpLines)
        case .token(let token):
            let client = try await authenticate(token: token)
            try await writeText(["Authenticated as \(client.name)."])
        case .new:
            let conversation = try await session.start(metadata: nil)
            try await writeText(["Started a new conversation (\(conversation.id))."])
        case .history:
            guard let currentConversation = session.currentConversation else {
                try await writeText(["No conversation yet: type a question to start one."])
                return
            }
            let messages = try await session.history(currentConversation)
            let lines = messages.map(Self.textHistoryLine)
            try await writeText(lines.isEmpty ? ["(no messages yet)"] : lines)
        case .export(let format):
            guard let currentConversation = session.currentConversation else {
                try await writeText(["No conversation yet: type a question to start one."])
                return
            }
            try await writeText([try await session.export(currentConversation, format: format, redact: false)])
        case .quit:
            try await writeText(["Goodbye."])
            closeRequested = true
        case .queue, .join, .say, .end:
            try await agentCommand(try result.get())
        case .unknown(let word):
            try await writeText(["Unknown command \(TerminalText.oneLine(word))."] + helpLines)
        }
    }

    /// The command list; agents also see their own commands.
    private var helpLines: [String] {
        session.client?.role == .agent ? Self.textHelp + Self.agentTextHelp : Self.textHelp
    }
}
