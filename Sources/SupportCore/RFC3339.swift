import Foundation

/// RFC 3339 UTC timestamps as the wire protocol and exports write them
/// (`2025-03-01T09:30:00.250Z`, always with milliseconds), formatted without Foundation's
/// slower formatters because exports format one per message. Also parses the dates an operator
/// types (`--since 2025-03-01`).
public enum RFC3339 {
    /// `date` as `YYYY-MM-DDTHH:MM:SS.mmmZ` (UTC, rounded to the millisecond).
    public static func string(from date: Date) -> String {
        String(decoding: bytes(millis: date.millisSince1970), as: UTF8.self)
    }

    /// Parses `YYYY-MM-DD` (midnight UTC) or a full RFC 3339 timestamp with `Z` or an offset and
    /// optional fractional seconds. Returns nil for anything else.
    public static func date(from text: String) -> Date? {
        let text = text.trimmingCharacters(in: .whitespaces)
        let utf8 = Array(text.utf8)
        if utf8.count == 10 {
            guard let days = parseDay(utf8) else { return nil }
            return Date(timeIntervalSince1970: Double(days) * 86_400)
        }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) {
            return date
        }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)
    }

    /// The 24 ASCII bytes of `millis` (since 1970, UTC) in RFC 3339 form.
    public static func bytes(millis: Int64) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(24)
        append(millis: millis, to: &out)
        return out
    }

    /// Appends the RFC 3339 form of `millis` to `out`.
    public static func append(millis: Int64, to out: inout [UInt8]) {
        let (days, msOfDay) = millis.quotientAndRemainderFlooring(dividingBy: 86_400_000)
        let (year, month, day) = civil(fromDays: days)
        let seconds = msOfDay / 1000
        appendDigits(year, width: 4, to: &out)
        out.append(UInt8(ascii: "-"))
        appendDigits(month, width: 2, to: &out)
        out.append(UInt8(ascii: "-"))
        appendDigits(day, width: 2, to: &out)
        out.append(UInt8(ascii: "T"))
        appendDigits(seconds / 3600, width: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        appendDigits(seconds / 60 % 60, width: 2, to: &out)
        out.append(UInt8(ascii: ":"))
        appendDigits(seconds % 60, width: 2, to: &out)
        out.append(UInt8(ascii: "."))
        appendDigits(msOfDay % 1000, width: 3, to: &out)
        out.append(UInt8(ascii: "Z"))
    }

    private static func appendDigits(_ value: Int64, width: Int, to out: inout [UInt8]) {
        var digits = [UInt8](repeating: UInt8(ascii: "0"), count: width)
        var rest = value
        var index = width - 1
        while index >= 0 {
            digits[index] = UInt8(ascii: "0") + UInt8(rest % 10)
            rest /= 10
            index -= 1
        }
        out.append(contentsOf: digits)
    }

    /// Gregorian (year, month, day) of a day count since 1970-01-01 (H. Hinnant's algorithm).
    private static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Days since 1970-01-01 of a Gregorian date (inverse of `civil`).
    private static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    private static func parseDay(_ bytes: [UInt8]) -> Int64? {
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            let year = number(bytes[0..<4]), let month = number(bytes[5..<7]), let day = number(bytes[8..<10]),
            (1...12).contains(month), (1...31).contains(day)
        else { return nil }
        let result = days(year: year, month: month, day: day)
        guard civil(fromDays: result) == (year, month, day) else { return nil }
        return result
    }

    private static func number(_ bytes: ArraySlice<UInt8>) -> Int64? {
        var value: Int64 = 0
        for byte in bytes {
            guard (48...57).contains(byte) else { return nil }
            value = value * 10 + Int64(byte - 48)
        }
        return value
    }
}

extension Int64 {
    /// Floor division and the matching non-negative remainder.
    fileprivate func quotientAndRemainderFlooring(dividingBy divisor: Int64) -> (Int64, Int64) {
        let (q, r) = quotientAndRemainder(dividingBy: divisor)
        return r < 0 ? (q - 1, r + divisor) : (q, r)
    }
}

extension Date {
    /// Milliseconds since 1970 (UTC), rounded to the nearest: how the store keeps times.
    /// Rounding (not truncating) makes `Date(millis:)` round-trip exactly.
    public var millisSince1970: Int64 {
        Int64((timeIntervalSince1970 * 1000).rounded())
    }

    /// The date at `millis` milliseconds since 1970.
    public init(millis: Int64) {
        self.init(timeIntervalSince1970: Double(millis) / 1000)
    }
}
