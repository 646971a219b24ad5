// Generation benchmarks (release build; run bench/generation/run).
//
//   bench-generation composer --faqs DIR [--rounds N]
//   bench-generation llm --url URL --faqs DIR [--questions N] [--max-tokens N] [--curl PATH]
//   bench-generation answer --faqs DIR --question TEXT   (the composer's answer, for a look)
//   bench-generation request --faqs DIR --question TEXT [--temperature T] [--max-tokens N]
//       [--stop S] [--no-system-role]
//
// `composer`: per-answer latency of GroundedComposer.compose over every question and alternate
// of the FAQ folder (hits from lexical retrieval), against the lexical search that produced the
// hits as the in-run peer. `llm`: time to first delta and total time of LLMGenerator against an
// OpenAI-compatible server, against curl sending the identical request to the same server in
// the same run (curl's own --trace-time timestamps, so process start-up is not counted).
import Content
import Foundation
import Generation
import Retrieval

let arguments = Array(CommandLine.arguments.dropFirst())

func option(_ name: String) -> String? {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
    return arguments[index + 1]
}

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data((message + "\n").utf8))
    exit(2)
}

guard let mode = arguments.first else {
    fail("usage: bench-generation composer --faqs DIR [--rounds N] | llm --url URL --faqs DIR [--questions N]")
}
guard let faqs = option("--faqs") else { fail("--faqs DIR is required") }
let corpus = try BenchCorpus(directory: URL(fileURLWithPath: faqs))

switch mode {
case "composer":
    ComposerBenchmark(corpus: corpus, rounds: Int(option("--rounds") ?? "") ?? 200).run()
case "llm":
    guard let url = option("--url") else { fail("--url URL is required") }
    let benchmark = LLMBenchmark(
        corpus: corpus, url: url, questions: Int(option("--questions") ?? "") ?? 8,
        curl: option("--curl") ?? "/usr/bin/curl", maxTokens: Int(option("--max-tokens") ?? "") ?? 48)
    await benchmark.run()
case "decode":
    DecodeBenchmark().run()
case "answer":
    guard let question = option("--question") else { fail("--question TEXT is required") }
    let hits = corpus.index.search(question, limit: 3).hits
    let answer = GroundedComposer().compose(question: question, hits: hits)
    if arguments.contains("--hits") {
        for hit in hits { print("hit \(String(format: "%.3f", hit.score)) \(hit.entry.id)") }
    }
    print(answer.text)
    for (number, source) in answer.sources.enumerated() {
        print("[\(number + 1)] \(source.entry.question) (\(source.entry.file))")
    }
case "request":
    guard let question = option("--question") else { fail("--question TEXT is required") }
    var configuration = LLMConfiguration(url: "http://127.0.0.1/v1")
    configuration.temperature = Double(option("--temperature") ?? "") ?? 0
    configuration.maxTokens = Int(option("--max-tokens") ?? "") ?? configuration.maxTokens
    configuration.useSystemRole = !arguments.contains("--no-system-role")
    configuration.stop = option("--stop").map { [$0.replacingOccurrences(of: "\\n", with: "\n")] } ?? []
    FileHandle.standardOutput.write(RequestBody(question: question, corpus: corpus, configuration: configuration).json())
default:
    fail("unknown mode \(mode)")
}
