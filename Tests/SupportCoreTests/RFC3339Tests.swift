import Foundation
import SupportCore
import Testing

@Suite("RFC 3339 timestamps")
struct RFC3339Tests {
    @Test(
        "formatting agrees with Foundation's Gregorian calendar",
        arguments: [
            0, 1, 999, 951_782_400_000, 1_709_251_199_999, 4_102_444_800_123, 1_234_567_890_123, 1_583_020_800_000, -1,
        ])
    func agreesWithCalendar(millis: Int64) throws {
        // Given: the calendar's view of the whole second, plus the milliseconds
        let (seconds, fraction) = millis.quotientAndRemainder(dividingBy: 1000)
        let wholeSecond = fraction < 0 ? seconds - 1 : seconds
        let milliseconds = fraction < 0 ? fraction + 1000 : fraction
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = try #require(TimeZone(identifier: "UTC"))
        let parts = calendar.dateComponents(
            [.year, .month, .day, .hour, .minute, .second], from: Date(timeIntervalSince1970: Double(wholeSecond)))
        let expected = String(
            format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0,
            parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0, Int(milliseconds))
        // Then: the store's formatter writes the same text and parses it back
        let date = Date(timeIntervalSince1970: Double(millis) / 1000)
        #expect(RFC3339.string(from: date) == expected)
        let parsed = try #require(RFC3339.date(from: expected))
        #expect(abs(parsed.timeIntervalSince(date)) < 0.0005)
    }

    @Test(
        "operator dates parse",
        arguments: [
            ("2025-03-01", 1_740_787_200.0),
            ("2024-02-29", 1_709_164_800.0),
            ("2025-03-01T10:00:00Z", 1_740_823_200.0),
            ("2025-03-01T12:00:00+02:00", 1_740_823_200.0),
            ("2025-03-01T10:00:00.5Z", 1_740_823_200.5),
        ])
    func parses(text: String, seconds: Double) {
        #expect(RFC3339.date(from: text) == Date(timeIntervalSince1970: seconds))
    }

    @Test("invalid dates are rejected", arguments: ["2025-02-30", "2025-13-01", "yesterday", "2025/03/01", ""])
    func rejects(text: String) {
        #expect(RFC3339.date(from: text) == nil)
    }
}
