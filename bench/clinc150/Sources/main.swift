import Classifier
import Content
import Encoder
import Foundation

// bench-classifier: the in-process half of bench/clinc150. Trains through the library exactly as
// `supportbot train` does, then prints one JSON object: the accuracy / out-of-scope-recall
// trade-off over thresholds (the CLI only shows the calibrated point), the in-scope accuracy at
// the first threshold reaching a target out-of-scope recall, and per-message latency
// percentiles of `predict` (embedding included when the model uses the encoder).
//
//   bench-classifier --intents DIR --test FILE --labels FILE [--encoder DIR | --no-encoder]
//                    [--model FILE] [--recall 0.6] [--latency-messages 2000]
//
// With --model it loads a trained model (e.g. `train --fine-tune`, minutes to train) instead of
// training one, and sweeps its threshold from 0.

struct Options {
    var intents = ""
    var test = ""
    var labels = ""
    var encoder: String?
    var model: String?
    var recall = 0.6
    var latencyMessages = 2000

    init(_ arguments: [String]) throws {
        var rest = arguments[...]
        func value(_ name: String) throws -> String {
            guard let next = rest.popFirst() else { throw BenchError("\(name) needs a value") }
            return next
        }
        while let argument = rest.popFirst() {
            switch argument {
            case "--intents": intents = try value(argument)
            case "--test": test = try value(argument)
            case "--labels": labels = try value(argument)
            case "--encoder": encoder = try value(argument)
            case "--no-encoder": encoder = nil
            case "--model": model = try value(argument)
            case "--recall": recall = Double(try value(argument)) ?? recall
            case "--latency-messages": latencyMessages = Int(try value(argument)) ?? latencyMessages
            default: throw BenchError("unknown option \(argument)")
            }
        }
        guard !intents.isEmpty, !test.isEmpty, !labels.isEmpty else {
            throw BenchError("usage: bench-classifier --intents DIR --test FILE --labels FILE [--encoder DIR | --no-encoder]")
        }
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

func lines(_ path: String) throws -> [String] {
    try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        .map(String.init).filter { !$0.isEmpty }
}

func microseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1e6 + Double(duration.components.attoseconds) / 1e12
}

let options = try Options(Array(CommandLine.arguments.dropFirst()))
let intents = try IntentLoader(directory: URL(fileURLWithPath: options.intents)).load()
let texts = try lines(options.test)
let labels = try lines(options.labels)
guard texts.count == labels.count else { throw BenchError("\(texts.count) test lines but \(labels.count) labels") }
let embedder: (any TextEmbedder)? = try options.encoder.map { try MiniLMEncoder(directory: URL(fileURLWithPath: $0)) }

// The weights do not depend on the threshold, so skipping calibration shows the raw decisions:
// `out_of_scope` only where the learned out-of-scope class wins.
var configuration = ClassifierConfiguration()
configuration.fixedThreshold = 0
let started = ContinuousClock.now
let classifier =
    try options.model.map { try IntentClassifier.load(from: URL(fileURLWithPath: $0), embedder: embedder).withThreshold(0) }
    ?? IntentClassifier.train(intents, embedder: embedder, configuration: configuration)
let trainSeconds = options.model == nil ? microseconds(ContinuousClock.now - started) / 1e6 : 0
let predictions = classifier.predictBatch(texts)

var curve: [[String: Double]] = []
var atRecall: [String: Double]?
for step in 0...180 {
    let threshold = Double(step) / 200
    var correct = 0
    var inScope = 0
    var rejected = 0
    var outOfScope = 0
    for (prediction, label) in zip(predictions, labels) {
        let accepted = !prediction.isOutOfScope && prediction.confidence >= threshold
        if label == Intent.outOfScope {
            outOfScope += 1
            if !accepted { rejected += 1 }
        } else {
            inScope += 1
            if accepted, prediction.intent == label { correct += 1 }
        }
    }
    let point = [
        "threshold": threshold, "in_scope_accuracy": Double(correct) / Double(max(inScope, 1)),
        "oos_recall": Double(rejected) / Double(max(outOfScope, 1)),
    ]
    if step % 10 == 0 { curve.append(point) }
    if atRecall == nil, (point["oos_recall"] ?? 0) >= options.recall { atRecall = point }
}

var latencies: [Double] = []
for text in texts.prefix(options.latencyMessages) {
    let start = ContinuousClock.now
    _ = classifier.predict(text)
    latencies.append(microseconds(ContinuousClock.now - start))
}
let sorted = latencies.sorted()
func percentile(_ p: Double, of sorted: [Double]) -> Double {
    sorted.isEmpty ? 0 : sorted[min(Int(Double(sorted.count) * p), sorted.count - 1)]
}

let report: [String: Any] = [
    "encoder": classifier.encoderIdentity ?? "none",
    "train_seconds": trainSeconds,
    "top_intent_accuracy": Double(
        zip(predictions, labels).filter { $0.1 != Intent.outOfScope && $0.0.top.first?.name == $0.1 }.count)
        / Double(max(labels.filter { $0 != Intent.outOfScope }.count, 1)),
    "target_recall": options.recall,
    "at_target_recall": atRecall ?? [:],
    "curve": curve,
    "latency_us": [
        "p50": percentile(0.5, of: sorted), "p90": percentile(0.9, of: sorted), "p99": percentile(0.99, of: sorted),
        "messages": Double(sorted.count),
    ],
]
let json = try JSONSerialization.data(withJSONObject: report, options: [.sortedKeys])
print(String(decoding: json, as: UTF8.self))
