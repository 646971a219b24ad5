import Foundation
import Server
import Synchronization
import TestSupport

/// The value of one series in a Prometheus text exposition, named as it appears there, e.g.
/// `supportbot_errors_total{code="busy"}`; nil when the series is absent.
func metricValue(in exposition: String, _ series: String) -> Double? {
    for line in exposition.split(separator: "\n") where line.hasPrefix(series + " ") {
        return Double(line.dropFirst(series.count + 1))
    }
    return nil
}

extension ServerMetrics {
    /// One series' current value (see `metricValue(in:_:)`).
    func value(_ series: String) -> Double? {
        metricValue(in: String(decoding: exposition(), as: UTF8.self), series)
    }
}

/// A counter tasks share (replies received, requests sent).
final class SharedCount: Sendable {
    let value = Atomic<Int>(0)
}
