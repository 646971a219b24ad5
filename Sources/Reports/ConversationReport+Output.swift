import Foundation
import Store
import SupportCore

extension ConversationReport {
    /// The report as one JSON object (sorted keys, pretty-printed, dates in RFC 3339 UTC with
    /// milliseconds, absent optional fields left out). `decode(_:)` reads it back.
    public func jsonData() throws(ReportError) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(RFC3339.string(from: date))
        }
        do {
            return try encoder.encode(self)
        } catch {
            throw ReportError("cannot encode the report as JSON: \(error)")
        }
    }

    /// Reads a report written by `jsonData()`.
    public static func decode(_ data: Data) throws(ReportError) -> ConversationReport {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = RFC3339.date(from: text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "'\(text)' is not an RFC 3339 date")
            }
            return date
        }
        do {
            return try decoder.decode(ConversationReport.self, from: data)
        } catch {
            throw ReportError("cannot read the report JSON: \(error)")
        }
    }

    /// The report as plain text for a terminal: a summary line, then the sections Routes,
    /// Feedback, Down-rated answers and Unanswered questions (with a suggestion per cluster).
    /// `source` names what was read (e.g. the database path) in the title.
    public func text(source: String? = nil) -> String {
        var lines: [String] = []
        let window: String =
            switch (since, until) {
            case (nil, nil): "all replies"
            case let (since?, nil): "replies since \(Self.minute(since))"
            case let (nil, until?): "replies before \(Self.minute(until))"
            case let (since?, until?): "replies from \(Self.minute(since)) until \(Self.minute(until))"
            }
        lines.append("SupportBot report\(source.map { " on \($0)" } ?? ""): \(window)")
        lines.append(
            "\(totals.conversations) conversations, \(totals.botReplies) bot replies, fallback rate "
                + "\(Self.percent(totals.fallbackRate)), \(totals.handoffReplies) handoff replies, "
                + "\(totals.handoffConversations) conversations waiting for a person")
        lines.append("")
        lines.append("Routes")
        let width = max(8, routes.map(\.route.count).max() ?? 0)
        let countWidth = max(5, String(totals.botReplies).count)
        for route in routes {
            lines.append(
                "  " + route.route.padding(toLength: width, withPad: " ", startingAt: 0) + "  "
                    + Self.leftPad(String(route.count), countWidth) + "  " + Self.leftPad(Self.percent(route.share), 7))
        }
        lines.append("")
        lines.append("Feedback")
        lines.append(
            "  \(feedback.up) up, \(feedback.down) down, \(feedback.comments) with a comment "
                + "(\(Self.percent(feedback.ratedShare)) of replies rated)")
        lines.append("")
        appendDownRated(to: &lines)
        lines.append("")
        appendUnanswered(to: &lines)
        return lines.joined(separator: "\n") + "\n"
    }

    private func appendDownRated(to lines: inout [String]) {
        guard !downRated.isEmpty else {
            lines.append("Down-rated answers: none")
            return
        }
        lines.append("Down-rated answers (\(downRated.count) of \(feedback.down), newest first)")
        for (index, answer) in downRated.enumerated() {
            var heading = "  \(index + 1). \(Self.minute(answer.createdAt))  \(answer.route ?? "unknown")"
            if let intent = answer.intent {
                heading += " · \(intent)" + (answer.confidence.map { " \(SuggestionRules.twoDecimals($0))" } ?? "")
            }
            lines.append(heading + " · conversation \(answer.conversation)")
            lines.append("     customer: \(answer.question.map(Self.oneLine) ?? "(no customer message)")")
            lines.append("     answer:   \(answer.answerExcerpt)")
            if !answer.sources.isEmpty {
                lines.append("     sources:  \(answer.sources.joined(separator: ", "))")
            }
            if let comment = answer.comment, !comment.isEmpty {
                lines.append("     comment:  \(Self.oneLine(comment))")
            }
        }
    }

    private func appendUnanswered(to lines: inout [String]) {
        let method =
            "\(unanswered.clustering) clustering at cosine ≥ \(SuggestionRules.twoDecimals(unanswered.threshold)); "
            + (unanswered.classifierUsed ? "classifier consulted" : "no classifier")
        guard !unanswered.clusters.isEmpty else {
            lines.append("Unanswered questions: none")
            return
        }
        lines.append(
            "Unanswered questions (\(unanswered.questions) asked, \(unanswered.distinct) distinct, "
                + "\(unanswered.clusterCount) clusters, largest \(unanswered.clusters.count) shown; \(method))")
        for (index, cluster) in unanswered.clusters.enumerated() {
            lines.append(
                "  \(index + 1). ×\(cluster.count)  \"\(Self.oneLine(cluster.representative))\"  "
                    + "(\(cluster.fallbacks) fallback, \(cluster.handoffs) handed off, \(cluster.downRated) down-rated; "
                    + "last \(Self.minute(cluster.lastAsked)))")
            if !cluster.examples.isEmpty {
                lines.append("     also: " + cluster.examples.map { "\"\(Self.oneLine($0))\"" }.joined(separator: ", "))
            }
            lines.append("     → \(cluster.suggestion.action)")
            lines.append("       \(cluster.suggestion.reason)")
        }
    }

    /// `2026-03-14 09:12Z`.
    static func minute(_ date: Date) -> String {
        let full = RFC3339.string(from: date)
        return String(full.prefix(10)) + " " + String(full.dropFirst(11).prefix(5)) + "Z"
    }

    /// `0.1875` → `18.8 %`.
    static func percent(_ share: Double) -> String {
        String(format: "%.1f %%", share * 100)
    }

    static func leftPad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }

    /// Collapses line breaks and runs of whitespace so a customer's text stays on one line.
    static func oneLine(_ text: String) -> String {
        text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}
