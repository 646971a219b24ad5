import Foundation
import SupportCore

/// Turns English text into index terms: splits on anything that is not a letter, digit or
/// in-word apostrophe, lower-cases, folds accents and compatibility forms (`Café` → `cafe`,
/// `ﬁ` → `fi`), drops stopwords and stems with Porter2. The same analyzer runs on entries and on
/// queries, so a customer's "shipped" meets the FAQ's "shipping".
public struct EnglishAnalyzer: Sendable {
    /// Words dropped before stemming; compared after folding, before stemming.
    public var stopwords: Set<String>
    let stemmer = EnglishStemmer()

    /// Creates an analyzer; by default with `EnglishStopwords.standard`.
    public init(stopwords: Set<String> = EnglishStopwords.standard) {
        self.stopwords = stopwords
    }

    /// Index terms of `text`, in order, repeats included.
    public func terms(_ text: String) -> [String] {
        var cache: [String: String] = [:]
        return terms(text, stemCache: &cache)
    }

    /// Like `terms(_:)`, remembering stems in `stemCache` (worth it when analyzing many texts).
    func terms(_ text: String, stemCache: inout [String: String]) -> [String] {
        var result: [String] = []
        for token in Self.tokens(text) where !stopwords.contains(token) {
            if let stem = stemCache[token] {
                result.append(stem)
            } else {
                let stem = stemmer.stem(token)
                stemCache[token] = stem
                result.append(stem)
            }
        }
        return result
    }

    /// Folded lower-case words without stemming or stopword removal, joined by single spaces:
    /// the key for exact matches of a question (`"How long does shipping take?"` and
    /// `"how long does shipping take"` share it).
    public static func exactKey(_ text: String) -> String {
        tokens(text).joined(separator: " ")
    }

    /// Folded lower-case words of `text` (`WordSplitter`, apostrophes kept inside words:
    /// `don't`, `customer's`).
    static func tokens(_ text: String) -> [String] {
        WordSplitter.words(text, apostrophes: .keepInside).map { token in
            token.utf8.contains { $0 >= 0x80 } ? fold(token) : token
        }
    }

    /// Lower-cases and removes diacritics and compatibility variants from a token with non-ASCII
    /// letters; letters with no decomposition get their usual ASCII spelling (`ß` → `ss`).
    static func fold(_ token: String) -> String {
        let folded = token.lowercased().decomposedStringWithCompatibilityMapping
        var scalars = String.UnicodeScalarView()
        for scalar in folded.unicodeScalars
        where scalar.properties.isAlphabetic || scalar.properties.numericType != nil || scalar == "'" {
            guard scalar.properties.generalCategory != .nonspacingMark else { continue }
            if let spelled = asciiSpelling[scalar] {
                scalars.append(contentsOf: spelled.unicodeScalars)
            } else {
                scalars.append(scalar)
            }
        }
        return String(scalars)
    }

    static let asciiSpelling: [Unicode.Scalar: String] = [
        "ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "đ": "d", "ł": "l", "þ": "th", "ð": "d", "ı": "i",
        "ħ": "h", "ŋ": "ng",
    ]
}
