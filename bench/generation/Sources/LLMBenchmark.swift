import Foundation
import Generation
import Logging
import Retrieval

/// Time to first delta and total time of LLMGenerator against an OpenAI-compatible server,
/// against curl sending the identical request to the same server in the same run. Each
/// question is first sent once unmeasured (so the server's prompt-prefix cache treats both
/// clients alike), then measured alternately curl / generator / generator / curl.
struct LLMBenchmark {
    let corpus: BenchCorpus
    let url: String
    let questions: Int
    let curl: String
    let maxTokens: Int

    struct Sample {
        var firstDelta: Double
        var total: Double
    }

    func run() async {
        var configuration = LLMConfiguration(url: url, timeout: .seconds(120))
        configuration.temperature = 0
        configuration.maxTokens = maxTokens
        configuration.useSystemRole = !CommandLine.arguments.contains("--no-system-role")
        let endpoint: String
        do {
            endpoint = try configuration.endpoint()
        } catch {
            fail("\(error)")
        }
        let generator = LLMGenerator(configuration: configuration, logger: Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() }))
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("bench-generation-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }

        var ours: [Sample] = []
        var theirs: [Sample] = []
        var pairedFirst: [Double] = []
        var pairedTotal: [Double] = []
        var sameText = 0
        var compared = 0
        for query in corpus.queries.prefix(questions) {
            let hits = corpus.index.search(query.text, limit: configuration.maxSources).hits
            let body = work.appendingPathComponent("body.json")
            try? RequestBody(question: query.text, corpus: corpus, configuration: configuration).json().write(to: body)
            _ = await measureGenerator(generator, question: query.text, hits: hits)
            var mine: [Sample] = []
            var peer: [Sample] = []
            var texts: (ours: String?, curl: String?) = (nil, nil)
            // ABBA BAAB: drift in the server's speed hits both clients alike.
            for useCurl in [true, false, false, true, false, true, true, false] {
                if useCurl {
                    if let (sample, text) = measureCurl(endpoint: endpoint, body: body, work: work) {
                        peer.append(sample)
                        texts.curl = text
                    }
                } else {
                    let (sample, text) = await measureGenerator(generator, question: query.text, hits: hits)
                    if let sample {
                        mine.append(sample)
                        texts.ours = text
                    }
                }
            }
            ours += mine
            theirs += peer
            if !mine.isEmpty, !peer.isEmpty {
                pairedFirst.append(mean(mine.map(\.firstDelta)) - mean(peer.map(\.firstDelta)))
                pairedTotal.append(mean(mine.map(\.total)) - mean(peer.map(\.total)))
            }
            if let ourText = texts.ours, let curlText = texts.curl {
                compared += 1
                if ourText == curlText { sameText += 1 }
            }
        }
        await generator.shutdown()
        report(
            ours: ours, theirs: theirs, paired: (pairedFirst, pairedTotal), sameText: sameText, compared: compared,
            configuration: configuration)
    }

    private func measureGenerator(_ generator: LLMGenerator, question: String, hits: [FAQHit]) async -> (Sample?, String) {
        let clock = ContinuousClock()
        let start = clock.now
        let first = FirstDelta()
        do {
            let completion = try await generator.complete(question: question, sources: hits) { _ in first.mark(clock.now) }
            let total = clock.now - start
            guard let firstAt = first.instant else { return (nil, completion.text) }
            return (Sample(firstDelta: millis(firstAt - start), total: millis(total)), completion.text)
        } catch {
            FileHandle.standardError.write(Data("generator failed: \(error)\n".utf8))
            return (nil, "")
        }
    }

    /// curl with its own microsecond trace timestamps: start of the transfer, the first event
    /// carrying answer text, the last bytes received.
    private func measureCurl(endpoint: String, body: URL, work: URL) -> (sample: Sample, text: String)? {
        let trace = work.appendingPathComponent("trace.txt")
        let output = work.appendingPathComponent("out.txt")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: curl)
        process.arguments = [
            "-sN", "--trace-time", "--trace-ascii", trace.path, "-o", output.path,
            "-H", "Content-Type: application/json", "-H", "Accept: text/event-stream",
            "--data-binary", "@\(body.path)", endpoint,
        ]
        do {
            try process.run()
        } catch {
            fail("cannot run \(curl): \(error)")
        }
        process.waitUntilExit()
        guard process.terminationStatus == 0, let traceText = try? String(contentsOf: trace, encoding: .utf8),
              let bodyText = try? String(contentsOf: output, encoding: .utf8)
        else { return nil }
        return CurlTrace(traceText).sample.map { ($0, CurlTrace.answer(in: bodyText)) }
    }

    private func report(
        ours: [Sample], theirs: [Sample], paired: (first: [Double], total: [Double]), sameText: Int, compared: Int,
        configuration: LLMConfiguration
    ) {
        let ourFirst = percentile(ours.map(\.firstDelta), 0.5)
        let theirFirst = percentile(theirs.map(\.firstDelta), 0.5)
        let ourTotal = percentile(ours.map(\.total), 0.5)
        let theirTotal = percentile(theirs.map(\.total), 0.5)
        print("## LLMGenerator vs curl against \(url) (\(min(questions, corpus.queries.count)) questions, max_tokens \(configuration.maxTokens), temperature 0)")
        print()
        print("| client | runs | first delta p50 ms | first delta p90 ms | total p50 ms | total p90 ms |")
        print("| --- | --- | --- | --- | --- | --- |")
        print("| LLMGenerator.complete (async-http-client) | \(ours.count) | \(format(ourFirst)) | \(format(percentile(ours.map(\.firstDelta), 0.9))) | \(format(ourTotal)) | \(format(percentile(ours.map(\.total), 0.9))) |")
        print("| peer: curl -N, same request | \(theirs.count) | \(format(theirFirst)) | \(format(percentile(theirs.map(\.firstDelta), 0.9))) | \(format(theirTotal)) | \(format(percentile(theirs.map(\.total), 0.9))) |")
        print()
        let firstOverhead = percentile(paired.first, 0.5)
        let totalOverhead = percentile(paired.total, 0.5)
        print("ratios of p50 (generator / curl): first delta \(format(ourFirst / theirFirst, 3)), total \(format(ourTotal / theirTotal, 3))")
        print("overhead, median over questions of (generator mean − curl mean): first delta \(format(firstOverhead, 2)) ms, total \(format(totalOverhead, 2)) ms; target ≤ 5 ms: \(max(firstOverhead, totalOverhead) <= 5 ? "met" : "MISSED")")
        print("identical answer text from both clients: \(sameText) of \(compared)")
    }
}

/// The first delta's arrival, set from the delta callback.
final class FirstDelta: @unchecked Sendable {
    private let lock = NSLock()
    private var value: ContinuousClock.Instant?

    var instant: ContinuousClock.Instant? { lock.withLock { value } }

    func mark(_ now: ContinuousClock.Instant) {
        lock.withLock { if value == nil { value = now } }
    }
}

func mean(_ values: [Double]) -> Double {
    values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count)
}

func millis(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1e3 + Double(duration.components.attoseconds) / 1e15
}
