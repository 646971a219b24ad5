import Content
import Foundation
import Testing

/// Each broken FAQ file must be refused with the right code at the right `file:line`.
@Suite("FAQParser errors")
struct FAQErrorTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var path: String
        var bytes: [UInt8]
        var code: ContentError.Code
        /// `faqs/<path>:<line>`, or just `faqs/<path>` when no line applies.
        var location: String
        var testDescription: String { name }

        init(_ name: String, _ path: String, _ text: String, _ code: ContentError.Code, _ location: String) {
            self.init(name, path, Array(text.utf8), code, location)
        }

        init(_ name: String, _ path: String, _ bytes: [UInt8], _ code: ContentError.Code, _ location: String) {
            self.name = name
            self.path = path
            self.bytes = bytes
            self.code = code
            self.location = location
        }
    }

    static let cases: [Case] = [
        Case("CSV missing answer column", "a.csv", "question,url\nQ,https://x\n", .missingColumn, "faqs/a.csv:1"),
        Case("CSV unterminated quote", "a.csv", "question,answer\nQ1,A1\nQ2,\"never\nclosed\n", .syntax, "faqs/a.csv:3"),
        Case("CSV ragged row", "a.csv", "question,answer\n\"Q\n1\",A1\nQ2,A2,extra\n", .syntax, "faqs/a.csv:4"),
        Case("CSV text after closing quote", "a.csv", "question,answer\nQ1,\"A\"x\n", .syntax, "faqs/a.csv:2"),
        Case("CSV unknown column", "a.csv", "question,answer,tag\nQ,A,x\n", .invalidField, "faqs/a.csv:1"),
        Case("CSV empty answer", "a.csv", "question,answer\nQ1,A1\nQ2,\n", .missingField, "faqs/a.csv:3"),
        Case("empty file", "a.md", "", .emptyFile, "faqs/a.md"),
        Case("whitespace-only file", "a.yml", " \n\t\n", .emptyFile, "faqs/a.yml"),
        Case("binary file", "a.md", [0x23, 0x20, 0x51, 0x0A, 0x00, 0x01, 0x02], .binaryFile, "faqs/a.md:2"),
        Case("invalid UTF-8", "a.md", Array("## Q\n\nA caf".utf8) + [0xE9] + Array(" here\n".utf8), .invalidUTF8, "faqs/a.md:3"),
        Case(
            "Markdown ## with empty answer", "a.md", "## First?\nYes.\n\n## Second?\n   \n## Third?\nNo.\n", .missingField,
            "faqs/a.md:4"),
        Case("Markdown duplicate question", "a.md", "## Same?\nA.\n## same!\nB.\n", .duplicateEntry, "faqs/a.md:3"),
        Case("unterminated front matter", "a.md", "---\ntitle: x\n## Q\nA\n", .frontMatter, "faqs/a.md:1"),
        Case("front matter that is a list", "a.md", "---\n- a\n- b\n---\n## Q\nA\n", .frontMatter, "faqs/a.md:2"),
        Case("front matter with bad YAML", "a.md", "---\ntitle: ok\ntags: [x\n---\n## Q\nA\n", .frontMatter, "faqs/a.md:4"),
        Case(
            "JSON syntax error", "a.json", "[\n  {\"question\": \"Q\", \"answer\": \"A\"},\n  {\"question\" \"Q2\"}\n]\n", .syntax,
            "faqs/a.json:3"),
        Case(
            "JSON missing answer", "a.json", "[\n {\"question\": \"Q\", \"answer\": \"A\"},\n {\"question\": \"Q2\"}\n]",
            .missingField, "faqs/a.json:3"),
        Case("JSON unknown key", "a.json", "[{\"question\": \"Q\", \"answr\": \"A\"}]", .invalidField, "faqs/a.json:1"),
        Case("JSON number as answer", "a.json", "[\n{\"question\": \"Q\",\n \"answer\": 42}]", .invalidField, "faqs/a.json:2"),
        Case("YAML syntax error", "a.yml", "- question: Q\n  answer: A\n- question: [Q2\n  answer: B\n", .syntax, "faqs/a.yml:4"),
        Case(
            "YAML unknown key", "a.yaml", "- question: Q\n  answer: A\n- question: Q2\n  anwser: B\n", .invalidField,
            "faqs/a.yaml:4"),
        Case("YAML missing question", "a.yml", "- question: Q\n  answer: A\n- answer: B\n", .missingField, "faqs/a.yml:3"),
        Case("YAML root is a map", "a.yml", "question: Q\nanswer: A\n", .invalidField, "faqs/a.yml:1"),
        Case("unsupported extension", "a.txt", "hello", .invalidField, "faqs/a.txt"),
    ]

    @Test(arguments: cases)
    func refuses(_ testCase: Case) throws {
        let error = #expect(throws: ContentError.self) {
            try FAQParser.parse(Data(testCase.bytes), path: testCase.path)
        }
        #expect(error?.code == testCase.code)
        #expect(error?.location.description == testCase.location)
        #expect(error?.description.hasPrefix("\(testCase.location): ") == true)
    }

    @Test func displayNamePrefixesTheFile() {
        #expect {
            try FAQParser.parse(Data("## Q\n".utf8), path: "sub/x.md", displayName: "kb")
        } throws: { error in
            (error as? ContentError)?.location.description == "kb/sub/x.md:1"
        }
    }
}
