import Foundation

/// The human-readable rendering of an evaluation, for `supportbot evaluate` without `--json`.
extension Evaluation {
    /// A summary block, the per-intent table (worst F1 first) and the most confused pairs.
    public func table() -> String {
        func percent(_ value: Double?) -> String {
            value.map { String(format: "%5.1f %%", $0 * 100) } ?? "  n/a"
        }
        let source = folds.map { "\(method), \($0) folds" } ?? method
        var lines = [
            "evaluation        \(source)",
            "examples          \(inScopeExamples) in scope, \(outOfScopeExamples) out of scope",
            "accuracy          \(percent(accuracy))  (in scope, at threshold \(String(format: "%.3f", threshold)))",
            "top-intent acc.   \(percent(topIntentAccuracy))  (ignoring the threshold)",
            "macro F1          \(String(format: "%.3f", macroF1))",
            "OOS recall        \(percent(outOfScopeRecall))",
            "AUROC             \(auroc.map { String(format: "%.3f", $0) } ?? "n/a")",
            "",
        ]
        let width = max(perIntent.map(\.intent.count).max() ?? 0, 6)
        lines.append("intent".padding(toLength: width, withPad: " ", startingAt: 0) + "  precision  recall     F1  support")
        for score in perIntent.sorted(by: { $0.f1 != $1.f1 ? $0.f1 < $1.f1 : $0.intent < $1.intent }) {
            lines.append(
                score.intent.padding(toLength: width, withPad: " ", startingAt: 0)
                    + String(format: "  %9.3f %7.3f %6.3f %8d", score.precision, score.recall, score.f1, score.support))
        }
        if !confusions.isEmpty {
            lines += ["", "most confused (expected -> predicted: count)"]
            lines += confusions.map { "  \($0.expected) -> \($0.predicted): \($0.count)" }
        }
        return lines.joined(separator: "\n")
    }
}
