import Content
import Foundation
import Testing

@Suite("FAQParser formats")
struct FAQParserTests {
    func parse(_ text: String, _ path: String) throws -> [FAQEntry] {
        try FAQParser.parse(Data(text.utf8), path: path)
    }

    @Test func markdownWithFrontMatter() throws {
        let text = """
            ---
            title: Shipping
            tags: [shipping, delivery]
            url: https://example.com/shipping
            layout: page
            ---
            # Shipping questions

            Intro text that is not an entry.

            ## How long does delivery take?
            Usually **3–5 days**.

            ### Express
            Next day.

            ```
            ## not a heading inside a fence
            ```
            ## Do you ship abroad? ##

            Yes, to the EU.

            """
        let entries = try parse(text, "logistics/shipping.md")
        #expect(
            entries.map(\.id) == [
                "logistics/shipping.md#how-long-does-delivery-take", "logistics/shipping.md#do-you-ship-abroad",
            ])
        #expect(entries.map(\.line) == [11, 20])
        #expect(entries[0].question == "How long does delivery take?")
        #expect(entries[0].answer == "Usually **3–5 days**.\n\n### Express\nNext day.\n\n```\n## not a heading inside a fence\n```")
        #expect(entries[1].answer == "Yes, to the EU.")
        #expect(entries.allSatisfy { $0.tags == ["shipping", "delivery"] && $0.url == "https://example.com/shipping" })
        #expect(entries.allSatisfy { $0.file == "logistics/shipping.md" })
    }

    @Test func markdownWithoutFrontMatterAndCommaTags() throws {
        let text = "## Can I pay by card?\nYes.\n## Can I pay by invoice?\nOnly companies.\n"
        let entries = try parse(text, "pay.md")
        #expect(entries.map(\.question) == ["Can I pay by card?", "Can I pay by invoice?"])
        #expect(entries.map(\.line) == [1, 3])
        #expect(entries.map(\.answer) == ["Yes.", "Only companies."])
        #expect(entries[0].tags.isEmpty && entries[0].url == nil)

        let tagged = try parse("---\ntags: billing, cards\n---\n## Q?\nA.\n", "t.md")
        #expect(tagged[0].tags == ["billing", "cards"])
        #expect(tagged[0].line == 4)
    }

    @Test(arguments: [
        ("\n\n# Returns policy\n\nYou have 30 days.\n", "returns.md", "Returns policy", "You have 30 days."),
        ("---\ntitle: Our warranty\n---\nTwo years on everything.\n", "w.md", "Our warranty", "Two years on everything."),
        (
            "Open 9 to 5.\n\n### Holidays\nClosed.\n", "opening_hours-info.md", "opening hours info",
            "Open 9 to 5.\n\n### Holidays\nClosed."
        ),
    ])
    func markdownWithoutQuestionHeadingsIsOneEntry(text: String, path: String, question: String, answer: String) throws {
        let entries = try parse(text, path)
        #expect(entries.count == 1)
        #expect(entries.first?.question == question)
        #expect(entries.first?.answer == answer)
        #expect(entries.first?.id == "\(path)#\(Slug.make(question))")
    }

    @Test func markdownTitleLineIsTheEntryLine() throws {
        let entries = try parse("---\ntitle: ignored\n---\n\n# Returns\nThirty days.\n", "r.md")
        #expect(entries.first?.line == 5)
        #expect(entries.first?.question == "Returns")
    }

    @Test(arguments: ["faq.yml", "faq.yaml"])
    func yaml(path: String) throws {
        let text = """
            # comment
            - question: How do I cancel?
              answer: |
                Go to Settings → Plan.
                Click cancel.
              alternates: [stop subscription, end my plan]
              tags: account; billing
              url: https://example.com/cancel

            - question: "?!"
              answer: Punctuation only.
            """
        let entries = try parse(text, path)
        #expect(entries.map(\.id) == ["\(path)#how-do-i-cancel", "\(path)#entry-10"])
        #expect(entries.map(\.line) == [2, 10])
        #expect(entries[0].answer == "Go to Settings → Plan.\nClick cancel.")
        #expect(entries[0].alternates == ["stop subscription", "end my plan"])
        #expect(entries[0].tags == ["account", "billing"])
        #expect(entries[0].url == "https://example.com/cancel")
    }

    @Test func json() throws {
        let text = """
            [
              {"question": "Where is my order?", "answer": "See the tracking link.",
               "alternates": ["track order"], "tags": ["orders"], "url": null},

              {
                "question": "Do you have [brackets] and \\"quotes\\"?",
                "answer": "Yes, {and} braces.",
                "tags": "a, b"
              }
            ]
            """
        let entries = try parse(text, "orders.json")
        #expect(entries.map(\.line) == [2, 5])
        #expect(entries.map(\.id) == ["orders.json#where-is-my-order", "orders.json#do-you-have-brackets-and-quotes"])
        #expect(entries[0].alternates == ["track order"] && entries[0].url == nil)
        #expect(entries[1].tags == ["a", "b"])
        #expect(entries[1].answer == "Yes, {and} braces.")
    }

    @Test func csvWithQuotingMultilineAndCRLF() throws {
        let text =
            "\u{FEFF}Question, ANSWER ,tags,url,alternates\r\n"
            + "\"Can I return, exchange?\",\"Yes, within \"\"30\"\" days.\",returns;policy,https://x.example,send back|exchange\r\n"
            + "What about sale items?,\"Line one\r\nLine two\",sale,,\r\n"
            + "\r\n"
            + "Last one,ok,,,\r\n"
        let entries = try parse(text, "returns.csv")
        #expect(entries.map(\.question) == ["Can I return, exchange?", "What about sale items?", "Last one"])
        #expect(entries.map(\.line) == [2, 3, 6])
        #expect(entries[0].answer == "Yes, within \"30\" days.")
        #expect(entries[0].tags == ["returns", "policy"])
        #expect(entries[0].alternates == ["send back", "exchange"])
        #expect(entries[0].url == "https://x.example")
        #expect(entries[1].answer == "Line one\nLine two")
        #expect(entries[1].url == nil)
        #expect(entries[2].id == "returns.csv#last-one")
    }

    @Test func csvWithLFOnlyAndNoTrailingNewline() throws {
        let entries = try parse("answer,question\nA1,Q1\n\"A\n2\",Q2", "x.csv")
        #expect(entries.map(\.question) == ["Q1", "Q2"])
        #expect(entries.map(\.answer) == ["A1", "A\n2"])
        #expect(entries.map(\.line) == [2, 3])
    }

    @Test func markdownWithCRLFLineEnds() throws {
        let entries = try parse("---\r\ntags: [a]\r\n---\r\n## One?\r\nLine 1\r\nLine 2\r\n## Two?\r\nYes.\r\n", "crlf.md")
        #expect(entries.map(\.line) == [4, 7])
        #expect(entries.map(\.answer) == ["Line 1\nLine 2", "Yes."])
        #expect(entries[0].tags == ["a"])
    }

    @Test func byteOrderMarkIsSkipped() throws {
        let entries = try parse("\u{FEFF}## Q?\nA.\n", "bom.md")
        #expect(entries.first?.question == "Q?")
    }
}
