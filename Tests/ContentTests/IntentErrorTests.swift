import Content
import TestSupport
import Testing

/// Each broken intents folder must be refused with the right code at the right `file:line`.
@Suite("IntentLoader errors")
struct IntentErrorTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var files: [String: String]
        var code: ContentError.Code
        var location: String
        var testDescription: String { name }
    }

    static let five = "[one, two, three, four, five]"

    static let cases: [Case] = [
        Case(
            name: "bad YAML syntax",
            files: ["a.yml": "- intent: greet\n  examples: \(five)\n  answer: [unclosed\n"],
            code: .syntax, location: "intents/a.yml:4"),
        Case(
            name: "duplicate intent across two files",
            files: [
                "a.yml": "- intent: greet\n  answer: hi\n  examples: \(five)\n",
                "b.yml": "# more\n\n- intent: greet\n  answer: hello\n  examples: \(five)\n",
            ],
            code: .duplicateIntent, location: "intents/b.yml:3"),
        Case(
            name: "intent with an empty list of examples",
            files: [
                "a.yml": """
                - intent: greet
                  answer: hi
                  examples: \(five)
                - intent: bye
                  answer: bye
                  examples: []

                """
            ],
            code: .tooFewExamples, location: "intents/a.yml:4"),
        Case(
            name: "unknown variable",
            files: [
                "_variables.yml": "site: https://example.com\n",
                "a.yml": "- intent: greet\n  examples: \(five)\n  answers:\n    - Hi {site}\n    - Hi {sitee}\n",
            ],
            code: .unknownVariable, location: "intents/a.yml:5"),
        Case(
            name: "unclosed brace",
            files: ["a.yml": "- intent: greet\n  examples: \(five)\n  answer: Hi {site\n"],
            code: .invalidField, location: "intents/a.yml:3"),
        Case(
            name: "unknown key typo",
            files: ["a.yml": "- intent: greet\n  answer: hi\n  exmaples: \(five)\n"],
            code: .invalidField, location: "intents/a.yml:3"),
        Case(
            name: "route faq with an answer",
            files: ["a.yml": "- intent: greet\n  examples: \(five)\n  answer: hi\n  route: faq\n"],
            code: .invalidField, location: "intents/a.yml:4"),
        Case(
            name: "canned without an answer",
            files: ["a.yml": "- intent: greet\n  examples: \(five)\n  route: canned\n"],
            code: .missingField, location: "intents/a.yml:3"),
        Case(
            name: "unknown route",
            files: ["a.yml": "- intent: greet\n  examples: \(five)\n  answer: hi\n  route: cannned\n"],
            code: .invalidField, location: "intents/a.yml:4"),
        Case(
            name: "variables file with a list value",
            files: [
                "_variables.yml": "site: x\nphones:\n  - 1\n  - 2\n", "a.yml": "- intent: g\n  answer: hi\n  examples: \(five)\n",
            ],
            code: .invalidField, location: "intents/_variables.yml:2"),
        Case(
            name: "file that is a map, not a list",
            files: ["a.yml": "\nintent: greet\nexamples: \(five)\n"],
            code: .invalidField, location: "intents/a.yml:2"),
        Case(
            name: "out_of_scope with an answer",
            files: ["a.yml": "- intent: out_of_scope\n  examples: [weather]\n  answer: no\n"],
            code: .invalidField, location: "intents/a.yml:3"),
        Case(
            name: "empty intents file",
            files: ["a.yml": "  \n\n"],
            code: .emptyFile, location: "intents/a.yml"),
    ]

    @Test(arguments: cases)
    func refuses(_ testCase: Case) throws {
        // Given a folder with one problem
        let folder = try TemporaryDirectory()
        for (path, text) in testCase.files {
            try folder.write(path, text)
        }
        // When it is loaded
        let error = #expect(throws: ContentLoadError.self) { try IntentLoader(directory: folder.url).load() }
        // Then exactly that problem is reported, at that place
        let errors = error?.errors ?? []
        #expect(errors.count == 1, "\(errors)")
        let first = try #require(errors.first)
        #expect(first.code == testCase.code)
        #expect(first.location.description == testCase.location)
        #expect(first.description.hasPrefix("\(testCase.location): "))
    }

    @Test func duplicateIntentNamesBothPlaces() throws {
        let folder = try TemporaryDirectory()
        try folder.write("a.yml", "- intent: greet\n  answer: hi\n  examples: \(Self.five)\n")
        try folder.write("b.yml", "- intent: greet\n  answer: hello\n  examples: \(Self.five)\n")
        let error = #expect(throws: ContentLoadError.self) { try IntentLoader(directory: folder.url).load() }
        let message = error?.description ?? ""
        #expect(message.hasPrefix("intents/b.yml:1: "))
        #expect(message.contains("intents/a.yml:1"))
    }

    @Test func typoSuggestsTheIntendedKey() throws {
        let folder = try TemporaryDirectory()
        try folder.write("a.yml", "- intent: greet\n  answer: hi\n  examples: \(Self.five)\n  rout: faq\n")
        let error = #expect(throws: ContentLoadError.self) { try IntentLoader(directory: folder.url).load() }
        #expect(error?.errors.first?.message.contains("did you mean `route`?") == true)
    }
}
