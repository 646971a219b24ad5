import Content
import Foundation
import TestSupport
import Testing

@Suite("IntentLoader")
struct IntentLoaderTests {
    static let billing = """
        # billing intents
        - intent: reset_password
          examples:
            - I forgot my password
            - how do I reset my password
            - password reset
            - cannot log in, lost password
            - change my password please
          answer: |
            You can reset it at {reset_url}.
            Braces stay: {{this}}.
        - intent: shipping_policy
          route: faq
          examples: [how long is shipping, when will it arrive, delivery time, shipping cost, do you ship abroad]

        """
    static let people = """
        - intent: talk_to_human
          route: handoff
          answers:
            - Connecting you to {team} now.
            - One moment, {team} will take over.
          examples: [human please, agent, talk to a person, real person, operator]
        - intent: out_of_scope
          examples: [what is the weather, tell me a joke]

        """
    static let variables = """
        reset_url: https://example.com/reset
        team: our support team
        """

    @Test func loadsIntentsVariablesAndOutOfScope() throws {
        // Given a folder with two intent files and variables
        let folder = try TemporaryDirectory()
        try folder.write("billing.yml", Self.billing)
        try folder.write("people.yaml", Self.people)
        try folder.write("_variables.yml", Self.variables)
        try folder.write(".hidden.yml", "not: [valid")
        try folder.write("billing.yml~", "not: [valid")

        // When it is loaded
        let set = try IntentLoader(directory: folder.url).load()

        // Then intents come in file order with rendered answers and their lines
        #expect(set.intents.map(\.name) == ["reset_password", "shipping_policy", "talk_to_human"])
        let reset = try #require(set.intent(named: "reset_password"))
        #expect(reset.route == .canned)
        #expect(reset.examples.count == 5)
        #expect(reset.answers == ["You can reset it at https://example.com/reset.\nBraces stay: {this}."])
        #expect(reset.location.description == "intents/billing.yml:2")
        let shipping = try #require(set.intent(named: "shipping_policy"))
        #expect(shipping.route == .faq && shipping.answers.isEmpty)
        #expect(shipping.location.description == "intents/billing.yml:12")
        let human = try #require(set.intent(named: "talk_to_human"))
        #expect(human.route == .handoff)
        #expect(human.answers == ["Connecting you to our support team now.", "One moment, our support team will take over."])
        #expect(human.location.description == "intents/people.yaml:1")
        #expect(set.outOfScopeExamples == ["what is the weather", "tell me a joke"])
        #expect(set.intent(named: Intent.outOfScope) == nil)
        #expect(set.variables["team"] == "our support team")
        #expect(set.contentHash.count == 64)
    }

    @Test func contentHashFollowsBytesAndPaths() throws {
        // Given two folders with the same content
        let first = try TemporaryDirectory()
        let second = try TemporaryDirectory()
        for folder in [first, second] {
            try folder.write("billing.yml", Self.billing)
            try folder.write("_variables.yml", Self.variables)
        }
        let hashA = try IntentLoader(directory: first.url).load().contentHash
        let hashB = try IntentLoader(directory: second.url).load().contentHash
        // Then their hashes agree; and change when a byte or a file name changes
        #expect(hashA == hashB)
        try second.write("billing.yml", Self.billing + "# a comment\n")
        let hashEdited = try IntentLoader(directory: second.url).load().contentHash
        #expect(hashEdited != hashA)
        try FileManager.default.moveItem(
            at: first.url.appendingPathComponent("billing.yml"), to: first.url.appendingPathComponent("billing2.yml"))
        let hashRenamed = try IntentLoader(directory: first.url).load().contentHash
        #expect(hashRenamed != hashA)
    }

    @Test func contentHashIsPathNulBytesNul() throws {
        let folder = try TemporaryDirectory()
        try folder.write("a.yml", "- intent: out_of_scope\n  examples: [weather]\n")
        let set = try IntentLoader(directory: folder.url).load()
        // printf 'a.yml\0- intent: out_of_scope\n  examples: [weather]\n\0' | sha256sum
        #expect(set.contentHash == "94dbba9f081b7fdc04461d55669c4c7bf39cd9dc7ace89189dd4c0b90f2d0d79")
        #expect(set.intents.isEmpty && set.outOfScopeExamples == ["weather"])
    }

    @Test func collectsEveryProblemInTheFolder() throws {
        // Given a folder with problems in two files
        let folder = try TemporaryDirectory()
        try folder.write(
            "a.yml",
            """
            - intent: first
              examples: [a, b, c]
              answer: hi
            - intent: second
              answer: Hello {nobody}
              examples: [a, b, c, d, e]
            """)
        try folder.write("b.yml", "- intent: Bad-Name\n  answer: x\n  examples: [a, b, c, d, e]\n")
        // When it is loaded
        let error = #expect(throws: ContentLoadError.self) { try IntentLoader(directory: folder.url).load() }
        // Then both errors are reported, each with its place (three examples is only a warning)
        let found = (error?.errors ?? []).map { "\($0.location) \($0.code)" }
        #expect(found == ["intents/a.yml:5 unknownVariable", "intents/b.yml:1 invalidField"])
    }

    @Test("few examples, a repeat and an example under two intents load, with a warning each")
    func warnings() throws {
        // Given intents as real bots have them: two examples, a repeat, a shared example
        let folder = try TemporaryDirectory()
        try folder.write(
            "a.yml",
            """
            - intent: refund
              answer: Refunds take 5 days.
              examples:
                - where is my refund
                - refund status
                - Where is  my REFUND
            - intent: cancel
              answer: Cancel on the order page.
              examples: [cancel my order, stop my order, cancel it please, i want to cancel, cancel the order now, refund status]
            """)
        // When it is loaded
        let set = try IntentLoader(directory: folder.url).load()
        // Then it trains on what is there, without the repeat, and says what to look at
        #expect(set.intent(named: "refund")?.examples == ["where is my refund", "refund status"])
        #expect(set.intent(named: "cancel")?.examples.count == 6)
        let found = set.warnings.map { "\($0.location) \($0.code)" }
        #expect(
            found == ["intents/a.yml:6 repeatedExample", "intents/a.yml:1 tooFewExamples", "intents/a.yml:9 conflictingExample"])
        #expect(set.warnings[0].message.contains("repeats line 4"))
        #expect(set.warnings[2].message.contains("`refund` at intents/a.yml:5"))
    }

    @Test func missingFolderIsAnError() {
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("no-such-\(UUID().uuidString)")
        let error = #expect(throws: ContentLoadError.self) { try IntentLoader(directory: missing).load() }
        #expect(error?.errors.first?.code == .unreadable)
    }

    @Test func emptyFolderLoadsNothing() throws {
        let folder = try TemporaryDirectory()
        let set = try IntentLoader(directory: folder.url).load()
        #expect(set.intents.isEmpty && set.outOfScopeExamples.isEmpty)
    }
}
