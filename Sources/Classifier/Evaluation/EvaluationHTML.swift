import Foundation

/// A self-contained HTML page of an `Evaluation` (`supportbot evaluate --html FILE`): headline
/// figures, the per-intent table, a heat map of the most confused intents, histograms of the
/// out-of-scope score for right, wrong and out-of-scope examples, the threshold curve, and the
/// worst examples. Charts are inline SVG with text equivalents; no script, no network, no
/// external style, so it opens anywhere and passes a strict content security policy.
public enum EvaluationHTML {
    /// The page for `evaluation`; `title` names what was evaluated.
    public static func render(_ evaluation: Evaluation, title: String) -> String {
        var body = ""
        body += "<header><h1>Intent classifier evaluation</h1><p>\(escape(title)) · \(escape(evaluation.method))"
        body += evaluation.folds.map { " (\($0) folds)" } ?? ""
        body += "</p></header>\n<main>\n"
        body += summary(evaluation)
        body += intentTable(evaluation)
        body += confusionHeatMap(evaluation)
        body += histograms(evaluation)
        body += thresholdCurve(evaluation)
        body += worstExamples(evaluation)
        body += "</main>\n"
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
            <title>Intent classifier evaluation: \(escape(title))</title>
            <style>\(style)</style>
            </head>
            <body>
            \(body)</body>
            </html>

            """
    }

    private static let style = """
        body{font:15px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1100px;padding:1rem 1.5rem;color:#1d1d1f;background:#fff}
        h1{font-size:1.6rem}h2{font-size:1.2rem;margin-top:2rem}table{border-collapse:collapse;margin:.5rem 0}
        th,td{padding:.25rem .6rem;border-bottom:1px solid #ddd;text-align:right}th:first-child,td:first-child{text-align:left}
        caption{text-align:left;font-weight:600;padding:.3rem 0}.figures{display:flex;flex-wrap:wrap;gap:1rem}
        .figure{border:1px solid #ccc;border-radius:6px;padding:.5rem .8rem}.figure b{display:block;font-size:1.3rem}
        svg text{font:12px system-ui,sans-serif;fill:#1d1d1f}.low{color:#a00000}td.text{text-align:left;max-width:36rem}
        """

    // MARK: Sections

    private static func summary(_ e: Evaluation) -> String {
        var figures: [(String, String)] = [
            ("In-scope accuracy", percent(e.accuracy)), ("Top-intent accuracy", percent(e.topIntentAccuracy)),
            ("Macro F1", String(format: "%.3f", e.macroF1)), ("Threshold", String(format: "%.3f", e.threshold)),
            ("Examples", "\(e.inScopeExamples) in scope, \(e.outOfScopeExamples) out of scope"),
        ]
        if let recall = e.outOfScopeRecall { figures.append(("Out-of-scope recall", percent(recall))) }
        if let auroc = e.auroc { figures.append(("AUROC (in scope vs out of scope)", String(format: "%.3f", auroc))) }
        let items = figures.map { "<div class=\"figure\">\(escape($0.0))<b>\(escape($0.1))</b></div>" }.joined()
        return
            "<section aria-labelledby=\"summary\"><h2 id=\"summary\">Summary</h2><div class=\"figures\">\(items)</div></section>\n"
    }

    private static func intentTable(_ e: Evaluation) -> String {
        let rows = e.perIntent.sorted { $0.f1 < $1.f1 }.map { score in
            let flag = score.f1 < 0.8 ? " class=\"low\"" : ""
            return
                "<tr\(flag)><th scope=\"row\">\(escape(score.intent))</th><td>\(fixed(score.precision))</td><td>\(fixed(score.recall))</td><td>\(fixed(score.f1))</td><td>\(score.support)</td></tr>"
        }
        return """
            <section aria-labelledby="intents"><h2 id="intents">Per intent</h2>
            <table><caption>Precision, recall and F1 per intent, weakest first (F1 under 0.8 in red)</caption>
            <thead><tr><th scope="col">Intent</th><th scope="col">Precision</th><th scope="col">Recall</th><th scope="col">F1</th><th scope="col">Examples</th></tr></thead>
            <tbody>\(rows.joined(separator: "\n"))</tbody></table></section>

            """
    }

    private static func confusionHeatMap(_ e: Evaluation) -> String {
        var pairs: [String: [String: Int]] = [:]
        for outcome in e.outcomes where outcome.expected != outcome.predicted {
            pairs[outcome.expected, default: [:]][outcome.predicted, default: 0] += 1
        }
        var involvement: [String: Int] = [:]
        for (expected, row) in pairs {
            for (predicted, count) in row {
                involvement[expected, default: 0] += count
                involvement[predicted, default: 0] += count
            }
        }
        let names = involvement.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(12).map(\.key)
            .sorted()
        guard !names.isEmpty else {
            return
                "<section aria-labelledby=\"confusion\"><h2 id=\"confusion\">Most confused intents</h2><p>No mistakes.</p></section>\n"
        }
        let cell = 34.0
        let left = 190.0
        let top = 150.0
        let peak = Double(pairs.values.flatMap(\.values).max() ?? 1)
        var svg = ""
        for (row, expected) in names.enumerated() {
            svg +=
                "<text x=\"\(left - 6)\" y=\"\(top + Double(row) * cell + cell / 2 + 4)\" text-anchor=\"end\">\(escape(expected))</text>"
            for (column, predicted) in names.enumerated() {
                let count = pairs[expected]?[predicted] ?? 0
                let x = left + Double(column) * cell
                let y = top + Double(row) * cell
                let shade = count == 0 ? "#f4f4f4" : heat(Double(count) / peak)
                svg +=
                    "<rect x=\"\(x)\" y=\"\(y)\" width=\"\(cell - 2)\" height=\"\(cell - 2)\" fill=\"\(shade)\"><title>\(escape(expected)) read as \(escape(predicted)): \(count)</title></rect>"
                if count > 0 {
                    svg += "<text x=\"\(x + cell / 2 - 1)\" y=\"\(y + cell / 2 + 4)\" text-anchor=\"middle\">\(count)</text>"
                }
            }
        }
        for (column, predicted) in names.enumerated() {
            let x = left + Double(column) * cell + cell / 2
            svg += "<text transform=\"translate(\(x),\(top - 6)) rotate(-50)\">\(escape(predicted))</text>"
        }
        let width = left + Double(names.count) * cell + 140
        let height = top + Double(names.count) * cell + 10
        let list = e.confusions.map { "<li>\(escape($0.expected)) read as \(escape($0.predicted)): \($0.count)</li>" }.joined()
        return """
            <section aria-labelledby="confusion"><h2 id="confusion">Most confused intents</h2>
            <svg role="img" aria-labelledby="confusion-title confusion-desc" width="\(width)" height="\(height)" viewBox="0 0 \(width) \(height)">
            <title id="confusion-title">Confusion heat map</title><desc id="confusion-desc">Rows are the labelled intents, columns what the classifier answered; darker cells are more frequent mistakes. The list below gives the same counts.</desc>
            \(svg)</svg>
            <ul>\(list)</ul></section>

            """
    }

    private static func histograms(_ e: Evaluation) -> String {
        let groups: [(String, String, [Double])] = [
            ("right (in scope)", "#2a7d2a", e.outcomes.filter { $0.expected != outOfScope && $0.top == $0.expected }.map(\.score)),
            ("wrong (in scope)", "#c25400", e.outcomes.filter { $0.expected != outOfScope && $0.top != $0.expected }.map(\.score)),
            ("out of scope", "#4a4aa8", e.outcomes.filter { $0.expected == outOfScope }.map(\.score)),
        ]
        let bins = 20
        var svg = ""
        var table = ""
        let width = 300.0
        let height = 140.0
        for (index, group) in groups.enumerated() {
            var counts = [Int](repeating: 0, count: bins)
            for value in group.2 { counts[min(bins - 1, max(0, Int(value * Double(bins))))] += 1 }
            let peak = Double(counts.max() ?? 1)
            let x0 = Double(index) * (width + 40) + 10
            svg += "<text x=\"\(x0)\" y=\"14\">\(escape(group.0)): \(group.2.count)</text>"
            for (bin, count) in counts.enumerated() where count > 0 {
                let barHeight = peak > 0 ? Double(count) / peak * (height - 30) : 0
                let x = x0 + Double(bin) * width / Double(bins)
                svg +=
                    "<rect x=\"\(x)\" y=\"\(height - barHeight)\" width=\"\(width / Double(bins) - 1)\" height=\"\(barHeight)\" fill=\"\(group.1)\"><title>\(String(format: "%.2f–%.2f", Double(bin) / Double(bins), Double(bin + 1) / Double(bins))): \(count)</title></rect>"
            }
            let thresholdX = x0 + e.threshold * width
            svg +=
                "<line x1=\"\(thresholdX)\" x2=\"\(thresholdX)\" y1=\"20\" y2=\"\(height)\" stroke=\"#000\" stroke-dasharray=\"3 3\"/>"
            svg +=
                "<text x=\"\(x0)\" y=\"\(height + 14)\">0</text><text x=\"\(x0 + width)\" y=\"\(height + 14)\" text-anchor=\"end\">1</text>"
            let median = group.2.sorted()[safe: group.2.count / 2].map { String(format: "%.3f", $0) } ?? "—"
            let below = group.2.filter { $0 < e.threshold }.count
            table +=
                "<tr><th scope=\"row\">\(escape(group.0))</th><td>\(group.2.count)</td><td>\(median)</td><td>\(below)</td></tr>"
        }
        let total = Double(groups.count) * (width + 40)
        return """
            <section aria-labelledby="histograms"><h2 id="histograms">Out-of-scope score by outcome</h2>
            <svg role="img" aria-labelledby="histograms-title" width="\(total)" height="\(height + 20)" viewBox="0 0 \(total) \(height + 20)">
            <title id="histograms-title">Histograms of the out-of-scope score for right, wrong and out-of-scope examples; the dashed line is the threshold</title>
            \(svg)</svg>
            <table><caption>The same in figures</caption><thead><tr><th scope="col">Examples</th><th scope="col">Count</th><th scope="col">Median score</th><th scope="col">Below the threshold (refused)</th></tr></thead>
            <tbody>\(table)</tbody></table></section>

            """
    }

    private static func thresholdCurve(_ e: Evaluation) -> String {
        let inScope = e.outcomes.filter { $0.expected != outOfScope }
        let rejected = e.outcomes.filter { $0.expected == outOfScope }
        guard !inScope.isEmpty else { return "" }
        let width = 520.0
        let height = 240.0
        let steps = (0...100).map { Double($0) / 100 }
        func accuracy(_ t: Double) -> Double {
            Double(inScope.filter { $0.score >= t && $0.top == $0.expected }.count) / Double(inScope.count)
        }
        func recall(_ t: Double) -> Double? {
            rejected.isEmpty ? nil : Double(rejected.filter { $0.score < t }.count) / Double(rejected.count)
        }
        func point(_ t: Double, _ value: Double) -> String {
            String(format: "%.1f,%.1f", 50 + t * width, 10 + (1 - value) * height)
        }
        var svg = "<rect x=\"50\" y=\"10\" width=\"\(width)\" height=\"\(height)\" fill=\"none\" stroke=\"#bbb\"/>"
        svg +=
            "<polyline fill=\"none\" stroke=\"#2a7d2a\" stroke-width=\"2\" points=\"\(steps.map { point($0, accuracy($0)) }.joined(separator: " "))\"/>"
        if !rejected.isEmpty {
            svg +=
                "<polyline fill=\"none\" stroke=\"#4a4aa8\" stroke-width=\"2\" stroke-dasharray=\"6 3\" points=\"\(steps.map { point($0, recall($0) ?? 0) }.joined(separator: " "))\"/>"
        }
        let chosen = 50 + e.threshold * width
        svg += "<line x1=\"\(chosen)\" x2=\"\(chosen)\" y1=\"10\" y2=\"\(10 + height)\" stroke=\"#000\"/>"
        svg += "<text x=\"\(chosen + 4)\" y=\"24\">threshold \(String(format: "%.3f", e.threshold))</text>"
        for value in [0.0, 0.5, 1.0] {
            svg += "<text x=\"44\" y=\"\(10 + (1 - value) * height + 4)\" text-anchor=\"end\">\(Int(value * 100)) %</text>"
            svg += "<text x=\"\(50 + value * width)\" y=\"\(height + 26)\" text-anchor=\"middle\">\(value)</text>"
        }
        let rows = stride(from: 0.0, through: 1.0, by: 0.1).map { t in
            "<tr><th scope=\"row\">\(String(format: "%.1f", t))</th><td>\(percent(accuracy(t)))</td><td>\(recall(t).map(percent) ?? "—")</td></tr>"
        }
        return """
            <section aria-labelledby="curve"><h2 id="curve">Threshold curve</h2>
            <svg role="img" aria-labelledby="curve-title" width="\(width + 70)" height="\(height + 40)" viewBox="0 0 \(width + 70) \(height + 40)">
            <title id="curve-title">In-scope accuracy (solid green) and out-of-scope recall (dashed blue) against the threshold; the vertical line is the chosen threshold</title>
            \(svg)</svg>
            <table><caption>In-scope accuracy and out-of-scope recall at every tenth of the threshold</caption><thead><tr><th scope="col">Threshold</th><th scope="col">In-scope accuracy</th><th scope="col">Out-of-scope recall</th></tr></thead>
            <tbody>\(rows.joined())</tbody></table></section>

            """
    }

    private static func worstExamples(_ e: Evaluation) -> String {
        let wrong = e.outcomes.filter { $0.expected != outOfScope && $0.predicted != $0.expected && $0.predicted != outOfScope }
            .sorted { $0.score > $1.score }.prefix(15)
        let accepted = e.outcomes.filter { $0.expected == outOfScope && $0.predicted != outOfScope }
            .sorted { $0.score > $1.score }.prefix(15)
        let refused = e.outcomes.filter { $0.expected != outOfScope && $0.predicted == outOfScope && $0.top == $0.expected }
            .sorted { $0.score < $1.score }.prefix(15)
        func table(_ caption: String, _ items: ArraySlice<Evaluation.Outcome>) -> String {
            guard !items.isEmpty else { return "<p>\(escape(caption)): none.</p>" }
            let rows = items.map {
                "<tr><td class=\"text\">\(escape($0.text))</td><td>\(escape($0.expected))</td><td>\(escape($0.predicted == outOfScope ? "refused (\($0.top))" : $0.predicted))</td><td>\(String(format: "%.3f", $0.score))</td></tr>"
            }
            return
                "<table><caption>\(escape(caption))</caption><thead><tr><th scope=\"col\">Message</th><th scope=\"col\">Labelled</th><th scope=\"col\">Answered</th><th scope=\"col\">Score</th></tr></thead><tbody>\(rows.joined())</tbody></table>"
        }
        return """
            <section aria-labelledby="worst"><h2 id="worst">Worst examples</h2>
            \(table("Confidently wrong: answered with another intent, highest score first", wrong))
            \(table("Out-of-scope messages answered, highest score first", accepted))
            \(table("Right intent refused by the threshold, lowest score first", refused))
            </section>

            """
    }

    // MARK: Helpers

    private static let outOfScope = ClassifierConstants.outOfScope

    private static func heat(_ fraction: Double) -> String {
        let level = Int(235 - 175 * min(max(fraction, 0), 1))
        return String(format: "#%02x%02x%02x", 255, level, level - min(level, 40))
    }

    private static func percent(_ value: Double) -> String { String(format: "%.1f %%", value * 100) }
    private static func fixed(_ value: Double) -> String { String(format: "%.3f", value) }

    /// `text` with `&`, `<`, `>`, `"` and `'` escaped for HTML text and attributes.
    static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.count)
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }
}

extension Array {
    fileprivate subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }
}
