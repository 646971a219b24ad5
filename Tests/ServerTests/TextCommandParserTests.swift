import Conversations
import SupportCore
import Testing

@testable import Server

/// Text-mode slash commands parsed on their own, with no connection.
@Suite("Text command parser")
struct TextCommandParserTests {
    let parser = TextCommandParser(maxMessageLength: 10)
    static let id = "0123456789abcdef0123456789abcdef"

    func command(_ line: String) -> TextCommand? {
        try? parser.parse(line).result.get()
    }

    func errorCode(_ line: String) -> String? {
        guard case .failure(let error) = parser.parse(line).result else { return nil }
        return error.code.rawValue
    }

    @Test("commands and their arguments, trimmed of spaces and tabs")
    func wellFormed() throws {
        #expect(command("/help") == .help)
        #expect(command("/token   s3cret\t") == .token("s3cret"))
        #expect(command("/token a b") == .token("a b"))
        #expect(command("/export") == .export(.markdown))
        #expect(command("/export csv") == .export(.csv))
        #expect(command("/join \(Self.id)") == .join(try #require(ConversationID(rawValue: Self.id))))
        #expect(command("/say  hi there ") == .say("hi there"))
        #expect(command("/quit extra words") == .quit)
        #expect(command("/queue") == .queue)
        #expect(command("/end") == .end)
    }

    @Test("unknown commands are named as typed; names are case-sensitive")
    func unknown() {
        #expect(command("/nope now") == .unknown("/nope"))
        #expect(command("/HELP") == .unknown("/HELP"))
        #expect(command("/") == .unknown("/"))
        #expect(parser.parse("/nope").name == nil)
    }

    @Test(
        "a bad argument gets its precise code",
        arguments: [
            ("/token", "missing_field"),
            ("/token    ", "missing_field"),
            ("/export pdf", "invalid_field"),
            ("/join", "missing_field"),
            ("/join nope", "not_found"),
            ("/say", "missing_field"),
            ("/say 01234567890", "invalid_field"),
        ])
    func malformed(line: String, code: String) {
        #expect(errorCode(line) == code)
    }

    @Test("the name, and so who may use the command, is known even when the argument is wrong")
    func accessBeforeArgument() {
        #expect(parser.parse("/join nope").name?.access == .agent)
        #expect(parser.parse("/say").name?.access == .agent)
        #expect(parser.parse("/export pdf").name?.access == .client)
        #expect(parser.parse("/token").name?.access == .anyone)
    }
}
