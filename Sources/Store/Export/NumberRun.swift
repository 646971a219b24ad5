import Foundation

/// A run of digit groups in message text (`+44 20 7946 0958`, `4111-1111-1111-1111`) as the
/// `Redactor` sees it, and the decision whether it is a card or phone number to mask.
struct NumberRun {
    /// One past the last byte of the run.
    var end: Int
    /// Digit count of each group, in order (a parenthesised group counts as one).
    var groups: [Int] = []
    /// All digits of the run, as values 0–9.
    var digits: [UInt8] = []
    var hasPlus = false
    var hasParentheses = false
    /// The separators met between groups.
    var separators: Set<UInt8> = []
    /// Whether the run is glued to a following letter, digit or `@` (then it is never masked).
    var glued = false

    private static let separatorBytes: Set<UInt8> = [UInt8(ascii: " "), UInt8(ascii: "-"), UInt8(ascii: ".")]

    /// Scans the run that starts at `start` (a digit, or `+`/`(` followed by a digit).
    static func scan(_ bytes: [UInt8], from start: Int) -> NumberRun {
        var run = NumberRun(end: start)
        var at = start
        if bytes[at] == UInt8(ascii: "+") {
            run.hasPlus = true
            at += 1
        }
        while at < bytes.count {
            var afterParenthesis = false
            if bytes[at] == UInt8(ascii: "(") {
                var close = at + 1
                while close < bytes.count, Redactor.isDigit(bytes[close]) { close += 1 }
                guard close > at + 1, close < bytes.count, bytes[close] == UInt8(ascii: ")") else { break }
                run.append(bytes[(at + 1)..<close])
                run.hasParentheses = true
                afterParenthesis = true
                at = close + 1
            } else if Redactor.isDigit(bytes[at]) {
                var groupEnd = at
                while groupEnd < bytes.count, Redactor.isDigit(bytes[groupEnd]) { groupEnd += 1 }
                run.append(bytes[at..<groupEnd])
                at = groupEnd
            } else {
                break
            }
            run.end = at
            guard at < bytes.count else { break }
            let next = bytes[at]
            if Self.separatorBytes.contains(next), at + 1 < bytes.count,
                Redactor.isDigit(bytes[at + 1]) || bytes[at + 1] == UInt8(ascii: "(")
            {
                run.separators.insert(next)
                at += 1
            } else if afterParenthesis, Redactor.isDigit(next) {
                continue
            } else {
                break
            }
        }
        if run.end < bytes.count {
            let next = bytes[run.end]
            run.glued = Redactor.isAlphanumeric(next) || next == UInt8(ascii: "@")
        }
        return run
    }

    private mutating func append(_ group: ArraySlice<UInt8>) {
        groups.append(group.count)
        digits.append(contentsOf: group.map { $0 - 48 })
    }

    /// The mask for this run, or nil to keep it as written.
    var mask: String? {
        guard !glued, !groups.isEmpty else { return nil }
        if isCard { return Redactor.cardMask }
        if isPhone { return Redactor.phoneMask }
        return nil
    }

    private var isCard: Bool {
        !hasPlus && !hasParentheses && separators.isSubset(of: [UInt8(ascii: " "), UInt8(ascii: "-")])
            && (13...19).contains(digits.count) && Self.luhnValid(digits)
    }

    private var isPhone: Bool {
        if hasPlus {
            return (8...15).contains(digits.count)
        }
        guard !separators.isEmpty || hasParentheses else { return false }
        if groups == [3, 3, 4] { return true }
        return groups == [1, 3, 3, 4] && digits.first == 1
    }

    /// The Luhn (mod 10) check used by payment card numbers.
    static func luhnValid(_ digits: [UInt8]) -> Bool {
        var sum = 0
        for (position, digit) in digits.reversed().enumerated() {
            var value = Int(digit)
            if position % 2 == 1 {
                value *= 2
                if value > 9 { value -= 9 }
            }
            sum += value
        }
        return sum % 10 == 0
    }
}
