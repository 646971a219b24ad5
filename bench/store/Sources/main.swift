// bench-store: message pairs committed per second by the SupportBot store with FULL
// durability (1 and N concurrent writers) and export time for 100,000 messages, each next to
// raw SQLite doing the same work from Python in the same run. Every measurement runs
// `--repeat` times, store and peer interleaved; the table shows medians. Run via bench/store/run.

import Foundation
import Store

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return .nan }
    return sorted.count % 2 == 1 ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
}

func format(_ value: Double, _ decimals: Int = 0) -> String {
    String(format: "%.\(decimals)f", value)
}

func log(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

func run() async throws {
    let options = try BenchOptions.parse(Array(CommandLine.arguments.dropFirst()))
    let work = options.work
        ?? FileManager.default.temporaryDirectory.appendingPathComponent("bench-store-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
    func file(_ name: String) -> String { URL(fileURLWithPath: work).appendingPathComponent(name).path }

    var storeSingle = [Double](), peerSingle = [Double]()
    var storeConcurrent = [Double](), peerBatched = [Double]()
    var batches = [Double]()
    var exports = [ExportFormat: [Double]]()
    var exportSummaries = [ExportFormat: ExportSummary]()
    var peerExport = [Double]()
    for round in 1...options.repeats {
        let single = try await Workloads.singleWriter(
            path: file("store-single-\(round).sqlite"), pairs: options.singlePairs, options: options)
        storeSingle.append(single)
        try Workloads.preparePeerDatabase(file("peer-single-\(round).sqlite"), options: options)
        peerSingle.append(
            try Workloads.peer(options.python, [file("peer-single-\(round).sqlite"), "single", "\(options.singlePairs)"]))

        let concurrentPath = file("store-concurrent-\(round).sqlite")
        let (rate, statistics) = try await Workloads.concurrentWriters(
            path: concurrentPath, pairs: options.pairs, writers: options.writers, options: options)
        storeConcurrent.append(rate)
        batches.append(statistics.meanBatch)
        try Workloads.preparePeerDatabase(file("peer-batched-\(round).sqlite"), options: options)
        peerBatched.append(
            try Workloads.peer(
                options.python,
                [file("peer-batched-\(round).sqlite"), "batched", "\(options.pairs)", "\(options.writers)"]))

        for exportFormat in ExportFormat.allCases {
            let (time, summary) = try await Workloads.export(
                path: concurrentPath, format: exportFormat, output: file("export.\(exportFormat.rawValue)"),
                options: options)
            exports[exportFormat, default: []].append(time)
            exportSummaries[exportFormat] = summary
        }
        peerExport.append(try Workloads.peer(options.python, [concurrentPath, "export", file("peer-export.jsonl")]))
        log(
            "round \(round): 1 writer \(format(single)) vs \(format(peerSingle.last ?? 0)) pairs/s; "
                + "\(options.writers) writers \(format(rate)) vs \(format(peerBatched.last ?? 0)) pairs/s "
                + "(mean batch \(format(statistics.meanBatch, 1))); jsonl export \(format(exports[.jsonl]?.last ?? 0, 3)) "
                + "vs \(format(peerExport.last ?? 0, 3)) s")
        for name in try FileManager.default.contentsOfDirectory(atPath: work) where name.contains("-\(round).sqlite") {
            try? FileManager.default.removeItem(atPath: file(name))
        }
    }

    let singleRatio = median(storeSingle) / median(peerSingle)
    let concurrentRatio = median(storeConcurrent) / median(peerBatched)
    print("| measurement (median of \(options.repeats)) | SupportBot store | raw SQLite (Python sqlite3) | store / raw |")
    print("| --- | ---: | ---: | ---: |")
    print(
        "| 1 writer, pairs/s (FULL, one transaction per pair) | \(format(median(storeSingle))) | "
            + "\(format(median(peerSingle))) | \(format(singleRatio, 2)) |")
    print(
        "| \(options.writers) writers, pairs/s (FULL; group commit, mean batch \(format(median(batches), 1)), "
            + "vs \(options.writers)-pair transactions) | \(format(median(storeConcurrent))) | "
            + "\(format(median(peerBatched))) | \(format(concurrentRatio, 2)) |")
    for exportFormat in ExportFormat.allCases {
        let time = median(exports[exportFormat] ?? [])
        let summary = exportSummaries[exportFormat] ?? ExportSummary()
        let peerCell = exportFormat == .jsonl ? format(median(peerExport), 3) : "—"
        let ratio = exportFormat == .jsonl ? format(time / median(peerExport), 2) : "—"
        print(
            "| export \(summary.messages) messages as \(exportFormat.rawValue) (\(summary.bytes / 1_000_000) MB), s "
                + "| \(format(time, 3)) | \(peerCell) | \(ratio) |")
    }
    print("")
    let delay = options.delayMicros.map { "\($0) µs" } ?? "default"
    print(
        "Group-commit delay \(delay); \(ProcessInfo.processInfo.activeProcessorCount) cores; "
            + "lower ratio than 1 means the store is slower (export: lower time ratio is faster).")
}

do {
    try await run()
} catch {
    log("bench-store: \(error)")
    exit(1)
}
