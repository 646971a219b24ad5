import Foundation

/// Masks personal data in message text for `--redact` exports: e-mail addresses, phone numbers
/// and payment card numbers. A hand-written scanner over UTF-8 (no regular expressions), so
/// redacting a large export costs little.
///
/// The rules, chosen to mask what customers type while leaving order numbers alone:
/// - **E-mail** → `[email]`: `local@domain.tld`, local part of letters, digits and `._%+-`,
///   a domain of at least two labels whose last label has two or more letters.
/// - **Card** → `[card]`: 13–19 digits, optionally grouped by single spaces or dashes, and only
///   when the digits pass the Luhn check (so most long reference numbers stay readable).
/// - **Phone** → `[phone]`: either international, `+` then 8–15 digits grouped by spaces,
///   dashes, dots or parentheses (`+44 20 7946 0958`); or North American with separators,
///   `555-123-4567`, `(555) 123-4567`, `555.123.4567`, optionally preceded by `1` or `+1`.
/// - Never masked: digit runs without `+` or separators (`5551234567`, order `#100234`),
///   numbers glued to letters (`A1234567`), dates (`2025-03-01`), and anything after `#`.
public struct Redactor: Sendable {
    public static let emailMask = "[email]"
    public static let phoneMask = "[phone]"
    public static let cardMask = "[card]"

    public init() {}

    /// `text` with every e-mail address, phone number and Luhn-valid card number masked.
    public func redact(_ text: String) -> String {
        let bytes = Array(text.utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let previous: UInt8? = index > 0 ? bytes[index - 1] : nil
            if previous.map({ !Self.isLocalPart($0) }) ?? true, let end = Self.emailEnd(bytes, from: index) {
                out.append(contentsOf: Self.emailMask.utf8)
                index = end
                continue
            }
            if Self.mayStartNumber(bytes, at: index, previous: previous) {
                let run = NumberRun.scan(bytes, from: index)
                if let mask = run.mask {
                    out.append(contentsOf: mask.utf8)
                } else {
                    out.append(contentsOf: bytes[index..<run.end])
                }
                index = run.end
                continue
            }
            out.append(bytes[index])
            index += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: E-mail

    private static func isLocalPart(_ byte: UInt8) -> Bool {
        isAlphanumeric(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "%")
            || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-")
    }

    /// The end of an e-mail address starting at `start`, or nil when there is none.
    private static func emailEnd(_ bytes: [UInt8], from start: Int) -> Int? {
        var at = start
        while at < bytes.count, isLocalPart(bytes[at]) { at += 1 }
        guard at > start, at < bytes.count, bytes[at] == UInt8(ascii: "@") else { return nil }
        let domainStart = at + 1
        var end = domainStart
        while end < bytes.count, isAlphanumeric(bytes[end]) || bytes[end] == UInt8(ascii: ".") || bytes[end] == UInt8(ascii: "-") {
            end += 1
        }
        while end > domainStart, bytes[end - 1] == UInt8(ascii: ".") || bytes[end - 1] == UInt8(ascii: "-") { end -= 1 }
        let labels = bytes[domainStart..<end].split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard labels.count >= 2, labels.allSatisfy({ !$0.isEmpty }), let tld = labels.last, tld.count >= 2,
            tld.allSatisfy(isLetter)
        else { return nil }
        return end
    }

    // MARK: Numbers

    private static func mayStartNumber(_ bytes: [UInt8], at index: Int, previous: UInt8?) -> Bool {
        if let previous, isAlphanumeric(previous) || previous == UInt8(ascii: "#") || previous == UInt8(ascii: "_") {
            return false
        }
        let byte = bytes[index]
        if isDigit(byte) { return true }
        guard byte == UInt8(ascii: "+") || byte == UInt8(ascii: "("), index + 1 < bytes.count else { return false }
        return isDigit(bytes[index + 1])
    }

    static func isDigit(_ byte: UInt8) -> Bool { (48...57).contains(byte) }
    static func isLetter(_ byte: UInt8) -> Bool { (65...90).contains(byte) || (97...122).contains(byte) }
    static func isAlphanumeric(_ byte: UInt8) -> Bool { isDigit(byte) || isLetter(byte) }
}
