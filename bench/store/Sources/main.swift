// bench-store: message pairs committed per second by the SupportBot store with FULL
// durability (1 and N concurrent writers; random and time-ordered message ids) and export time
// for 100,000 messages, each next to raw SQLite doing the same work from Python in the same
// run. Every measurement runs `--repeat` times, store and peer interleaved; the table shows
// medians. Run via bench/store/run.

import Foundation
import Store
import SupportCore

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return .nan }
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

func format(_ value: Double, _ decimals: Int = 0) -> String {
    String(format: "%.\(decimals)f", value)
}

func log(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

/// Measurements of one row: the store's and the peer's samples.
struct Row {
    var title: String
    var store = [Double]()
    var peer = [Double]()
    var decimals = 0

    var line: String {
        let ratio = peer.isEmpty ? "—" : format(median(store) / median(peer), 2)
        let peerCell = peer.isEmpty ? "—" : format(median(peer), decimals)
        return "| \(title) | \(format(median(store), decimals)) | \(peerCell) | \(ratio) |"
    }
}

func run() async throws {
    let options = try BenchOptions.parse(Array(CommandLine.arguments.dropFirst()))
    let work = options.work
        ?? FileManager.default.temporaryDirectory.appendingPathComponent("bench-store-\(UUID().uuidString)").path
    try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
    func file(_ name: String) -> String { URL(fileURLWithPath: work).appendingPathComponent(name).path }
    let writers = options.writers

    var single = Row(title: "1 writer, pairs/s (FULL, one transaction per pair)")
    var random = Row(title: "\(writers) writers, pairs/s (FULL, random ids; peer: \(writers)-pair transactions)")
    var ordered = Row(title: "\(writers) writers, pairs/s (FULL, time-ordered ids, opt-in; same peer)")
    var exports = [ExportFormat: Row]()
    var batches = [Double]()
    for round in 1...options.repeats {
        let singlePath = file("store-single-\(round).sqlite")
        single.store.append(try await Workloads.singleWriter(path: singlePath, pairs: options.singlePairs, options: options))
        try Workloads.preparePeerDatabase(file("peer-single-\(round).sqlite"), options: options)
        single.peer.append(
            try Workloads.peer(options.python, [file("peer-single-\(round).sqlite"), "single", "\(options.singlePairs)"]))

        let randomPath = file("store-random-\(round).sqlite")
        for (scheme, path) in [(MessageIDScheme.random, randomPath), (.timeOrdered, file("store-ordered-\(round).sqlite"))] {
            let (rate, statistics) = try await Workloads.concurrentWriters(
                path: path, pairs: options.pairs, writers: writers, ids: scheme, options: options)
            batches.append(statistics.meanBatch)
            let peerPath = file("peer-\(scheme.rawValue)-\(round).sqlite")
            try Workloads.preparePeerDatabase(peerPath, options: options)
            var arguments = [peerPath, "batched", "\(options.pairs)", "\(writers)"]
            if scheme == .timeOrdered { arguments.append("time-ordered") }
            let peerRate = try Workloads.peer(options.python, arguments)
            if scheme == .random {
                random.store.append(rate)
                random.peer.append(peerRate)
            } else {
                ordered.store.append(rate)
                ordered.peer.append(peerRate)
            }
        }

        for exportFormat in ExportFormat.allCases {
            let (time, summary) = try await Workloads.export(
                path: randomPath, format: exportFormat, output: file("export.\(exportFormat.rawValue)"), options: options)
            var row = exports[exportFormat]
                ?? Row(title: "export \(summary.messages) messages as \(exportFormat.rawValue) (\(summary.bytes / 1_000_000) MB), s", decimals: 3)
            row.store.append(time)
            if exportFormat == .jsonl {
                row.peer.append(try Workloads.peer(options.python, [randomPath, "export", file("peer-export.jsonl")]))
            }
            exports[exportFormat] = row
        }
        log(
            "round \(round): 1 writer \(format(single.store.last ?? 0)) vs \(format(single.peer.last ?? 0)); "
                + "random \(format(random.store.last ?? 0)) vs \(format(random.peer.last ?? 0)); "
                + "time-ordered \(format(ordered.store.last ?? 0)) vs \(format(ordered.peer.last ?? 0)) pairs/s; "
                + "jsonl export \(format(exports[.jsonl]?.store.last ?? 0, 3)) vs \(format(exports[.jsonl]?.peer.last ?? 0, 3)) s")
        for name in try FileManager.default.contentsOfDirectory(atPath: work) where name.contains("-\(round).sqlite") {
            try? FileManager.default.removeItem(atPath: file(name))
        }
    }

    print("| measurement (median of \(options.repeats) runs) | SupportBot store | raw SQLite (Python sqlite3) | store / raw |")
    print("| --- | ---: | ---: | ---: |")
    for row in [single, random, ordered] {
        print(row.line)
    }
    for exportFormat in ExportFormat.allCases {
        if let row = exports[exportFormat] { print(row.line) }
    }
    print("")
    let delay = options.delayMicros.map { "\($0) µs" } ?? "default"
    print(
        "Mean group-commit batch \(format(median(batches), 1)) appends; group-commit delay \(delay); "
            + "\(ProcessInfo.processInfo.activeProcessorCount) cores. pairs/s: higher is better; export s: lower is better.")
}

do {
    try await run()
} catch {
    log("bench-store: \(error)")
    exit(1)
}
