/// Scores the `Redactor` on a labelled corpus: messages with their personal data marked inline
/// as `{{kind:value}}` (kinds as in `PersonalDataKind`, `ssn` accepted for `national-id`).
///
/// An item counts as found when findings cover all of its characters, whatever kind they name
/// (a masked item does not leak); `kindAgreement` says how often the kind was right too. A
/// finding that touches no labelled item is a false positive.
public struct RedactionEvaluation: Sendable {
    /// One labelled message.
    public struct Case: Sendable {
        public var id: String
        public var text: String
        public var items: [(kind: PersonalDataKind, offsets: Range<Int>)]
    }

    /// Counts for one kind.
    public struct Tally: Sendable, Equatable {
        public var items = 0
        public var found = 0
        public var foundAsKind = 0
        public var recall: Double { items == 0 ? 1 : Double(found) / Double(items) }
    }

    public private(set) var tallies: [PersonalDataKind: Tally] = [:]
    public private(set) var findings = 0
    public private(set) var falsePositives = 0
    public private(set) var negativeCases = 0
    public private(set) var changedNegativeCases = 0
    /// Ids of cases with a missed item or a false positive, with what went wrong.
    public private(set) var mistakes: [String] = []

    public var precision: Double { findings == 0 ? 1 : Double(findings - falsePositives) / Double(findings) }

    public init() {}

    /// Parses a JSON-lines corpus line's `text` markup into a case.
    public static func parseCase(id: String, marked: String) throws(RedactionCorpusError) -> Case {
        var text = String.UnicodeScalarView()
        var items: [(PersonalDataKind, Range<Int>)] = []
        var rest = Substring(marked)
        while let open = rest.firstRange(of: "{{") {
            text.append(contentsOf: rest[..<open.lowerBound].unicodeScalars)
            guard let close = rest[open.upperBound...].firstRange(of: "}}"),
                let colon = rest[open.upperBound..<close.lowerBound].firstIndex(of: ":")
            else { throw RedactionCorpusError(caseID: id, message: "unclosed or kind-less {{…}}") }
            let name = String(rest[open.upperBound..<colon])
            guard let kind = PersonalDataKind(rawValue: name == "ssn" ? "national-id" : name) else {
                throw RedactionCorpusError(caseID: id, message: "unknown kind '\(name)'")
            }
            let value = rest[rest.index(after: colon)..<close.lowerBound]
            let start = text.count
            text.append(contentsOf: value.unicodeScalars)
            items.append((kind, start..<text.count))
            rest = rest[close.upperBound...]
        }
        text.append(contentsOf: rest.unicodeScalars)
        return Case(id: id, text: String(text), items: items)
    }

    /// Runs `redactor` on `testCase` and adds the outcome to the totals.
    public mutating func add(_ testCase: Case, redactor: Redactor = Redactor()) {
        let found = redactor.findings(in: testCase.text)
        findings += found.count
        if testCase.items.isEmpty {
            negativeCases += 1
            if !found.isEmpty { changedNegativeCases += 1 }
        }
        for item in testCase.items {
            var tally = tallies[item.kind, default: Tally()]
            tally.items += 1
            let covering = found.filter { $0.scalarOffsets.overlaps(item.offsets) }
            let covered = item.offsets.allSatisfy { offset in covering.contains { $0.scalarOffsets.contains(offset) } }
            if covered {
                tally.found += 1
                if covering.allSatisfy({ $0.kind == item.kind }) { tally.foundAsKind += 1 }
            } else {
                mistakes.append("\(testCase.id): missed \(item.kind.rawValue) in: \(testCase.text)")
            }
            tallies[item.kind] = tally
        }
        for finding in found where !testCase.items.contains(where: { $0.offsets.overlaps(finding.scalarOffsets) }) {
            falsePositives += 1
            mistakes.append("\(testCase.id): \(finding.kind.rawValue) '\(finding.text)' is not personal data in: \(testCase.text)")
        }
    }
}

/// A corpus line whose markup cannot be read.
public struct RedactionCorpusError: Error, Sendable, CustomStringConvertible {
    public var caseID: String
    public var message: String
    public var description: String { "corpus case \(caseID): \(message)" }
}
