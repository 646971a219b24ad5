import Content
import Foundation
import TestSupport
import Testing

/// A labelled CSV becomes intents files that load: names made valid, repeats dropped, conflicts
/// and small labels reported with their lines.
@Suite("Intent import from CSV")
struct IntentImporterTests {
    static let csv = """
        label,text,source
        Refund Status,where is my refund,web
        Refund Status,refund status,web
        Refund Status,Where is my  REFUND,app
        cancel,cancel my order,web
        cancel,"cancel, now: please",web
        cancel,refund status,app
        affirm,yes,web
        affirm,404,web
        oos,what is the weather,web
        2fa-help,"he said ""hi"" — 😀",web
        ,no label here,web

        """

    @Test("labels become valid names, repeats are dropped, conflicts and small labels are reported")
    func reads() throws {
        let result = try IntentImporter().read(Self.csv, file: "labels.csv")
        #expect(result.intents.map(\.name) == ["refund_status", "cancel", "affirm", "out_of_scope", "intent_2fa_help"])
        #expect(result.intents[0].examples == ["where is my refund", "refund status"])
        #expect(result.intents[1].examples == ["cancel my order", "cancel, now: please", "refund status"])
        #expect(result.renamed.map(\.name) == ["refund_status", "out_of_scope", "intent_2fa_help"])
        let found = result.warnings.map { "\($0.location) \($0.code)" }
        #expect(
            found == [
                "labels.csv:4 repeatedExample", "labels.csv:7 conflictingExample", "labels.csv:12 missingField",
                "labels.csv tooFewExamples", "labels.csv tooFewExamples", "labels.csv tooFewExamples", "labels.csv tooFewExamples",
            ])
        #expect(result.warnings[1].message.contains("`Refund Status` at line 3"))
    }

    @Test("the written files load as intents, with every example as it was written")
    func roundTrip() throws {
        let result = try IntentImporter().read(Self.csv, file: "labels.csv")
        let folder = try TemporaryDirectory()
        for intent in result.intents {
            try folder.write("\(intent.name).yml", try IntentImporter().yaml(for: intent))
        }
        let set = try IntentLoader(directory: folder.url).load()
        #expect(Set(set.intents.map(\.name)) == ["refund_status", "cancel", "affirm", "intent_2fa_help"])
        #expect(set.intent(named: "affirm")?.examples == ["yes", "404"])
        #expect(set.intent(named: "intent_2fa_help")?.examples == ["he said \"hi\" — 😀"])
        #expect(set.intent(named: "cancel")?.route == .faq)
        #expect(set.outOfScopeExamples == ["what is the weather"])
    }

    @Test(
        "a file without the columns, or a row of the wrong width, is an error with its line",
        arguments: [
            ("question,answer\na,b\n", "labels.csv:1 missingColumn"),
            ("text,label\na,b,c\n", "labels.csv:2 syntax"),
            ("text,label\n\"never closed,b\n", "labels.csv:2 syntax"),
        ])
    func errors(text: String, expected: String) {
        let error = #expect(throws: ContentError.self) { try IntentImporter().read(text, file: "labels.csv") }
        #expect(error.map { "\($0.location) \($0.code)" } == expected)
    }
}
