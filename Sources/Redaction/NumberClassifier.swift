/// Decides which stretches of a `NumberCandidate`'s groups are cards, phone numbers or national
/// identity numbers: from each group, the longest stretch that one of the checks accepts, so a
/// card followed by its expiry masks the card and leaves the expiry.
enum NumberClassifier {
    static func findings(in candidate: NumberCandidate, text: ScalarText) -> [Span] {
        var spans: [Span] = []
        let groups = candidate.groups
        var first = 0
        while first < groups.count {
            guard !groups[first].glued else { break }
            // Nothing starts inside a date (`01.03.2025-31.03.2025`).
            if first + 2 < groups.count, !(first == 0 && candidate.plus),
                Stretch.isDate(Array(groups[first...min(first + 3, groups.count - 1)]))
            {
                first += 3
                continue
            }
            var last = first
            while last + 1 < groups.count, !groups[last + 1].glued { last += 1 }
            var matched = false
            // The words before depend only on where the stretch starts: read them once.
            var context: NumberContext?
            var digitCount = groups[first...last].reduce(0) { $0 + $1.digits.count }
            for end in stride(from: last, through: first, by: -1) {
                defer { digitCount -= groups[end].digits.count }
                // No kind is longer than 19 digits (`00` and a 15-digit international number).
                guard digitCount <= 19 else { continue }
                let stretch = Stretch(
                    groups: Array(groups[first...end]), international: first == 0 && candidate.plus,
                    afterHash: first == 0 && candidate.afterHash,
                    joinedToMore: Stretch.isJoined(groups, at: first) || Stretch.isJoined(groups, at: end + 1), text: text,
                    context: context)
                context = stretch.context
                if let kind = stretch.kind {
                    spans.append(Span(kind: kind, range: stretch.range))
                    first = end + 1
                    matched = true
                    break
                }
            }
            if !matched { first += 1 }
        }
        return spans
    }
}

/// Consecutive groups of a candidate read as one number.
struct Stretch {
    let groups: [NumberCandidate.Group]
    let international: Bool
    let afterHash: Bool
    /// A group tied to this stretch by a bare `-`, `.` or `/` comes before or after it: the
    /// stretch is part of a longer identifier (`392-5608738-5328283`).
    let joinedToMore: Bool
    let digits: [UInt8]
    let sizes: [Int]
    let separators: [String]
    let range: Range<Int>
    let context: NumberContext

    /// - Parameter context: the words before the stretch, when already read for a stretch with
    ///   the same start.
    init(
        groups: [NumberCandidate.Group], international: Bool, afterHash: Bool, joinedToMore: Bool, text: ScalarText,
        context: NumberContext? = nil
    ) {
        self.groups = groups
        self.international = international
        self.afterHash = afterHash
        self.joinedToMore = joinedToMore
        digits = groups.flatMap(\.digits)
        sizes = groups.map(\.digits.count)
        separators = groups.dropFirst().map { $0.separator ?? "" }
        var start = groups[0].range.lowerBound - (groups[0].parenthesised ? 1 : 0)
        if international {
            start -= 1
            if text.is(start, "(") { start -= 1 }
        }
        let end = groups[groups.count - 1].range.upperBound + (groups[groups.count - 1].parenthesised ? 1 : 0)
        range = start..<end
        self.context = context ?? NumberContext(text.wordsBefore(start, limit: 6))
    }

    var kind: PersonalDataKind? {
        if isCard { return .card }
        if isNationalID { return .nationalID }
        if isPhone { return .phone }
        return nil
    }

    // MARK: Cards

    var isCard: Bool {
        guard !international, context != .identifier, (12...19).contains(digits.count),
            separators.allSatisfy({ $0 == "" || $0 == "-" || $0 == "." }), !groups.contains(where: \.parenthesised),
            hasCardGrouping, CardNumber.isValid(digits)
        else { return false }
        return true
    }

    private var hasCardGrouping: Bool {
        if sizes.count == 1 { return true }
        if sizes == [4, 6, 5] || sizes == [4, 6, 4] { return true }
        if sizes.dropLast().allSatisfy({ $0 == 4 }) && (1...4).contains(sizes[sizes.count - 1]) { return true }
        return sizes.count <= 5 && sizes.allSatisfy { $0 >= 4 }  // 4480 9435 4737 5342 243, 44809435 47375342243
    }

    // MARK: National identity numbers

    var isNationalID: Bool {
        guard !international, !afterHash || context == .nationalID, context != .identifier, !joinedToMore,
            !groups.contains(where: \.parenthesised)
        else { return false }
        let written = (sizes == [3, 2, 4] && Set(separators).count == 1 && (separators[0] == "-" || separators[0] == ""))
        let bare = sizes == [9] && context == .nationalID
        return (written || bare) && SocialSecurityNumber.isValid(digits)
    }

    // MARK: Phones

    var isPhone: Bool {
        if international { return PhoneNumberingPlan.isInternational(Array(digits)) && digits.count >= 7 }
        guard !afterHash, context != .identifier, !joinedToMore, !looksLikeDateIPOrPostcode else { return false }
        if digits.starts(with: [0, 0]) {
            return digits.count >= 10 && PhoneNumberingPlan.isInternational(Array(digits.dropFirst(2)))
        }
        let n = digits.count
        if context == .phone, (7...13).contains(n) { return true }
        if PhoneNumberingPlan.isNorthAmerican(digits) { return hasNorthAmericanGrouping }
        // An area code in brackets: (020) 7946 0958, (02) 9876 5432, (11) 91321-8814.
        if groups[0].parenthesised, sizes.count >= 2, (8...12).contains(n) { return true }
        // Australian 1300 and 1800 numbers: 1800 783 763.
        if n == 10, digits.starts(with: [1, 3, 0, 0]) || digits.starts(with: [1, 8, 0, 0]) { return true }
        if digits[0] == 0 { return (sizes.count == 1 ? 10...12 : 9...12).contains(n) }
        guard sizes.count >= 2, sizes.allSatisfy({ $0 >= 2 }) || sizes[0] == 1 else { return false }
        switch n {
        case 9: return (6...9).contains(digits[0]) && [[3, 3, 3], [3, 2, 2, 2], [2, 3, 2, 2]].contains(sizes)  // 612 34 56 78
        case 10: return (3...9).contains(digits[0])  // Italian and Indian mobiles, 347 123 4567
        case 11: return digits[0] == 1 && (3...9).contains(digits[1])  // Chinese mobiles, 138 0013 8000
        default: return false
        }
    }

    private var hasNorthAmericanGrouping: Bool {
        let plain = sizes.first == 1 ? Array(sizes.dropFirst()) : sizes
        return [[10], [3, 3, 4], [3, 7], [6, 4], [3, 3, 2, 2]].contains(plain)
    }

    /// Whether `groups[index]` is tied to the group before it by a bare `-`, `.` or `/`.
    static func isJoined(_ groups: [NumberCandidate.Group], at index: Int) -> Bool {
        guard index > 0, index < groups.count, let separator = groups[index].separator else { return false }
        return !groups[index].spaced && ["-", ".", "/"].contains(separator)
    }

    /// Three groups written as a date: `2025-03-01`, `01/03/2025`, `3.1.25`, not followed by a
    /// fourth group in the same style (`06.12.34.56.78` is a French phone number).
    static func isDate(_ groups: [NumberCandidate.Group]) -> Bool {
        guard groups.count >= 3, let separator = groups[1].separator, groups[2].separator == separator,
            ["-", ".", "/"].contains(separator), groups.count == 3 || groups[3].separator != separator
        else { return false }
        let (a, b, c) = (groups[0].digits.count, groups[1].digits.count, groups[2].digits.count)
        if (1...2).contains(a), (1...2).contains(b), c == 2 || c == 4 { return true }
        return a == 4 && (1...2).contains(b) && (1...2).contains(c)
    }

    /// `2025-03-01`, `01/03/2025`, `3.1.2025`, `192.168.1.10`, `90210-1234`, `12.50`.
    private var looksLikeDateIPOrPostcode: Bool {
        if Self.isDate(groups) { return true }
        if sizes.count == 4, separators.allSatisfy({ $0 == "." }), sizes.allSatisfy({ $0 <= 3 }) { return true }
        if sizes == [5, 4], separators == ["-"] { return true }
        if sizes.count == 2, separators == ["/"], sizes[0] <= 2, sizes[1] == 2 || sizes[1] == 4 { return true }  // 03/2025
        if sizes.count == 2, separators == ["."], sizes[1] <= 3 { return true }  // 12.50, 1.299
        return false
    }
}
