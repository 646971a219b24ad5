// bench-encoder: throughput, latency and memory of MiniLMEncoder, each next to a peer measured in
// the same run: OpenBLAS sgemm alone on exactly the matrix shapes the encoder multiplies (its
// ceiling), and the NumPy reference model (figures passed in by bench/encoder/run).
//
//   bench-encoder --model models/minilm --data <clinc150 data_full.json> [--count 1000]
//                 [--repeats 5] [--latency 300] [--numpy THREADS=SENTENCES_PER_S ...]
//
// That table is the float32 story: every encoder in it is made with `precision: .fp32`.
//
// With --texts FILE (one text per line; bench/encoder/run passes 2,000 CLINC150 sentences of
// exactly 16 tokens) it measures one precision instead and prints one JSON object: sentences/s
// with 1 and 2 workers, single-text latency at 1 worker, GFLOP/s of the linear layers against the
// kernel peak (OpenBLAS sgemm, and oneDNN's bf16 matmul where the CPU has it, on 1024×384 ·
// 384×1536), and with --reference (models/reference/embeddings.jsonl) the cosine of the
// embeddings to the float64 reference and, for bf16, to float32 on the texts.
//
//   bench-encoder --model models/minilm --texts FILE --precision fp32|bf16|auto
//                 [--reference models/reference/embeddings.jsonl] [--repeats 5] [--latency 300]

import BenchOpenBLAS
import Dispatch
import Encoder
import Foundation

struct Options {
    var model = "models/minilm"
    var data = "/work/shared/datasets/clinc150/data_full.json"
    var texts: String?
    var reference: String?
    var precision: EncoderPrecision = .fp32
    var count = 1000
    var repeats = 5
    var latencySamples = 300
    var numpy: [(threads: Int, rate: Double)] = []

    init(arguments: [String]) throws {
        var iterator = arguments.dropFirst().makeIterator()
        while let flag = iterator.next() {
            guard let value = iterator.next() else { throw BenchError("missing value after \(flag)") }
            switch flag {
            case "--model": model = value
            case "--data": data = value
            case "--texts": texts = value
            case "--reference": reference = value
            case "--precision":
                guard let parsed = EncoderPrecision(rawValue: value) else {
                    throw BenchError("--precision expects auto, fp32 or bf16, got \(value)")
                }
                precision = parsed
            case "--count": count = try Self.integer(value, flag)
            case "--repeats": repeats = try Self.integer(value, flag)
            case "--latency": latencySamples = try Self.integer(value, flag)
            case "--numpy":
                let parts = value.split(separator: "=")
                guard parts.count == 2, let threads = Int(parts[0]), let rate = Double(parts[1]) else {
                    throw BenchError("--numpy expects THREADS=SENTENCES_PER_SECOND, got \(value)")
                }
                numpy.append((threads, rate))
            default: throw BenchError("unknown option \(flag)")
            }
        }
    }

    static func integer(_ value: String, _ flag: String) throws -> Int {
        guard let number = Int(value), number > 0 else { throw BenchError("\(flag) expects a positive integer") }
        return number
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

func seconds(_ body: () -> Void) -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

/// CPU time of the calling thread, which a busy machine inflates far less than wall time.
func threadCPUSeconds() -> Double {
    var spec = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &spec)
    return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
}

func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

func percentile(_ values: [Double], _ p: Double) -> Double {
    let sorted = values.sorted()
    return sorted[min(sorted.count - 1, Int((Double(sorted.count) * p).rounded(.up)) - 1)]
}

func loadAverage() -> String {
    (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").prefix(3).joined(separator: " ") ?? "n/a"
}

func peakRSSMegabytes() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024  // kilobytes on Linux
}

func benchTexts(_ path: String, count: Int) throws -> [String] {
    let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path)))
    guard let test = (object as? [String: Any])?["test"] as? [[Any]] else { throw BenchError("\(path) has no \"test\" list") }
    let texts = test.prefix(count).compactMap { $0.first as? String }
    guard texts.count == count else { throw BenchError("\(path) has only \(texts.count) test utterances") }
    return texts
}

/// Rows of the Markdown table.
struct Report {
    var rows: [(metric: String, value: String, note: String)] = []

    mutating func add(_ metric: String, _ value: String, _ note: String = "") {
        rows.append((metric, value, note))
    }

    func print() {
        Swift.print("| metric | value | note |")
        Swift.print("| --- | --- | --- |")
        for row in rows { Swift.print("| \(row.metric) | \(row.value) | \(row.note) |") }
    }
}

func format(_ value: Double, _ digits: Int = 1) -> String { String(format: "%.\(digits)f", value) }

/// Non-empty lines of `path`.
func lines(_ path: String) throws -> [String] {
    try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
}

func cosine(_ a: [Float], _ b: [Double]) -> Double {
    var dot = 0.0
    var na = 0.0
    var nb = 0.0
    for (x, y) in zip(a, b) {
        dot += Double(x) * y
        na += Double(x) * Double(x)
        nb += y * y
    }
    return dot / (na.squareRoot() * nb.squareRoot())
}

/// `(min, mean)` of the cosines between `embeddings` and `references`, pairwise.
func cosineSummary(_ embeddings: [[Float]], _ references: [[Double]]) -> [String: Double] {
    let values = zip(embeddings, references).map { cosine($0, $1) }
    return ["min": values.min() ?? .nan, "mean": values.reduce(0, +) / Double(max(values.count, 1)), "count": Double(values.count)]
}

/// The reference set: texts and their float64 embeddings (scripts/encoder-reference).
func referenceSet(_ path: String) throws -> (texts: [String], embeddings: [[Double]]) {
    var texts: [String] = []
    var embeddings: [[Double]] = []
    for line in try lines(path) {
        guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
            let text = object["text"] as? String, let embedding = object["embedding"] as? [Double]
        else { throw BenchError("\(path): a line without \"text\" and \"embedding\"") }
        texts.append(text)
        embeddings.append(embedding)
    }
    return (texts, embeddings)
}

/// --texts mode: one precision on a fixed list of texts; prints one JSON object.
func precisionBench(_ options: Options, textsPath: String) throws {
    let modelDirectory = URL(fileURLWithPath: options.model)
    let texts = try lines(textsPath)
    guard !texts.isEmpty else { throw BenchError("\(textsPath) has no texts") }
    let loadBefore = loadAverage()
    let encoders = try [1, 2].map {
        try MiniLMEncoder(
            directory: modelDirectory, configuration: EncoderConfiguration(threads: $0, precision: options.precision))
    }
    let sgemmWeights = SgemmWeights(maxTokens: encoders[0].configuration.maxBatchTokens)
    let plan = SgemmPlan(texts: texts, encoder: encoders[0], weights: sgemmWeights)
    let lengths = texts.map { encoders[0].tokenizer.encode($0, maxTokens: encoders[0].configuration.maxTokens).count }
    var result: [String: Any] = [
        "precision_requested": options.precision.rawValue, "precision": encoders[0].precision.rawValue,
        "cpu_isa": encoders[0].cpuFeatures.isa, "blas_core": MiniLMEncoder.blasCore, "texts": texts.count,
        "tokens": plan.tokenCount, "tokens_min": lengths.min() ?? 0, "tokens_max": lengths.max() ?? 0,
        "linear_gflop": plan.linearFLOPs / 1e9, "attention_gflop": plan.attentionFLOPs / 1e9,
        "batches": plan.batches.count, "repeats": options.repeats, "cores": ProcessInfo.processInfo.activeProcessorCount,
    ]

    // Throughput: both encoders warmed up (oneDNN makes a primitive per row count on first
    // use), then timed alternately so both see the same machine load.
    for encoder in encoders { _ = encoder.embed(texts) }
    var times: [[Double]] = [[], []]
    for _ in 0..<options.repeats {
        for (index, encoder) in encoders.enumerated() { times[index].append(seconds { _ = encoder.embed(texts) }) }
    }
    var byThreads: [String: Any] = [:]
    for (index, encoder) in encoders.enumerated() {
        let time = median(times[index])
        byThreads["\(encoder.configuration.threads)"] = [
            "sentences_per_second": Double(texts.count) / time,
            "sentences_per_second_runs": times[index].map { Double(texts.count) / $0 },
            "linear_gflops": plan.linearFLOPs / time / 1e9,
        ]
    }
    result["throughput"] = byThreads

    // Single-text latency at 1 worker, cycling through the texts after 10 warm-up calls.
    let single = encoders[0]
    for text in texts.prefix(10) { _ = single.embed([text]) }
    var latencies: [Double] = []
    var cpuTimes: [Double] = []
    for index in 0..<options.latencySamples {
        let text = texts[index % texts.count]
        let cpuStart = threadCPUSeconds()
        latencies.append(seconds { _ = single.embed([text]) })
        cpuTimes.append(threadCPUSeconds() - cpuStart)
    }
    result["latency_p50_ms"] = median(latencies) * 1000
    result["latency_p99_ms"] = percentile(latencies, 0.99) * 1000
    result["latency_cpu_p50_ms"] = median(cpuTimes) * 1000
    result["latency_samples"] = latencies.count

    // Kernel peaks on one thread (the encoder runs every product on one thread), large shape.
    result["sgemm_peak_gflops"] = sgemmWeights.largeShapeGFLOPs(repeats: 21)
    result["bf16_peak_gflops"] =
        EncoderKernelProbe.bf16MatmulGFLOPs(rows: 1024, inputs: 384, outputs: 1536, repeats: 101) ?? NSNull()

    // Parity: to the float64 reference, and (for a reduced precision) to float32 on the texts.
    if let path = options.reference {
        let reference = try referenceSet(path)
        var parity: [String: Any] = ["reference_texts": reference.texts.count]
        parity["vs_reference"] = cosineSummary(single.embed(reference.texts), reference.embeddings)
        if single.precision != .fp32 {
            let fp32 = try MiniLMEncoder(directory: modelDirectory, configuration: EncoderConfiguration(precision: .fp32))
            parity["fp32_vs_reference"] = cosineSummary(fp32.embed(reference.texts), reference.embeddings)
            let wide = fp32.embed(texts).map { $0.map(Double.init) }
            parity["vs_fp32_on_texts"] = cosineSummary(single.embed(texts), wide)
        }
        result["parity"] = parity
    }
    result["peak_rss_mb"] = peakRSSMegabytes()
    result["load_average_before"] = loadBefore
    result["load_average_after"] = loadAverage()
    let json = try JSONSerialization.data(withJSONObject: result, options: [.prettyPrinted, .sortedKeys])
    print(String(decoding: json, as: UTF8.self))
}

let options = try Options(arguments: CommandLine.arguments)
if let textsPath = options.texts {
    try precisionBench(options, textsPath: textsPath)
    exit(0)
}
let modelDirectory = URL(fileURLWithPath: options.model)
let texts = try benchTexts(options.data, count: options.count)
let loadBefore = loadAverage()
/// The table below is the float32 story; bf16 is measured in --texts mode.
let fp32 = { (threads: Int) in EncoderConfiguration(threads: threads, precision: .fp32) }

var report = Report()

// Memory first, before the peers allocate anything: one encoder loading and embedding the batch.
let loadStart = DispatchTime.now().uptimeNanoseconds
let probe = try MiniLMEncoder(directory: modelDirectory, configuration: fp32(1))
let loadMilliseconds = Double(DispatchTime.now().uptimeNanoseconds - loadStart) / 1e6
_ = probe.embed(texts)
let encoderRSS = peakRSSMegabytes()
let sgemmWeights = SgemmWeights(maxTokens: probe.configuration.maxBatchTokens)
let plan = SgemmPlan(texts: texts, encoder: probe, weights: sgemmWeights)
report.add("model load incl. SHA-256 of weights", "\(format(loadMilliseconds, 0)) ms", "identity \(probe.identity)")
report.add("peak RSS: load + embed the batch", "\(format(encoderRSS, 0)) MB", "getrusage; includes the mapped weights (91 MB)")
report.add(
    "benchmark batch", "\(texts.count) texts, \(plan.tokenCount) tokens",
    "CLINC150 test utterances; \(format(plan.linearFLOPs / 1e9)) GFLOP in sgemm, \(format(plan.attentionFLOPs / 1e9, 2)) in attention"
)
// The encoder runs every product on one OpenBLAS thread (with 2 workers, two at once), so the
// large-shape rate is measured on one thread.
let large = sgemmWeights.largeShapeGFLOPs(repeats: 21)
report.add(
    "sgemm 1024×384 · 384×1536, 1 thread", "\(format(large)) GFLOP/s", "the kernel peak; with 2 workers the peak is 2 × this")

for threads in [1, 2] {
    let encoder = try MiniLMEncoder(directory: modelDirectory, configuration: fp32(threads))
    let workers = threads > 1 ? "\(threads) workers" : "1 worker"
    _ = encoder.embed(Array(texts.prefix(64)))
    let ceiling = SgemmPlan(texts: texts, encoder: encoder, weights: sgemmWeights)
    ceiling.run(workers: threads)
    // Alternate encoder and sgemm runs so both see the same machine load.
    var encoderTimes: [Double] = []
    var sgemmTimes: [Double] = []
    var encoderCPU: [Double] = []
    var sgemmCPU: [Double] = []
    for _ in 0..<options.repeats {
        var cpuStart = threadCPUSeconds()
        encoderTimes.append(seconds { _ = encoder.embed(texts) })
        encoderCPU.append(threadCPUSeconds() - cpuStart)
        cpuStart = threadCPUSeconds()
        sgemmTimes.append(seconds { ceiling.run(workers: threads) })
        sgemmCPU.append(threadCPUSeconds() - cpuStart)
    }
    let encoderTime = median(encoderTimes)
    let sgemmTime = median(sgemmTimes)
    let rate = Double(texts.count) / encoderTime
    report.add(
        "encoder fp32, \(workers)", "\(format(rate)) sentences/s",
        "\(format(ceiling.linearFLOPs / encoderTime / 1e9)) GFLOP/s, \(format(100 * ceiling.linearFLOPs / encoderTime / 1e9 / (large * Double(threads)))) % of \(threads > 1 ? "2 × " : "")the large-shape rate"
    )
    report.add(
        "sgemm alone on the same shapes, \(workers)", "\(format(ceiling.linearFLOPs / sgemmTime / 1e9)) GFLOP/s",
        "\(format(Double(texts.count) / sgemmTime)) sentences/s ceiling")
    report.add(
        "encoder efficiency, \(workers)", "\(format(100 * sgemmTime / encoderTime)) % of sgemm",
        "sgemm-only time ÷ encoder time"
            + (threads == 1
                ? "; by thread CPU time \(format(100 * median(sgemmCPU) / median(encoderCPU))) %, \(format(Double(texts.count) / median(encoderCPU))) sentences per CPU-second"
                : ""))
    if let peer = options.numpy.first(where: { $0.threads == threads }) {
        report.add(
            "NumPy reference (float32), \(threads) BLAS thread\(threads > 1 ? "s" : "")", "\(format(peer.rate)) sentences/s",
            "encoder is \(format(rate / peer.rate)) × NumPy")
    }
    // One text is one batch, so it runs on one worker whatever `threads` is: measured once.
    guard threads == 1 else { continue }
    var latencies: [Double] = []
    var cpuTimes: [Double] = []
    var floors: [Double] = []
    for text in texts.prefix(options.latencySamples) {
        let cpuStart = threadCPUSeconds()
        latencies.append(seconds { _ = encoder.embed([text]) })
        cpuTimes.append(threadCPUSeconds() - cpuStart)
        let single = SgemmPlan(texts: [text], encoder: encoder, weights: sgemmWeights)
        floors.append(seconds { single.run() })
    }
    report.add(
        "single sentence latency p50 / p99",
        "\(format(median(latencies) * 1000, 2)) / \(format(percentile(latencies, 0.99) * 1000, 2)) ms",
        "sgemm alone: p50 \(format(median(floors) * 1000, 2)) ms; CPU time of the call p50 \(format(median(cpuTimes) * 1000, 2)) ms"
    )
}

// Two concurrent embed calls with one worker each, half the batch per call.
let shared = try MiniLMEncoder(directory: modelDirectory, configuration: fp32(1))
let halves = [Array(texts[..<(texts.count / 2)]), Array(texts[(texts.count / 2)...])]
var concurrentTimes: [Double] = []
for _ in 0..<options.repeats {
    concurrentTimes.append(
        seconds {
            DispatchQueue.concurrentPerform(iterations: 2) { index in _ = shared.embed(halves[index]) }
        })
}
report.add(
    "encoder fp32, 2 concurrent calls × 1 worker", "\(format(Double(texts.count) / median(concurrentTimes))) sentences/s",
    "how a server with 2 cores would use it")
report.add(
    "peak RSS: whole bench process", "\(format(peakRSSMegabytes(), 0)) MB",
    "several encoders alive at once, plus the sgemm peer's 80 MB")

report.print()
print("")
print(
    "OpenBLAS kernels: \(MiniLMEncoder.blasCore); every encoder here fp32 (`precision: .fp32`); load average before / after: \(loadBefore) / \(loadAverage()); \(ProcessInfo.processInfo.activeProcessorCount) cores; medians of \(options.repeats) runs; \(options.latencySamples) latency samples."
)
