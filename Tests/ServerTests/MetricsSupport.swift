import Foundation
import Server
import Synchronization

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

/// Polls `condition` every 10 ms until it holds or `timeout` passes (an upper bound for waiting,
/// never a measured duration); returns whether it held.
func eventually(timeout: Duration = .seconds(30), _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(10))
    }
    return try await condition()
}

/// A counter tasks share (replies received, requests sent).
final class SharedCount: Sendable {
    let value = Atomic<Int>(0)
}
