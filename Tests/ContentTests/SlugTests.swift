import Content
import Testing

@Suite("Slug")
struct SlugTests {
    @Test(arguments: [
        ("How long does delivery take?", "how-long-does-delivery-take"),
        ("  --Already--slugged--  ", "already-slugged"),
        ("Café & crème: 100% off!", "caf-cr-me-100-off"),
        ("UPPER lower 42", "upper-lower-42"),
        ("???", ""),
        ("", ""),
    ])
    func makesSlug(text: String, expected: String) {
        #expect(Slug.make(text) == expected)
    }

    @Test func cutsAt80CharactersAndTrimsTheDashLeftAtTheCut() {
        // Given a question whose 80th slug character falls on a separator
        let text = String(repeating: "a", count: 79) + " bcd"
        // When it is slugged
        let slug = Slug.make(text)
        // Then the cut leaves no trailing dash
        #expect(slug == String(repeating: "a", count: 79))
        #expect(Slug.make(String(repeating: "xy ", count: 60)).count <= 80)
        #expect(!Slug.make(String(repeating: "xy ", count: 60)).hasSuffix("-"))
    }
}

@Suite("AnswerTemplate")
struct AnswerTemplateTests {
    let location = SourceLocation(file: "intents/a.yml", line: 7)

    @Test func replacesVariablesAndKeepsDoubledBraces() throws {
        let text = try AnswerTemplate.render(
            "Visit {url} or call { phone }. Literal: {{url}} and a lone } stays.",
            variables: ["url": "https://x.example", "phone": "555"], location: location)
        #expect(text == "Visit https://x.example or call 555. Literal: {url} and a lone } stays.")
    }

    @Test(arguments: [
        ("Hello {nmae}", ContentError.Code.unknownVariable, "did you mean `{name}`?"),
        ("Hello {name", ContentError.Code.invalidField, "unclosed `{`"),
        ("JSON {\"a\": 1}", ContentError.Code.invalidField, "not a variable name"),
    ])
    func refusesBadTemplates(template: String, code: ContentError.Code, message: String) {
        #expect {
            try AnswerTemplate.render(template, variables: ["name": "Ann"], location: location)
        } throws: { error in
            guard let error = error as? ContentError else { return false }
            return error.code == code && error.description.hasPrefix("intents/a.yml:7: ")
                && error.message.contains(message)
        }
    }
}
