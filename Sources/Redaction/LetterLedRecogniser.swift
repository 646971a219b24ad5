/// Recognisers for personal data that starts with letters: IBANs and UK National Insurance
/// numbers. Both start at a word boundary and end at one.
enum LetterLedRecogniser {
    static func finding(in text: ScalarText, at index: Int, limit: Int) -> Span? {
        guard text.isASCIILetter(index), !text.isWordScalar(index - 1) else { return nil }
        if let end = ibanEnd(text, at: index, limit: limit) { return Span(kind: .iban, range: index..<end) }
        if let end = insuranceNumberEnd(text, at: index, limit: limit) { return Span(kind: .nationalID, range: index..<end) }
        return nil
    }

    // MARK: IBAN

    /// The end of a valid IBAN starting at `index`: the country's length of letters and digits,
    /// compact or grouped by single spaces (or dashes), then a word boundary, mod-97 == 1.
    static func ibanEnd(_ text: ScalarText, at index: Int, limit: Int) -> Int? {
        guard text.isASCIILetter(index + 1), text.isDigit(index + 2), text.isDigit(index + 3),
            let country = text[index].map({ String($0).uppercased() }).flatMap({ first in
                text[index + 1].map { first + String($0).uppercased() }
            }),
            let length = IBANRegistry.lengths[country]
        else { return nil }
        var characters: [Unicode.Scalar] = []
        var at = index
        while at < limit, characters.count < length {
            guard let scalar = text[at] else { break }
            if scalar.isASCII, ScalarText.isDigit(scalar) || ScalarText.isASCIILetter(scalar) {
                characters.append(scalar)
                at += 1
            } else if ScalarText.isSpace(scalar) || scalar == "-", characters.count >= 4,
                let next = text[at + 1], next.isASCII, ScalarText.isDigit(next) || ScalarText.isASCIILetter(next)
            {
                at += 1
            } else {
                break
            }
        }
        guard characters.count == length, !text.isWordScalar(at), mod97(characters) == 1 else { return nil }
        return at
    }

    /// ISO 7064 MOD 97-10 over the IBAN with its first four characters moved to the end and
    /// letters as 10…35.
    static func mod97(_ characters: [Unicode.Scalar]) -> Int {
        var remainder = 0
        for scalar in characters.dropFirst(4) + characters.prefix(4) {
            let value: Int
            if ScalarText.isDigit(scalar) {
                value = Int(scalar.value) - 48
                remainder = (remainder * 10 + value) % 97
            } else {
                value = Int(String(scalar).uppercased().unicodeScalars.first!.value) - 55
                remainder = (remainder * 100 + value) % 97
            }
        }
        return remainder
    }

    // MARK: UK National Insurance number

    /// `QQ 12 34 56 C` or `QQ123456C`: two prefix letters (not D, F, I, Q, U or V; the second not
    /// O; not BG, GB, NK, KN, TN, NT or ZZ), six digits, a suffix A–D.
    static func insuranceNumberEnd(_ text: ScalarText, at index: Int, limit: Int) -> Int? {
        // Cheap shape check first: two letters, then a digit (after a space or not).
        guard text.isASCIILetter(index + 1), text.isDigit(index + 2) || (text.isSpace(index + 2) && text.isDigit(index + 3))
        else { return nil }
        guard let first = text[index].map({ Character($0).uppercased() }),
            let second = text[index + 1].map({ Character($0).uppercased() }),
            text.isASCIILetter(index + 1)
        else { return nil }
        let excluded: Set<String> = ["D", "F", "I", "Q", "U", "V"]
        guard !excluded.contains(first), !excluded.contains(second), second != "O",
            !["BG", "GB", "NK", "KN", "TN", "NT", "ZZ"].contains(first + second)
        else { return nil }
        var at = index + 2
        var digits = 0
        while at < limit, digits < 6 {
            if text.isDigit(at) {
                digits += 1
                at += 1
            } else if text.isSpace(at), text.isDigit(at + 1), digits % 2 == 0 {
                at += 1
            } else {
                return nil
            }
        }
        guard digits == 6 else { return nil }
        if text.isSpace(at), !text.isDigit(at + 1) { at += 1 }
        guard at < limit, let suffix = text[at], "ABCDabcd".unicodeScalars.contains(suffix), !text.isWordScalar(at + 1) else {
            return nil
        }
        return at + 1
    }
}
