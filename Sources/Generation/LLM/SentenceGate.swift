/// Lets an LLM's streamed answer through to the customer only in checked pieces, so that text
/// the answer check would reject is never shown (issue 17, finding 10).
///
/// The raw stream is cut into units: a sentence (up to `.`, `!`, `?` or a line break) with the
/// citations that follow it (`… today. [1]`). A unit is released once the next one has begun
/// (so its citations are known) and only if:
/// - it cites no source beyond those given (`[4]` of three sources), and
/// - it does not echo the prompt (the block tags, or eight words in a row of the instructions).
///
/// Nothing is released until a unit with a valid citation has passed: an answer that never cites
/// a source is never shown. The first unit that fails stops the gate; what was released before
/// it is the answer (it is grounded and the customer has read it), and nothing after it is.
struct SentenceGate {
    let sourceCount: Int
    private var pending = ""
    private var held: [String] = []
    private(set) var released = ""
    private(set) var stopped: LLMFailure?
    private var cited = false

    init(sourceCount: Int) {
        self.sourceCount = sourceCount
    }

    /// Takes a piece of the raw stream; returns the text it lets through now (possibly empty).
    mutating func take(_ piece: String) -> String {
        guard stopped == nil else { return "" }
        pending += piece
        var out = ""
        while let end = Self.completeUnitEnd(in: pending) {
            let unit = String(pending[..<end])
            pending = String(pending[end...])
            out += admit(unit)
            if stopped != nil { break }
        }
        return out
    }

    /// The stream ended; `complete` says whether it ended normally (not cut off by the token
    /// limit or an error), in which case the last unit is checked and may be let through too.
    /// Returns that last piece of text.
    mutating func finish(complete: Bool) -> String {
        guard stopped == nil, complete, !pending.allSatisfy(\.isWhitespace) else { return "" }
        let unit = pending
        pending = ""
        return admit(unit)
    }

    /// Whether what was let through is an answer: at least one valid citation.
    var hasAnswer: Bool { cited && !released.allSatisfy(\.isWhitespace) }

    /// What the gate makes of a whole raw answer at once: the text it would show, whether
    /// that is an answer, and why it stopped (for tests against a real model's raw output).
    static func verdict(raw: String, finishReason: String?, sourceCount: Int) -> (shown: String, grounded: Bool, stop: LLMFailure?)
    {
        var gate = SentenceGate(sourceCount: sourceCount)
        _ = gate.take(raw)
        _ = gate.finish(complete: finishReason != "length")
        return (gate.released, gate.hasAnswer, gate.stopped)
    }

    private mutating func admit(_ unit: String) -> String {
        if let failure = check(unit) {
            stopped = failure
            return ""
        }
        if !CitationValidator.citations(in: unit).isEmpty { cited = true }
        held.append(unit)
        guard cited else { return "" }
        let out = held.joined()
        held = []
        released += out
        return out
    }

    private func check(_ unit: String) -> LLMFailure? {
        if let bad = CitationValidator.citations(in: unit).first(where: { $0 < 1 || $0 > sourceCount }) {
            return LLMFailure(.invalidCitation, "the answer cites [\(bad)] but \(sourceCount) sources were given")
        }
        if Self.echoesPrompt(unit) {
            return LLMFailure(.promptEcho, "the answer repeats the prompt")
        }
        return nil
    }

    /// The block tags of `PromptBuilder`, or eight words in a row of its instructions.
    static func echoesPrompt(_ unit: String) -> Bool {
        let lowered = unit.lowercased()
        for tag in ["<sources", "</sources", "<source ", "</source", "<question", "</question"] where lowered.contains(tag) {
            return true
        }
        let words = Self.words(lowered)
        guard words.count >= shingle else { return false }
        for start in 0...(words.count - shingle)
        where instructionShingles.contains(words[start..<(start + shingle)].joined(separator: " ")) {
            return true
        }
        return false
    }

    private static let shingle = 8

    private static func words(_ text: String) -> [String] {
        text.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
    }

    private static let instructionShingles: Set<String> = {
        let instructions = words(
            (PromptBuilder.systemInstructions + " Answer the question from the sources, citing them like 1.").lowercased())
        var shingles = Set<String>()
        for start in 0...(instructions.count - shingle) {
            shingles.insert(instructions[start..<(start + shingle)].joined(separator: " "))
        }
        return shingles
    }()

    /// Where the first complete unit of `text` ends: after a sentence end and the citations and
    /// spaces after it, once something else has begun; nil while the unit may still grow.
    static func completeUnitEnd(in text: String) -> String.Index? {
        var index = text.startIndex
        while index < text.endIndex {
            let character = text[index]
            index = text.index(after: index)
            guard character == "." || character == "!" || character == "?" || character == "\n" else { continue }
            // Citations and spaces after the sentence end belong to it.
            var end = index
            while end < text.endIndex {
                if text[end].isWhitespace {
                    end = text.index(after: end)
                } else if text[end] == "[", let close = text[end...].firstIndex(of: "]"),
                    text[text.index(after: end)..<close].allSatisfy({ $0.isNumber || $0 == "," || $0 == " " })
                {
                    end = text.index(after: close)
                } else {
                    break
                }
            }
            // Complete once the next unit has visibly begun (not a citation still arriving).
            if end < text.endIndex, text[end] != "[" { return end }
            if end == text.endIndex { return nil }
            index = end
        }
        return nil
    }
}
