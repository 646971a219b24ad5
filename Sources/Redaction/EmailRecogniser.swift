/// Finds e-mail addresses, internationalised ones included (RFC 6531): found from each `@`
/// outwards, a local part of letters, digits and marks of any script plus `._%+-'!#$&*=?^{|}~`,
/// and a domain of two or more labels (letters, digits, marks, inner hyphens) whose last label
/// is letters only (or an `xn--` A-label) and not a file extension (`invoice@2x.png`).
enum EmailRecogniser {
    static func findings(in text: ScalarText) -> [Span] {
        var spans: [Span] = []
        var index = 0
        while index < text.count {
            defer { index += 1 }
            guard text.is(index, "@"), index > 0, let start = localPartStart(text, at: index),
                let end = domainEnd(text, after: index)
            else { continue }
            if let last = spans.last, last.range.upperBound > start { continue }
            spans.append(Span(kind: .email, range: start..<end))
            index = end - 1
        }
        return spans
    }

    private static func isLocalPart(_ scalar: Unicode.Scalar) -> Bool {
        if ScalarText.isWordScalar(scalar) { return true }
        return "._%+-'!#$&*=?^{|}~".unicodeScalars.contains(scalar)
    }

    private static func isDomainScalar(_ scalar: Unicode.Scalar) -> Bool {
        ScalarText.isWordScalar(scalar) || scalar == "-"
    }

    /// Label separators: the full stop and the ideographic and fullwidth ones (IDNA).
    private static func isLabelDot(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "." || scalar == "\u{3002}" || scalar == "\u{FF0E}" || scalar == "\u{FF61}"
    }

    private static func localPartStart(_ text: ScalarText, at: Int) -> Int? {
        var start = at
        while start > 0, let scalar = text[start - 1], isLocalPart(scalar), at - start < 64 { start -= 1 }
        // Punctuation that opens a quotation or a list is not part of the address.
        while start < at, let scalar = text[start], !ScalarText.isWordScalar(scalar) { start += 1 }
        guard start < at, text[at - 1].map({ $0 != "." }) ?? false else { return nil }
        return start
    }

    private static func domainEnd(_ text: ScalarText, after at: Int) -> Int? {
        var labels: [Range<Int>] = []
        var labelStart = at + 1
        var index = at + 1
        while index <= text.count {
            let scalar = text[index]
            if let scalar, isDomainScalar(scalar) {
                index += 1
                continue
            }
            if index > labelStart { labels.append(labelStart..<index) }
            guard let scalar, isLabelDot(scalar), index > labelStart, let next = text[index + 1], isDomainScalar(next) else {
                break
            }
            index += 1
            labelStart = index
        }
        // Trailing hyphens belong to the sentence, not the domain.
        while let last = labels.last, text.is(last.upperBound - 1, "-") {
            let trimmed = last.lowerBound..<(last.upperBound - 1)
            labels.removeLast()
            if !trimmed.isEmpty { labels.append(trimmed) }
        }
        guard labels.count >= 2, labels.allSatisfy({ !text.is($0.lowerBound, "-") }), let tld = labels.last else { return nil }
        // `icon@2x.png`, `hero@3x.avif`: image density suffixes, not domains.
        let first = text.string(labels[0]).lowercased()
        if (2...3).contains(first.count), first.hasSuffix("x"), first.dropLast().allSatisfy(\.isNumber) { return nil }
        let name = text.string(tld).lowercased()
        let isLetters = name.unicodeScalars.allSatisfy {
            ScalarText.isLetter($0) || $0.properties.generalCategory == .nonspacingMark
        }
        guard (isLetters && name.unicodeScalars.count >= 2 && !fileExtensions.contains(name)) || name.hasPrefix("xn--") else {
            return nil
        }
        return tld.upperBound
    }

    /// Endings that make `name@2x.png` a file name rather than an address.
    static let fileExtensions: Set<String> = [
        "png", "jpg", "jpeg", "gif", "svg", "webp", "heic", "bmp", "tif", "tiff", "ico", "pdf", "txt", "csv", "doc", "docx",
        "xls", "xlsx", "ppt", "pptx", "odt", "rtf", "json", "xml", "html", "htm", "js", "css", "log", "mp3", "mp4", "wav",
        "avi", "mkv", "avif", "heif", "jxl", "gz", "tgz", "rar", "7z", "exe", "dmg", "pkg", "apk", "swift", "py", "md", "yaml",
        "yml",
    ]
}
