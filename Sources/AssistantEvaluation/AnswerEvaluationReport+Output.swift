import Foundation

extension AnswerEvaluationReport {
    /// The report as a terminal table: scores by category, multi-turn, misses by kind and, with
    /// `misses`, every missed turn.
    public func text(title: String, misses: Bool) -> String {
        var lines = ["Answer evaluation: \(title) (\(results.count) conversations, \(overall.turns) turns)", ""]
        lines.append(
            Self.row(["category", "turns", "route", "entry", "facts", "no invent", "contradict", "answered"], widths: Self.widths))
        for score in categories + [overall] {
            lines.append(
                Self.row(
                    [
                        score.name, "\(score.turns)", Self.percent(score.routeRight, score.turns),
                        score.entryChecked == 0 ? "—" : Self.percent(score.entryRight, score.entryChecked),
                        Self.percent(score.factsPresent, score.turns), Self.percent(score.nothingInvented, score.turns),
                        "\(score.contradictions)", Self.percent(score.answeredRight, score.turns),
                    ], widths: Self.widths))
        }
        lines.append("")
        lines.append(
            "multi-turn conversations fully right: \(multiTurn.fullyRight) of \(multiTurn.conversations)"
                + (multiTurn.conversations == 0 ? "" : " (\(Self.percent(multiTurn.fullyRight, multiTurn.conversations)))"))
        lines.append(
            "clarifying questions asked: \(overall.clarifications) (\(Self.percent(overall.clarifications, overall.turns)) of turns)"
        )
        let kinds = AnswerVerdict.Miss.allCases.compactMap { kind in missCounts[kind].map { "\(kind.rawValue) \($0)" } }
        lines.append("misses by kind (a turn may miss several ways): " + (kinds.isEmpty ? "none" : kinds.joined(separator: ", ")))
        if misses {
            let missed = missedTurns
            lines.append("")
            lines.append("Missed turns (\(missed.count))")
            for turn in missed {
                let lead = turn.lead.map { " lead \($0)" } ?? ""
                lines.append("  \(turn.location) [\(turn.category)] \"\(Self.excerpt(turn.text, 90))\"")
                lines.append(
                    "    got \(turn.route) \(turn.intent) \(String(format: "%.2f", turn.confidence))\(lead): \(turn.details.joined(separator: "; "))"
                )
                lines.append("    answer: \(Self.excerpt(turn.answer, 140))")
            }
        }
        return lines.joined(separator: "\n")
    }

    /// The report as one JSON object: `categories`, `overall`, `multiTurn`, `missCounts`, `misses`.
    public func json() throws -> String {
        struct Output: Encodable {
            var categories: [Score]
            var overall: Score
            var multiTurn: [String: Int]
            var missCounts: [String: Int]
            var misses: [MissedTurn]
        }
        let output = Output(
            categories: categories, overall: overall,
            multiTurn: ["conversations": multiTurn.conversations, "fullyRight": multiTurn.fullyRight],
            missCounts: Dictionary(uniqueKeysWithValues: missCounts.map { ($0.key.rawValue, $0.value) }), misses: missedTurns)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(output), as: UTF8.self)
    }

    static let widths = [16, 6, 7, 7, 7, 10, 11, 9]

    static func row(_ cells: [String], widths: [Int]) -> String {
        zip(cells, widths).enumerated().map { index, pair in
            let (cell, width) = pair
            let padding = String(repeating: " ", count: max(0, width - cell.count))
            return index == 0 ? cell + padding : padding + cell
        }.joined(separator: " ")
    }

    static func percent(_ part: Int, _ whole: Int) -> String {
        whole == 0 ? "—" : String(format: "%.1f%%", Double(part) / Double(whole) * 100)
    }

    static func excerpt(_ text: String, _ limit: Int) -> String {
        let flat = text.split(whereSeparator: \.isNewline).joined(separator: " ")
        return flat.count <= limit ? flat : String(flat.prefix(limit - 1)) + "…"
    }
}
