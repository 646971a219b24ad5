import Application
import Assistant
import Content
import Encoder
import Foundation
import Logging
import Retrieval
import SupportCore

// bench-assistant: in-process latency of the routing pipeline on the sample domain, per route,
// next to the encoder alone on the same messages (the peer every route pays for). Canned
// messages are the examples of canned intents; FAQ messages are the paraphrased queries of
// bench/faq-eval. Every message starts a new conversation, so context never helps.
//
//   bench-assistant --intents DIR --faqs DIR --queries FILE [--encoder DIR] [--rounds N]
//   bench-assistant --canned-texts --intents DIR     (prints canned-route messages, one per line)
//   bench-assistant --batch-throughput FILE [--encoder DIR]   (encoder sentences/s, batches of 64)

struct BenchError: Error, CustomStringConvertible {
    let description: String
}

var arguments = CommandLine.arguments.dropFirst()
var options: [String: String] = [:]
var flags: Set<String> = []
while let argument = arguments.popFirst() {
    if argument == "--canned-texts" { flags.insert(argument); continue }
    options[argument] = arguments.popFirst() ?? ""
}
let intentsPath = options["--intents"] ?? "intents"
var logger = Logger(label: "bench.assistant")
logger.logLevel = .critical

let intents = try AssistantFactory.loadIntents(URL(fileURLWithPath: intentsPath))
let cannedTexts = intents.intents.filter { $0.route == .canned }.flatMap(\.examples)
if flags.contains("--canned-texts") {
    for text in cannedTexts { print(text) }
    exit(0)
}
if let file = options["--batch-throughput"] {
    // The encoder alone, in batches of 64 as `supportbot embed` calls it, without JSON output.
    let lines = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").map(String.init)
    let encoder = try MiniLMEncoder(directory: URL(fileURLWithPath: options["--encoder"] ?? "models/minilm"))
    let start = ContinuousClock.now
    var index = 0
    while index < lines.count {
        _ = encoder.embed(Array(lines[index..<min(index + 64, lines.count)]))
        index += 64
    }
    let elapsed = ContinuousClock.now - start
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    print(String(format: "%.1f", Double(lines.count) / seconds))
    exit(0)
}
guard let faqsPath = options["--faqs"], let queriesPath = options["--queries"] else {
    throw BenchError(description: "usage: bench-assistant --intents DIR --faqs DIR --queries FILE [--encoder DIR] [--rounds N]")
}
let rounds = Int(options["--rounds"] ?? "") ?? 3
let faqTexts: [String] = try String(contentsOfFile: queriesPath, encoding: .utf8).split(separator: "\n").compactMap { line in
    let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
    return object?["query"] as? String
}

// An explicit --encoder must load (a benchmark silently on lexical features would mislead);
// without it the assistant runs on lexical features only.
let encoder: MiniLMEncoder? = try options["--encoder"].map { try MiniLMEncoder(directory: URL(fileURLWithPath: $0)) }
// Built the way `supportbot serve` builds it (AssistantFactory), except that the classifier is
// always trained here, and timed, instead of loaded from a saved model.
let trainingStarted = ContinuousClock.now
let classifier = try AssistantFactory.train(intents: intents, embedder: encoder, seed: 42)
let trainingSeconds = Double((ContinuousClock.now - trainingStarted).components.attoseconds) / 1e18
    + Double((ContinuousClock.now - trainingStarted).components.seconds)
let assistant = try await AssistantFactory.assemble(
    intents: intents, classifier: classifier, faqs: URL(fileURLWithPath: faqsPath), embedder: encoder,
    requireCleanFAQs: true, logger: logger
).assistant
// Peer in the same run: the same assistant without issue 13's last stages (the entry reranker,
// spelling correction, the other-company check), to measure what they add.
var withoutStages = AssistantConfiguration()
withoutStages.correctsSpelling = false
withoutStages.declinesForeignNames = false
var withoutReranker = RetrievalConfiguration()
withoutReranker.reranker = nil
let baseline = try await AssistantFactory.assemble(
    intents: intents, classifier: classifier, faqs: URL(fileURLWithPath: faqsPath), embedder: encoder,
    retrieval: withoutReranker, requireCleanFAQs: true, configuration: withoutStages, logger: logger
).assistant

func micros(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1e6 + Double(duration.components.attoseconds) / 1e12
}

func percentile(_ values: [Double], _ p: Double) -> Double {
    guard !values.isEmpty else { return .nan }
    let sorted = values.sorted()
    return sorted[min(sorted.count - 1, Int((Double(sorted.count - 1) * p).rounded()))]
}

struct Sample {
    var total: Double
    var encoder: Double
    var route: ChatRoute
}

func measure(_ texts: [String], on assistant: Assistant = assistant) async -> [Sample] {
    var samples: [Sample] = []
    for _ in 0..<rounds {
        for text in texts {
            let clock = ContinuousClock()
            var encoding = 0.0
            if let encoder {
                let start = clock.now
                _ = encoder.embed([text])
                encoding = micros(clock.now - start)
            }
            let start = clock.now
            let answer = await assistant.respond(
                to: ChatTurn(conversation: .random(), client: "bench", text: text), onDelta: { _ in })
            samples.append(Sample(total: micros(clock.now - start), encoder: encoding, route: answer.route))
        }
    }
    return samples
}

let canned = await measure(cannedTexts)
let faq = await measure(faqTexts)
let cannedBaseline = await measure(cannedTexts, on: baseline)
let faqBaseline = await measure(faqTexts, on: baseline)

func routeShare(_ samples: [Sample], _ route: ChatRoute) -> String {
    String(format: "%.1f %%", 100 * Double(samples.filter { $0.route == route }.count) / Double(max(samples.count, 1)))
}

func row(_ name: String, _ values: [Double], target: String) {
    print(String(format: "| %@ | %d | %.3f | %.3f | %@ |", name, values.count, percentile(values, 0.5) / 1000, percentile(values, 0.99) / 1000, target))
}

let mode = encoder == nil ? "lexical features only (no encoder)" : "MiniLM encoder + lexical features"
print("Assistant latency in process, \(mode); classifier trained in \(String(format: "%.1f", trainingSeconds)) s; \(rounds) rounds")
print()
print("| measurement | messages | p50 ms | p99 ms | target |")
print("| --- | ---: | ---: | ---: | --- |")
if encoder != nil {
    row("peer: encoder alone, one sentence (canned messages)", canned.map(\.encoder), target: "")
    row("canned route, total", canned.map(\.total), target: "")
    row("canned route, excluding the encoder (total − encoder)", canned.map { max($0.total - $0.encoder, 0) }, target: "≤ 1 ms p50")
    row("peer: encoder alone, one sentence (FAQ messages)", faq.map(\.encoder), target: "")
    row("FAQ messages, total", faq.map(\.total), target: "≤ 6 ms p50")
} else {
    row("canned route, total", canned.map(\.total), target: "≤ 1 ms p50")
    row("FAQ messages, total", faq.map(\.total), target: "")
}
if encoder != nil {
    row("peer: without reranker, spelling, other-company check: canned, excluding the encoder", cannedBaseline.map { max($0.total - $0.encoder, 0) }, target: "")
    row("peer: without reranker, spelling, other-company check: FAQ messages, excluding the encoder", faqBaseline.map { max($0.total - $0.encoder, 0) }, target: "")
    row("FAQ messages, excluding the encoder", faq.map { max($0.total - $0.encoder, 0) }, target: "≤ peer + 1 ms p50")
} else {
    row("peer: without the other-company check: canned route", cannedBaseline.map(\.total), target: "")
    row("peer: without the other-company check: FAQ messages", faqBaseline.map(\.total), target: "")
}
print()
print("Routes taken: canned messages → \(routeShare(canned, .canned)) canned, \(routeShare(canned, .clarify)) clarify; FAQ messages → \(routeShare(faq, .faq)) faq, \(routeShare(faq, .canned)) canned, \(routeShare(faq, .fallback)) fallback, \(routeShare(faq, .clarify)) clarify.")
