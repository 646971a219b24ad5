// The "before" peer of bench/redaction: the same I/O as bench-redaction (Sources/main.swift)
// around the redactor as it was before issue 17's rewrite, Sources/Store/Export/Redactor.swift
// and NumberRun.swift at commit 0cc9621. bench/redaction/run extracts those two files with
// `git show` into .build-redaction-peer/ and compiles them, unchanged, with this file:
//
//   swiftc -O -wmo -parse-as-library -swift-version 6 Redactor.swift NumberRun.swift peer-main.swift
//
//   redaction-peer [--time] [--seconds S] CORPUS.jsonl
//
// Reads the corpus (JSON Lines, `{"id": …, "text": "… {{kind:value}} …"}`), strips the markup
// into the plain message (its own parser: the old module has no `RedactionEvaluation`), writes
// `{"id": …, "redacted": …}` per line to stdout and, with `--time`, one JSON line with MB/s of
// input text (UTF-8, 1 MB = 10^6 bytes; per second of wall and of thread CPU time) to stderr. The old redactor loops forever on some
// messages (see `neverReturns`): those are written with `"redacted": null` and left out of the
// timing.

import Foundation

@main
struct RedactionPeer {
    static let usage = "usage: redaction-peer [--time] [--seconds S] CORPUS.jsonl"

    static func main() {
        exit(run(arguments: Array(CommandLine.arguments.dropFirst())))
    }

    static func run(arguments: [String]) -> Int32 {
        var corpus = ""
        var time = false
        var seconds = 2.0
        var iterator = arguments.makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--time": time = true
            case "--seconds":
                guard let value = iterator.next().flatMap(Double.init), value > 0 else {
                    return fail("--seconds expects a positive number")
                }
                seconds = value
            case "-h", "--help":
                writeError(usage)
                return 0
            default:
                guard corpus.isEmpty, !argument.hasPrefix("-") else { return fail("unexpected argument \(argument)") }
                corpus = argument
            }
        }
        guard !corpus.isEmpty else { return fail("missing CORPUS.jsonl") }

        let messages: [PeerMessage]
        do {
            messages = try readCorpus(corpus)
        } catch {
            writeError("redaction-peer: cannot read \(corpus): \(error)")
            return 1
        }
        let redactor = Redactor()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var output = Data()
        do {
            for message in messages {
                let redacted = neverReturns(message.text) ? nil : redactor.redact(message.text)
                output.append(try encoder.encode(PeerOutputLine(id: message.id, redacted: redacted)))
                output.append(UInt8(ascii: "\n"))
            }
        } catch {
            writeError("redaction-peer: \(error)")
            return 1
        }
        FileHandle.standardOutput.write(output)

        guard time else { return 0 }
        let texts = messages.map(\.text).filter { !neverReturns($0) }
        let inputBytes = texts.reduce(0) { $0 + $1.utf8.count }
        let clock = ContinuousClock()
        var passes = 0
        var outputBytes = 0
        let start = clock.now
        let cpuStart = threadCPUSeconds()
        var elapsed = Duration.zero
        repeat {
            for text in texts { outputBytes &+= redactor.redact(text).utf8.count }
            passes += 1
            elapsed = clock.now - start
        } while elapsed < .milliseconds(Int64(seconds * 1000))
        let cpuSeconds = threadCPUSeconds() - cpuStart
        let measured = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        let megabytes = Double(inputBytes * passes) / 1e6
        let throughput = PeerThroughput(
            system: "before-0cc9621", messages: texts.count, inputBytes: inputBytes, passes: passes, seconds: measured,
            megabytesPerSecond: megabytes / measured, cpuSeconds: cpuSeconds, megabytesPerCPUSecond: megabytes / cpuSeconds,
            outputBytes: outputBytes)
        do {
            writeError(String(decoding: try encoder.encode(throughput), as: UTF8.self))
        } catch {
            writeError("redaction-peer: \(error)")
            return 1
        }
        return 0
    }

    /// Whether the old `Redactor.redact` would loop forever on `text`, which it does when a `(`
    /// followed by digits is not closed by a `)` right after them (`(9-5)`, `(06/29)`) and does
    /// not follow an ASCII letter, digit, `#` or `_`: `mayStartNumber` accepts the `(`,
    /// `NumberRun.scan` breaks out of its loop before its first group, so the run ends where it
    /// started and `redact` sets its index to the same place again. No e-mail or number run can
    /// swallow such a `(`, so `redact` always reaches it. Such messages are not redacted here;
    /// their line is written with `"redacted": null`.
    static func neverReturns(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        func isDigit(_ byte: UInt8) -> Bool { (48...57).contains(byte) }
        func isAlphanumeric(_ byte: UInt8) -> Bool {
            isDigit(byte) || (65...90).contains(byte) || (97...122).contains(byte)
        }
        for index in bytes.indices where bytes[index] == UInt8(ascii: "(") {
            guard index + 1 < bytes.count, isDigit(bytes[index + 1]) else { continue }
            if index > 0 {
                let previous = bytes[index - 1]
                if isAlphanumeric(previous) || previous == UInt8(ascii: "#") || previous == UInt8(ascii: "_") { continue }
            }
            var close = index + 1
            while close < bytes.count, isDigit(bytes[close]) { close += 1 }
            if close == bytes.count || bytes[close] != UInt8(ascii: ")") { return true }
        }
        return false
    }

    /// CPU time of the calling thread.
    static func threadCPUSeconds() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    static func fail(_ message: String) -> Int32 {
        writeError("redaction-peer: \(message)\n\(usage)")
        return 2
    }

    static func writeError(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    /// The corpus's messages with their markup stripped, in file order.
    static func readCorpus(_ path: String) throws -> [PeerMessage] {
        let contents = try String(contentsOfFile: path, encoding: .utf8)
        let decoder = JSONDecoder()
        var messages: [PeerMessage] = []
        for line in contents.split(whereSeparator: \.isNewline) where !line.allSatisfy(\.isWhitespace) {
            let stored = try decoder.decode(PeerCorpusLine.self, from: Data(line.utf8))
            messages.append(PeerMessage(id: stored.id, text: try stripMarkup(stored.text, id: stored.id)))
        }
        return messages
    }

    /// `marked` with every `{{kind:value}}` replaced by `value` (the corpus README's rule: the
    /// value runs from the first `:` after `{{` to the first `}}`).
    static func stripMarkup(_ marked: String, id: String) throws -> String {
        var text = ""
        var rest = Substring(marked)
        while let open = rest.firstRange(of: "{{") {
            text += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].firstRange(of: "}}"),
                let colon = rest[open.upperBound..<close.lowerBound].firstIndex(of: ":")
            else { throw PeerCorpusError(description: "corpus case \(id): unclosed or kind-less {{…}}") }
            text += rest[rest.index(after: colon)..<close.lowerBound]
            rest = rest[close.upperBound...]
        }
        text += rest
        return text
    }
}

/// One line of the corpus as stored.
struct PeerCorpusLine: Decodable {
    var id: String
    var text: String
}

/// A message of the corpus with its markup stripped.
struct PeerMessage {
    var id: String
    var text: String
}

/// One line of output; `redacted` is null (not left out) for a message the old redactor never
/// returns from.
struct PeerOutputLine: Encodable {
    var id: String
    var redacted: String?

    enum CodingKeys: String, CodingKey {
        case id
        case redacted
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(redacted, forKey: .redacted)
    }
}

/// The throughput line written with `--time`.
struct PeerThroughput: Encodable {
    var system: String
    var messages: Int
    var inputBytes: Int
    var passes: Int
    var seconds: Double
    var megabytesPerSecond: Double
    /// The same over the thread's CPU time, which a busy machine inflates far less.
    var cpuSeconds: Double
    var megabytesPerCPUSecond: Double
    var outputBytes: Int
}

struct PeerCorpusError: Error, CustomStringConvertible {
    var description: String
}
