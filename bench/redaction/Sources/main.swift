// bench-redaction: runs SupportBot's `Redactor` over a labelled corpus split (JSON Lines,
// `{"id": …, "text": "… {{kind:value}} …"}`, Tests/RedactionTests/Corpus/README.md): strips the
// markup into the plain message, redacts it and writes `{"id": …, "redacted": …}` per line to
// stdout, for bench/redaction/score.py to score from the text alone. With `--time` it then
// redacts all the split's messages over and over for `--seconds` (default 2) and writes one JSON
// line with the throughput (MB/s of input text, UTF-8, 1 MB = 10^6 bytes, per second of wall time
// and per second of the thread's CPU time) to stderr.
// Run via bench/redaction/run.
//
//   bench-redaction [--time] [--seconds S] CORPUS.jsonl

import Foundation
import Redaction

let usage = "usage: bench-redaction [--time] [--seconds S] CORPUS.jsonl"

/// One line of the corpus as stored.
struct CorpusLine: Decodable {
    var id: String
    var text: String
}

/// One line of output.
struct RedactedLine: Encodable {
    var id: String
    var redacted: String
}

/// A message of the corpus with its markup stripped.
struct Message {
    var id: String
    var text: String
}

/// The throughput line written with `--time`.
struct Throughput: Encodable {
    var system: String
    var messages: Int
    var inputBytes: Int
    var passes: Int
    var seconds: Double
    var megabytesPerSecond: Double
    /// The same over the thread's CPU time, which a busy machine inflates far less.
    var cpuSeconds: Double
    var megabytesPerCPUSecond: Double
    /// Total UTF-8 length of every output, so that no redaction can be optimised away.
    var outputBytes: Int
}

struct Options {
    var corpus = ""
    var time = false
    var seconds = 2.0

    init(arguments: [String]) throws(BenchError) {
        var iterator = arguments.makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--time": time = true
            case "--seconds":
                guard let value = iterator.next().flatMap(Double.init), value > 0 else {
                    throw BenchError("--seconds expects a positive number")
                }
                seconds = value
            case "-h", "--help": throw BenchError("")
            default:
                guard corpus.isEmpty, !argument.hasPrefix("-") else { throw BenchError("unexpected argument \(argument)") }
                corpus = argument
            }
        }
        guard !corpus.isEmpty else { throw BenchError("missing CORPUS.jsonl") }
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

func writeError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

/// CPU time of the calling thread.
func threadCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

/// The corpus's messages with their markup stripped, in file order.
func readCorpus(_ path: String) throws -> [Message] {
    let contents = try String(contentsOfFile: path, encoding: .utf8)
    let decoder = JSONDecoder()
    var messages: [Message] = []
    for line in contents.split(whereSeparator: \.isNewline) where !line.allSatisfy(\.isWhitespace) {
        let stored = try decoder.decode(CorpusLine.self, from: Data(line.utf8))
        let parsed = try RedactionEvaluation.parseCase(id: stored.id, marked: stored.text)
        messages.append(Message(id: stored.id, text: parsed.text))
    }
    return messages
}

func run() -> Int32 {
    let options: Options
    do throws(BenchError) {
        options = try Options(arguments: Array(CommandLine.arguments.dropFirst()))
    } catch {
        writeError(error.description.isEmpty ? usage : "bench-redaction: \(error.description)\n\(usage)")
        return error.description.isEmpty ? 0 : 2
    }
    let messages: [Message]
    do {
        messages = try readCorpus(options.corpus)
    } catch {
        writeError("bench-redaction: cannot read \(options.corpus): \(error)")
        return 1
    }

    let redactor = Redactor()
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    var output = Data()
    do {
        for message in messages {
            output.append(try encoder.encode(RedactedLine(id: message.id, redacted: redactor.redact(message.text))))
            output.append(UInt8(ascii: "\n"))
        }
    } catch {
        writeError("bench-redaction: \(error)")
        return 1
    }
    FileHandle.standardOutput.write(output)

    guard options.time else { return 0 }
    let texts = messages.map(\.text)
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
    } while elapsed < .milliseconds(Int64(options.seconds * 1000))
    let cpuSeconds = threadCPUSeconds() - cpuStart
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    let megabytes = Double(inputBytes * passes) / 1e6
    let throughput = Throughput(
        system: "supportbot", messages: texts.count, inputBytes: inputBytes, passes: passes, seconds: seconds,
        megabytesPerSecond: megabytes / seconds, cpuSeconds: cpuSeconds, megabytesPerCPUSecond: megabytes / cpuSeconds,
        outputBytes: outputBytes)
    do {
        writeError(String(decoding: try encoder.encode(throughput), as: UTF8.self))
    } catch {
        writeError("bench-redaction: \(error)")
        return 1
    }
    return 0
}

exit(run())
