import Foundation
import SupportCore
import Testing

@testable import Store

@Suite("Reading stored sources JSON")
struct SourcesJSONReaderTests {
    @Test(
        "what the store writes reads back exactly, as JSONDecoder reads it",
        arguments: [
            [SourceRef(id: "a", title: "Plain", file: "faqs/a.md", score: 0.5)],
            [
                SourceRef(
                    id: "q\"uote", title: "Back\\slash, \"quotes\", tab\t, newline\n, ctrl \u{01}", file: "f/b.md", score: 1e-7),
                SourceRef(id: "emoji", title: "🙂 Ünïcödé 中文", file: "f/c.md", score: -0.25),
            ],
            [],
        ])
    func roundTrip(sources: [SourceRef]) throws {
        let text = JSONText.sources(sources)
        #expect(SourcesJSONReader.read(text) == sources)
        #expect(try JSONDecoder().decode([SourceRef].self, from: Data(text.utf8)) == sources)
    }

    @Test("escapes other writers use are understood")
    func foreignEscapes() {
        let text = #"[ {"id":"x","title":"smile \ud83d\ude42 and \/slash","file":"f","score":2} ]"#
        #expect(SourcesJSONReader.read(text) == [SourceRef(id: "x", title: "smile 🙂 and /slash", file: "f", score: 2)])
    }

    @Test(
        "anything else is refused (and left to JSONDecoder)",
        arguments: [
            "", "[", "{}", "[{}]", #"[{"id":"x","title":"t","file":"f"}]"#, #"[{"id":"x","title":"t","file":"f","score":1}"#,
            #"[{"id":"x","title":"t","file":"f","score":1}] trailing"#, #"[{"id":"x\q","title":"t","file":"f","score":1}]"#,
            #"[{"id":"\ud83d","title":"t","file":"f","score":1}]"#,
            "[{\"id\":\"a\nb\",\"title\":\"t\",\"file\":\"f\",\"score\":1}]",
        ])
    func refuses(text: String) {
        #expect(SourcesJSONReader.read(text) == nil)
    }

    @Test(
        "two decimals round like a person would",
        arguments: [
            (0.8125, "0.81"), (0.875, "0.88"), (1.0, "1.00"), (0.05, "0.05"), (-0.5, "-0.50"), (12.345, "12.35"),
        ])
    func twoDecimals(value: Double, expected: String) {
        #expect(JSONText.twoDecimals(value) == expected)
    }
}
