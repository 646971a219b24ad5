/// Payment card numbers: an issuer prefix with one of its lengths, and the Luhn check digit.
enum CardNumber {
    static func isValid(_ digits: [UInt8]) -> Bool {
        hasIssuerPrefix(digits) && passesLuhn(digits)
    }

    static func passesLuhn(_ digits: [UInt8]) -> Bool {
        var sum = 0
        for (offset, digit) in digits.reversed().enumerated() {
            var value = Int(digit)
            if offset % 2 == 1 {
                value *= 2
                if value > 9 { value -= 9 }
            }
            sum += value
        }
        return sum % 10 == 0
    }

    /// Issuer identification numbers and lengths of the card schemes in use (ISO/IEC 7812).
    static func hasIssuerPrefix(_ digits: [UInt8]) -> Bool {
        let n = digits.count
        func prefix(_ count: Int) -> Int { digits.prefix(count).reduce(0) { $0 * 10 + Int($1) } }
        switch digits.first {
        case 4: return n == 13 || n == 16 || n == 19  // Visa
        case 5:
            if (51...55).contains(prefix(2)) { return n == 16 }  // Mastercard
            return [50, 56, 57, 58].contains(prefix(2)) && (12...19).contains(n)  // Maestro
        case 2:
            if (2221...2720).contains(prefix(4)) { return n == 16 }  // Mastercard 2-series
            return (2200...2204).contains(prefix(4)) && (16...19).contains(n)  // Mir
        case 3:
            if [34, 37].contains(prefix(2)) { return n == 15 }  // American Express
            if (3528...3589).contains(prefix(4)) { return (16...19).contains(n) }  // JCB
            if [36, 38, 39].contains(prefix(2)) || (300...305).contains(prefix(3)) || prefix(4) == 3095 {
                return (14...19).contains(n)  // Diners Club
            }
            return false
        case 6:
            if prefix(4) == 6011 || (644...649).contains(prefix(3)) || prefix(2) == 65 { return (16...19).contains(n) }  // Discover
            if prefix(2) == 62 { return (16...19).contains(n) }  // UnionPay
            if prefix(2) == 60 { return n == 16 }  // RuPay
            return [63, 67].contains(prefix(2)) && (12...19).contains(n)  // Maestro
        case 8: return [81, 82].contains(prefix(2)) && n == 16  // RuPay
        default: return false
        }
    }
}

/// US Social Security numbers: area not 000, 666 or 900–999; group not 00; serial not 0000.
enum SocialSecurityNumber {
    static func isValid(_ digits: [UInt8]) -> Bool {
        guard digits.count == 9 else { return false }
        let area = digits[0..<3].reduce(0) { $0 * 10 + Int($1) }
        let group = digits[3..<5].reduce(0) { $0 * 10 + Int($1) }
        let serial = digits[5..<9].reduce(0) { $0 * 10 + Int($1) }
        return area != 0 && area != 666 && area < 900 && group != 0 && serial != 0
    }
}
