// bench-encoder: throughput, latency and memory of MiniLMEncoder, each next to a peer measured in
// the same run: OpenBLAS sgemm alone on exactly the matrix shapes the encoder multiplies (its
// ceiling), and the NumPy reference model (figures passed in by bench/encoder/run).
//
//   bench-encoder --model models/minilm --data <clinc150 data_full.json> [--count 1000]
//                 [--repeats 5] [--latency 300] [--numpy THREADS=SENTENCES_PER_S ...]

import BenchOpenBLAS
import Dispatch
import Encoder
import Foundation

struct Options {
    var model = "models/minilm"
    var data = "/work/shared/datasets/clinc150/data_full.json"
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

let options = try Options(arguments: CommandLine.arguments)
let modelDirectory = URL(fileURLWithPath: options.model)
let texts = try benchTexts(options.data, count: options.count)
let loadBefore = loadAverage()

var report = Report()

// Memory first, before the peers allocate anything: one encoder loading and embedding the batch.
let loadStart = DispatchTime.now().uptimeNanoseconds
let probe = try MiniLMEncoder(directory: modelDirectory)
let loadMilliseconds = Double(DispatchTime.now().uptimeNanoseconds - loadStart) / 1e6
_ = probe.embed(texts)
let encoderRSS = peakRSSMegabytes()
let sgemmWeights = SgemmWeights(maxTokens: probe.configuration.maxBatchTokens)
let plan = SgemmPlan(texts: texts, encoder: probe, weights: sgemmWeights)
report.add("model load incl. SHA-256 of weights", "\(format(loadMilliseconds, 0)) ms", "identity \(probe.identity)")
report.add("peak RSS: load + embed the batch", "\(format(encoderRSS, 0)) MB", "getrusage; includes the mapped weights (91 MB)")
report.add("benchmark batch", "\(texts.count) texts, \(plan.tokenCount) tokens",
           "CLINC150 test utterances; \(format(plan.linearFLOPs / 1e9)) GFLOP in sgemm, \(format(plan.attentionFLOPs / 1e9, 2)) in attention")

for threads in [1, 2] {
    let encoder = try MiniLMEncoder(directory: modelDirectory, configuration: EncoderConfiguration(threads: threads))
    _ = encoder.embed(Array(texts.prefix(64)))
    let ceiling = SgemmPlan(texts: texts, encoder: encoder, weights: sgemmWeights)
    ceiling.run()
    // Alternate encoder and sgemm runs so both see the same machine load.
    var encoderTimes: [Double] = [], sgemmTimes: [Double] = []
    var encoderCPU: [Double] = [], sgemmCPU: [Double] = []
    for _ in 0..<options.repeats {
        var cpuStart = threadCPUSeconds()
        encoderTimes.append(seconds { _ = encoder.embed(texts) })
        encoderCPU.append(threadCPUSeconds() - cpuStart)
        cpuStart = threadCPUSeconds()
        sgemmTimes.append(seconds { ceiling.run() })
        sgemmCPU.append(threadCPUSeconds() - cpuStart)
    }
    let encoderTime = median(encoderTimes)
    let sgemmTime = median(sgemmTimes)
    let rate = Double(texts.count) / encoderTime
    report.add("encoder, \(threads) BLAS thread\(threads > 1 ? "s" : "")", "\(format(rate)) sentences/s",
        "\(format(ceiling.linearFLOPs / encoderTime / 1e9)) GFLOP/s")
    report.add("sgemm alone on the same shapes, \(threads) thread\(threads > 1 ? "s" : "")", "\(format(ceiling.linearFLOPs / sgemmTime / 1e9)) GFLOP/s",
        "\(format(Double(texts.count) / sgemmTime)) sentences/s ceiling")
    let large = sgemmWeights.largeShapeGFLOPs(repeats: 21)
    report.add("sgemm 1024×384 · 384×1536, \(threads) thread\(threads > 1 ? "s" : "")", "\(format(large)) GFLOP/s",
               "encoder reaches \(format(100 * ceiling.linearFLOPs / encoderTime / 1e9 / large)) % of this large-shape rate")
    report.add("encoder efficiency, \(threads) thread\(threads > 1 ? "s" : "")", "\(format(100 * sgemmTime / encoderTime)) % of sgemm",
               "sgemm-only time ÷ encoder time"
               + (threads == 1 ? "; by thread CPU time \(format(100 * median(sgemmCPU) / median(encoderCPU))) %, \(format(Double(texts.count) / median(encoderCPU))) sentences per CPU-second" : ""))
    if let peer = options.numpy.first(where: { $0.threads == threads }) {
        report.add("NumPy reference (float32), \(threads) BLAS thread\(threads > 1 ? "s" : "")", "\(format(peer.rate)) sentences/s",
            "encoder is \(format(rate / peer.rate)) × NumPy")
    }

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
    report.add("single sentence latency p50 / p99, \(threads) thread\(threads > 1 ? "s" : "")",
        "\(format(median(latencies) * 1000, 2)) / \(format(percentile(latencies, 0.99) * 1000, 2)) ms",
        "sgemm alone: p50 \(format(median(floors) * 1000, 2)) ms"
            + (threads == 1 ? "; CPU time of the call p50 \(format(median(cpuTimes) * 1000, 2)) ms" : ""))
}

// Two concurrent embed calls with one BLAS thread each, half the batch per call.
let shared = try MiniLMEncoder(directory: modelDirectory, configuration: EncoderConfiguration(threads: 1))
let halves = [Array(texts[..<(texts.count / 2)]), Array(texts[(texts.count / 2)...])]
var concurrentTimes: [Double] = []
for _ in 0..<options.repeats {
    concurrentTimes.append(seconds {
        DispatchQueue.concurrentPerform(iterations: 2) { index in _ = shared.embed(halves[index]) }
    })
}
report.add("encoder, 2 concurrent calls × 1 BLAS thread", "\(format(Double(texts.count) / median(concurrentTimes))) sentences/s", "how a server with 2 cores would use it")
report.add("peak RSS: whole bench process", "\(format(peakRSSMegabytes(), 0)) MB", "several encoders alive at once, plus the sgemm peer's 67 MB")

report.print()
print("")
print("OpenBLAS kernels: \(MiniLMEncoder.blasCore); load average before / after: \(loadBefore) / \(loadAverage()); \(ProcessInfo.processInfo.activeProcessorCount) cores; medians of \(options.repeats) runs; \(options.latencySamples) latency samples.")
