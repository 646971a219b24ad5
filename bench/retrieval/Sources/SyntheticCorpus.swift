import Content
import Foundation

/// Deterministic synthetic FAQ entries and queries for scale tests: words drawn with a Zipf-like
/// law from a vocabulary of real English words (the sample FAQs' and intents' words, then the
/// MiniLM vocabulary's), plus a rare "product code" per entry so entries are distinguishable.
/// Questions have 6–12 words, 0–2 alternates and answers of 30–80 words, like the sample domain.
struct SyntheticCorpus {
    struct Query: Codable {
        var query: String
        var relevant: [String]
    }

    let entries: [FAQEntry]
    let queries: [Query]

    /// `entriesPerFile` entries per JSON file (`synthetic/f0001.json`, …).
    init(size: Int, vocabulary: [String], queryCount: Int = 1000, entriesPerFile: Int = 100, seed: UInt64 = 42) {
        var random = SplitMix64(seed: seed)
        func word() -> String {
            // Zipf-like: index = floor(n^u) - 1 for uniform u, favouring the first words.
            let u = Double(random.next() >> 11) / Double(1 << 53)
            let index = min(Int(pow(Double(vocabulary.count), u)) - 1, vocabulary.count - 1)
            return vocabulary[max(index, 0)]
        }
        func sentence(_ range: ClosedRange<Int>) -> [String] {
            (0..<Int(random.next() % UInt64(range.count)) + range.lowerBound).map { _ in word() }
        }
        var entries: [FAQEntry] = []
        entries.reserveCapacity(size)
        for number in 0..<size {
            let file = String(format: "synthetic/f%04d.json", number / entriesPerFile)
            let code = "rx\(String(number, radix: 36))"
            let question = (sentence(5...11) + [code]).joined(separator: " ").capitalizedFirst + "?"
            let alternates = (0..<Int(random.next() % 3)).map { _ in sentence(5...10).joined(separator: " ").capitalizedFirst + "?"
            }
            let answer = sentence(30...80).joined(separator: " ").capitalizedFirst + "."
            entries.append(
                FAQEntry(
                    id: "\(file)#q\(number)", question: question, alternates: alternates, answer: answer, file: file, line: 1))
        }
        var queries: [Query] = []
        for _ in 0..<queryCount {
            let entry = entries[Int(random.next() % UInt64(max(size, 1)))]
            let questionWords = entry.question.dropLast().split(separator: " ").map(String.init)
            let answerWords = entry.answer.split(separator: " ").map(String.init)
            var words = (0..<4).map { _ in questionWords[Int(random.next() % UInt64(questionWords.count))] }
            words += (0..<2).map { _ in answerWords[Int(random.next() % UInt64(answerWords.count))] }
            queries.append(Query(query: "how do I " + words.joined(separator: " ").lowercased(), relevant: [entry.id]))
        }
        self.entries = entries
        self.queries = queries
    }

    /// Real words: the sample FAQ and intent files' words first (most frequent), then the
    /// MiniLM vocabulary's whole words.
    static func vocabulary(repository: URL) -> [String] {
        var counts: [String: Int] = [:]
        for folder in ["faqs", "intents"] {
            let url = repository.appendingPathComponent(folder)
            for name in (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? [] {
                guard let text = try? String(contentsOf: url.appendingPathComponent(name), encoding: .utf8) else { continue }
                for token in text.lowercased().split(whereSeparator: { !$0.isLetter }) where token.count > 2 {
                    counts[String(token), default: 0] += 1
                }
            }
        }
        var words = counts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map(\.key)
        let known = Set(words)
        let vocab = (try? String(contentsOf: repository.appendingPathComponent("models/minilm/vocab.txt"), encoding: .utf8)) ?? ""
        words += vocab.split(separator: "\n").map(String.init).filter {
            $0.count > 2 && $0.allSatisfy { $0.isASCII && $0.isLetter } && !known.contains($0)
        }
        return words
    }

    /// Writes the entries as JSON FAQ files under `folder`.
    func write(to folder: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        for (file, group) in Dictionary(grouping: entries, by: \.file) {
            let url = folder.appendingPathComponent(file)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            let items = group.map { FileItem(question: $0.question, answer: $0.answer, alternates: $0.alternates) }
            try encoder.encode(items).write(to: url)
        }
    }

    struct FileItem: Codable {
        var question: String
        var answer: String
        var alternates: [String]
    }

    /// `synthetic --size N --entries OUT.jsonl --queries OUT.jsonl`: the corpus for the Python peers.
    static func export(arguments: BenchArguments) throws {
        let repository = URL(fileURLWithPath: arguments.string("repository") ?? FileManager.default.currentDirectoryPath)
        let corpus = SyntheticCorpus(
            size: arguments.int("size", default: 10_000), vocabulary: vocabulary(repository: repository),
            queryCount: arguments.int("query-count", default: 1000))
        try QualityBench.export(corpus.entries, to: URL(fileURLWithPath: try arguments.required("entries")))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var data = Data()
        for query in corpus.queries {
            data.append(try encoder.encode(query))
            data.append(0x0A)
        }
        try data.write(to: URL(fileURLWithPath: try arguments.required("queries")))
    }
}

/// A small, fast, seedable generator (Steele, Lea & Flood's SplitMix64).
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension String {
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
