/// Masks personal data in free text: what `export --redact` applies to every message.
///
/// Each kind of data has a recogniser that validates what it finds, so that order numbers,
/// prices, dates and tracking numbers stay readable:
/// - **E-mail** → `[email]`: internationalised addresses (RFC 6531: non-ASCII local parts and
///   domains), a domain of two or more labels ending in a top-level domain of letters.
/// - **IBAN** → `[iban]`: country code, check digits and the country's length from the IBAN
///   registry, compact or in groups, passing the ISO 7064 mod-97 check.
/// - **Card** → `[card]`: 12–19 digits, plain or grouped by spaces, dashes or dots, with an
///   issuer prefix and length that exist (Visa, Mastercard, Amex, Discover, JCB, Diners, Maestro,
///   UnionPay, Mir, RuPay) and a valid Luhn check digit; an expiry date or security code after
///   it is not part of the number.
/// - **Phone** → `[phone]`: international (`+` or `00`, a country calling code and a national
///   number of that country's length), North American numbers (area code and exchange
///   validated), and national numbers with a trunk `0` (UK, German, French, Dutch, Australian…);
///   other grouped national numbers when the words before them speak of calling.
/// - **National identity number** → `[national-id]`: US Social Security numbers (`123-45-6789`,
///   or nine digits after "SSN"; area, group and serial validated) and UK National Insurance
///   numbers.
///
/// Words just before a number decide between readings: after "order", "tracking", "invoice"
/// (and similar) a number is an identifier and stays, unless a nearer word speaks of a card or
/// a phone. Numbers glued to letters (`A1234567`, `1Z999…`) are identifiers too.
public struct Redactor: Sendable {
    /// The mask written in place of a finding of `kind`.
    public static func mask(for kind: PersonalDataKind) -> String { "[\(kind.rawValue)]" }

    public static let emailMask = mask(for: .email)
    public static let phoneMask = mask(for: .phone)
    public static let cardMask = mask(for: .card)
    public static let ibanMask = mask(for: .iban)
    public static let nationalIDMask = mask(for: .nationalID)

    public init() {}

    /// Every piece of personal data in `text`, in order, without overlaps.
    public func findings(in text: String) -> [PersonalDataFinding] {
        findings(in: ScalarText(text))
    }

    private func findings(in scalars: ScalarText) -> [PersonalDataFinding] {
        var spans = EmailRecogniser.findings(in: scalars)
        var index = 0
        var emailIndex = 0
        var others: [Span] = []
        while index < scalars.count {
            if emailIndex < spans.count, index >= spans[emailIndex].range.lowerBound {
                index = spans[emailIndex].range.upperBound
                emailIndex += 1
                continue
            }
            let limit = emailIndex < spans.count ? spans[emailIndex].range.lowerBound : scalars.count
            if let span = LetterLedRecogniser.finding(in: scalars, at: index, limit: limit) {
                others.append(span)
                index = span.range.upperBound
                continue
            }
            if NumberCandidate.mayStart(in: scalars, at: index) {
                let candidate = NumberCandidate.scan(scalars, from: index, limit: limit)
                others += NumberClassifier.findings(in: candidate, text: scalars)
                index = max(candidate.end, index + 1)
                continue
            }
            index += 1
        }
        var cursor = 0
        spans = (spans + others).sorted { $0.range.lowerBound < $1.range.lowerBound }
        var result: [PersonalDataFinding] = []
        for span in spans where span.range.lowerBound >= cursor {
            result.append(PersonalDataFinding(kind: span.kind, scalarOffsets: span.range, text: scalars.string(span.range)))
            cursor = span.range.upperBound
        }
        return result
    }

    /// `text` with every finding replaced by its kind's mask (`[email]`, `[phone]`, …).
    public func redact(_ text: String) -> String {
        let scalars = ScalarText(text)
        let found = findings(in: scalars)
        guard !found.isEmpty else { return text }
        var out = String.UnicodeScalarView()
        var cursor = 0
        for finding in found {
            out.append(contentsOf: scalars.scalars[cursor..<finding.scalarOffsets.lowerBound])
            out.append(contentsOf: Self.mask(for: finding.kind).unicodeScalars)
            cursor = finding.scalarOffsets.upperBound
        }
        out.append(contentsOf: scalars.scalars[cursor...])
        return String(out)
    }
}

/// The kinds of personal data the `Redactor` recognises; the raw value is the mask's word.
public enum PersonalDataKind: String, Sendable, CaseIterable, Codable {
    case email
    case phone
    case card
    case iban
    case nationalID = "national-id"
}

/// One piece of personal data found in a text: its kind, where it is (offsets in the text's
/// Unicode scalars) and its characters.
public struct PersonalDataFinding: Sendable, Hashable {
    public var kind: PersonalDataKind
    public var scalarOffsets: Range<Int>
    public var text: String

    public init(kind: PersonalDataKind, scalarOffsets: Range<Int>, text: String) {
        self.kind = kind
        self.scalarOffsets = scalarOffsets
        self.text = text
    }
}

/// A finding inside the recognisers, before it is turned into a `PersonalDataFinding`.
struct Span {
    var kind: PersonalDataKind
    var range: Range<Int>
}
