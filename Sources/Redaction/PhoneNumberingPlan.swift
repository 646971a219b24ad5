/// Country calling codes and the lengths of their national significant numbers, in the style of
/// libphonenumber's metadata (ITU-T E.164 assignments; lengths of the countries most often seen,
/// a generic 6–12 for the rest of the assigned codes).
enum PhoneNumberingPlan {
    /// Whether `digits` (after `+` or `00`) are a calling code followed by a national number of
    /// that country's length; a trunk `0` written after the code (`+44 (0)20…`) is allowed.
    static func isInternational(_ digits: [UInt8]) -> Bool {
        guard (7...15).contains(digits.count) else { return false }
        for codeLength in 1...3 {
            let code = digits.prefix(codeLength).reduce(0) { $0 * 10 + Int($1) }
            guard let lengths = nationalLengths(callingCode: code, digits: codeLength) else { continue }
            let national = digits.dropFirst(codeLength)
            if lengths.contains(national.count) { return true }
            if national.first == 0, lengths.contains(national.count - 1) { return true }
            return false
        }
        return false
    }

    /// North American Numbering Plan: 10 digits (optionally after a `1`), area code and exchange
    /// starting 2–9, area code not N11.
    static func isNorthAmerican(_ digits: [UInt8]) -> Bool {
        let national: ArraySlice<UInt8>
        if digits.count == 11, digits[0] == 1 {
            national = digits.dropFirst()
        } else if digits.count == 10 {
            national = digits[...]
        } else {
            return false
        }
        let d = Array(national)
        return d[0] >= 2 && d[3] >= 2 && !(d[1] == 1 && d[2] == 1)
    }

    private static func nationalLengths(callingCode code: Int, digits: Int) -> ClosedRange<Int>? {
        if let known = lengths[code], String(code).count == digits { return known }
        guard digits == 3, threeDigitBlocks.contains(code / 10) else { return nil }
        return 6...12
    }

    private static let lengths: [Int: ClosedRange<Int>] = [
        1: 10...10, 7: 10...10, 20: 8...10, 27: 9...9, 30: 10...10, 31: 9...9, 32: 8...9, 33: 9...9, 34: 9...9, 36: 8...9,
        39: 6...11, 40: 9...9, 41: 9...9, 43: 4...13, 44: 7...10, 45: 8...8, 46: 7...13, 47: 8...8, 48: 9...9, 49: 5...13,
        51: 8...9, 52: 10...10, 53: 8...8, 54: 10...11, 55: 10...11, 56: 9...9, 57: 10...10, 58: 10...10, 60: 8...10, 61: 9...9,
        62: 8...12, 63: 10...10, 64: 8...10, 65: 8...8, 66: 8...9, 81: 9...10, 82: 8...10, 84: 9...10, 86: 10...11, 90: 10...10,
        91: 10...10, 92: 9...10, 93: 9...9, 94: 9...9, 95: 8...10, 98: 10...10, 212: 9...9, 213: 9...9, 216: 8...8,
        234: 8...10, 254: 9...9, 351: 9...9, 352: 6...11, 353: 7...9, 354: 7...9, 356: 8...8, 357: 8...8, 358: 5...12,
        359: 8...9, 370: 8...8, 371: 8...8, 372: 7...8, 380: 9...9, 381: 8...9, 385: 8...9, 386: 8...8, 420: 9...9, 421: 9...9,
        852: 8...8, 853: 8...8, 886: 8...9, 966: 9...9, 971: 8...9, 972: 8...9, 974: 8...8,
    ]

    /// First two digits of the three-digit calling codes (zones 2–9 outside the one- and
    /// two-digit codes above).
    private static let threeDigitBlocks: Set<Int> = [
        21, 22, 23, 24, 25, 26, 29, 35, 37, 38, 42, 50, 59, 67, 68, 69, 85, 87, 88, 96, 97, 99,
    ]
}
