import SupportCore

/// A FAQ answer cut into the units the composer selects from: single prose sentences, and
/// structured blocks (a list with the sentence that introduces it, a table, a code block, a
/// heading) that only make sense whole. Units keep their order and remember their block, so a
/// selection can be put back together with the answer's own paragraph breaks.
struct AnswerUnits: Sendable {
    struct Unit: Sendable {
        var text: String
        /// Index of the Markdown block the unit comes from.
        var block: Int
        /// Whether the unit is a whole structured block (list, table, code) rather than a sentence.
        var isStructured: Bool
    }

    let units: [Unit]

    init(_ answer: String) {
        var units: [Unit] = []
        for (blockIndex, block) in Self.blocks(of: answer).enumerated() {
            switch block {
            case .prose(let text):
                units += SentenceSplitter.split(text).map { Unit(text: $0, block: blockIndex, isStructured: false) }
            case .structured(let text):
                // A list introduced by "…:" keeps its lead-in sentence.
                if let last = units.last, !last.isStructured, last.text.hasSuffix(":"), last.block == blockIndex - 1 {
                    units[units.count - 1] = Unit(text: last.text + "\n" + text, block: blockIndex, isStructured: true)
                } else {
                    units.append(Unit(text: text, block: blockIndex, isStructured: true))
                }
            }
        }
        self.units = units
    }

    /// The chosen units (indices in any order) in their original order: sentences of one
    /// paragraph joined by a space, blocks separated by a blank line.
    func join(_ chosen: [Int]) -> String {
        var text = ""
        var previousBlock: Int?
        for index in chosen.sorted() {
            let unit = units[index]
            if let previousBlock {
                text += previousBlock == unit.block && !unit.isStructured ? " " : "\n\n"
            }
            text += unit.text
            previousBlock = unit.block
        }
        return text
    }

    private enum Block {
        case prose(String)
        case structured(String)
    }

    private enum LineKind: Equatable {
        case blank, listItem, continuation, table, fence, heading, prose
    }

    /// Markdown blocks: paragraphs (soft-wrapped lines joined), lists (items, their indented
    /// continuation lines and blank lines between items), tables, fenced code and headings.
    private static func blocks(of answer: String) -> [Block] {
        var blocks: [Block] = []
        var prose: [String] = []
        var structured: [String] = []
        var inFence = false
        var inList = false

        func flushProse() {
            if !prose.isEmpty { blocks.append(.prose(prose.joined(separator: " "))) }
            prose = []
        }
        func flushStructured() {
            while structured.last?.trimmingWhitespace().isEmpty == true { structured.removeLast() }
            if !structured.isEmpty { blocks.append(.structured(structured.joined(separator: "\n"))) }
            structured = []
            inList = false
        }

        for rawLine in answer.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = rawLine.hasSuffix("\r") ? String(rawLine.dropLast()) : String(rawLine)
            if inFence {
                structured.append(line)
                if kind(of: line) == .fence {
                    inFence = false
                    flushStructured()
                }
                continue
            }
            switch kind(of: line) {
            case .fence:
                flushProse()
                flushStructured()
                structured.append(line)
                inFence = true
            case .blank:
                flushProse()
                if inList { structured.append("") } else { flushStructured() }
            case .listItem:
                flushProse()
                if !inList { flushStructured() }
                inList = true
                structured.append(line)
            case .continuation where inList:
                structured.append(line)
            case .table:
                flushProse()
                if inList { flushStructured() }
                structured.append(line)
            case .heading:
                flushProse()
                flushStructured()
                blocks.append(.structured(line))
            case .continuation, .prose:
                if inList, structured.last?.isEmpty == false {
                    // A lazy continuation of the last list item.
                    structured.append(line)
                } else {
                    flushStructured()
                    prose.append(line.trimmingWhitespace())
                }
            }
        }
        flushProse()
        flushStructured()
        return blocks
    }

    private static func kind(of line: String) -> LineKind {
        let trimmed = line.trimmingWhitespace()
        if trimmed.isEmpty { return .blank }
        if trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") { return .fence }
        if line.first?.isWhitespace == true, !isListMarker(trimmed) { return .continuation }
        if isListMarker(trimmed) { return .listItem }
        if trimmed.hasPrefix("|") { return .table }
        if trimmed.hasPrefix("#") { return .heading }
        return .prose
    }

    /// `- `, `* `, `+ `, `1. ` or `1) ` at the start of a (trimmed) line.
    private static func isListMarker(_ line: String) -> Bool {
        if line.hasPrefix("- ") || line.hasPrefix("* ") || line.hasPrefix("+ ") { return true }
        let digits = line.prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count <= 3 else { return false }
        let rest = line.dropFirst(digits.count)
        return rest.hasPrefix(". ") || rest.hasPrefix(") ")
    }
}
