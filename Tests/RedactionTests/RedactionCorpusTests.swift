import Foundation
import Redaction
import Testing

/// The labelled corpus (`Corpus/`, see its README): both splits readable and as large as the
/// benchmark needs; the development split held to the targets. The test split's figures are
/// reported by `bench/redaction/run`, not tuned against here.
@Suite("Redaction corpus")
struct RedactionCorpusTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Corpus")

    static func load(_ split: String) throws -> [RedactionEvaluation.Case] {
        let text = try String(contentsOf: folder.appendingPathComponent("\(split).jsonl"), encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: String])
            return try RedactionEvaluation.parseCase(id: try #require(object["id"]), marked: try #require(object["text"]))
        }
    }

    @Test("both splits parse and together hold at least 300 positive and 300 negative cases")
    func size() throws {
        let cases = try Self.load("dev") + Self.load("test")
        #expect(Set(cases.map(\.id)).count == cases.count)
        #expect(cases.filter { !$0.items.isEmpty }.count >= 300)
        #expect(cases.filter(\.items.isEmpty).count >= 300)
        for kind in PersonalDataKind.allCases {
            #expect(cases.flatMap(\.items).filter { $0.kind == kind }.count >= 50, "\(kind)")
        }
    }

    @Test("the development split meets the targets: recall 99 % on cards and IBANs, 95 % on phones and e-mails, precision 95 %")
    func developmentTargets() throws {
        var evaluation = RedactionEvaluation()
        for testCase in try Self.load("dev") { evaluation.add(testCase) }
        for (kind, target) in [(PersonalDataKind.card, 0.99), (.iban, 0.99), (.phone, 0.95), (.email, 0.95), (.nationalID, 0.95)] {
            let tally = try #require(evaluation.tallies[kind])
            let missed = evaluation.mistakes.filter { $0.contains("missed \(kind.rawValue)") }
            #expect(tally.recall >= target, "\(kind.rawValue): \(tally.found) of \(tally.items)\n\(missed.joined(separator: "\n"))")
        }
        let wrong = evaluation.mistakes.filter { $0.contains("is not personal data") }
        #expect(
            evaluation.precision >= 0.95, "\(evaluation.falsePositives) of \(evaluation.findings)\n\(wrong.joined(separator: "\n"))"
        )
    }
}
