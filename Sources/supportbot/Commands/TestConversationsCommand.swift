import Application
import ArgumentParser
import Assistant
import AssistantEvaluation
import Content
import Foundation
import Retrieval
import SupportCore

/// `supportbot test-conversations`: replays `Tests/conversations/*.yml` against the real
/// assistant (trained classifier, live knowledge base, grounded composer) and fails on any
/// missed expectation.
struct TestConversationsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test-conversations",
        abstract: "Replay scripted conversations against the assistant and report every missed expectation.",
        discussion: """
            Each file in DIR is a list of conversations; each turn says what the customer types \
            (`user:`) and what the reply must show (`intent`, `route`, `says`, `not_says`, `source`, \
            `options`), or rates the last answer (`feedback: up|down`). See docs/content.md, "Conversation tests".
            """
    )

    @Argument(help: "Folder of conversation scripts (YAML).")
    var directory = "Tests/conversations"

    @Flag(help: "Print every turn with its reply, not only failures.")
    var verbose = false

    @OptionGroup var options: AssistantOptions
    @OptionGroup var logging: LoggingOptions

    func run() async throws {
        let logger = logging.makeLogger()
        let scripts: [ConversationScript]
        do {
            scripts = try ConversationScriptParser.load(directory: URL(fileURLWithPath: directory))
        } catch {
            throw CLIError("cannot load the conversation scripts; fix this and retry:\n\(error)")
        }
        guard !scripts.isEmpty else { throw CLIError("no conversation scripts (*.yml) in '\(directory)'") }

        let runner = ConversationTestRunner(assistant: try await options.makeAssistant(logger: logger).assistant)

        var failed = 0
        var turns = 0
        for script in scripts {
            let outcome = await runner.run(script)
            turns += outcome.transcript.count
            if !outcome.passed { failed += 1 }
            if verbose || !outcome.passed {
                print("\(outcome.passed ? "PASS" : "FAIL") \(script.location) \(script.name)")
                if verbose {
                    for (user, reply) in outcome.transcript {
                        print("    > \(user)\n    [\(reply.route.rawValue) \(reply.intent)] \(reply.text.prefix(160))")
                    }
                }
                for failure in outcome.failures { print("  \(failure)") }
            }
        }
        print("\(scripts.count - failed) of \(scripts.count) conversations passed (\(turns) turns)")
        if failed > 0 { throw ExitCode(1) }
    }
}
