import Foundation
import Logging
import Store
import SupportCore

/// The store-side workloads of bench-store and the call to the Python peer.
enum Workloads {
    static func openStore(_ path: String, options: BenchOptions, ids: MessageIDScheme = .random) throws -> SQLiteStore {
        var logger = Logger(label: "bench-store")
        logger.logLevel = .warning
        var configuration = StoreConfiguration(synchronous: .full, messageIDs: ids)
        if let delay = options.delayMicros {
            configuration.groupCommit.maxDelay = .microseconds(delay)
        }
        return try SQLiteStore(path: path, configuration: configuration, logger: logger)
    }

    static func conversations(_ store: SQLiteStore, count: Int) async throws -> [ConversationID] {
        var ids = [ConversationID]()
        for index in 0..<count {
            ids.append(try await store.createConversation(client: "bench-\(index % 8)", metadata: nil).id)
        }
        return ids
    }

    /// Pairs per second of one task appending `pairs` pairs round-robin over 64 conversations.
    static func singleWriter(path: String, pairs: Int, options: BenchOptions) async throws -> Double {
        let store = try openStore(path, options: options)
        let targets = try await conversations(store, count: 64)
        let start = ContinuousClock.now
        for index in 0..<pairs {
            _ = try await store.append(BenchData.pair, to: targets[index % targets.count])
        }
        return Double(pairs) / (ContinuousClock.now - start).seconds
    }

    /// Pairs per second of `writers` tasks appending `pairs` pairs in all, each task to its own
    /// conversation; also the group-commit statistics of the run.
    static func concurrentWriters(
        path: String, pairs: Int, writers: Int, ids: MessageIDScheme, options: BenchOptions
    ) async throws -> (Double, GroupCommitStatistics) {
        let store = try openStore(path, options: options, ids: ids)
        let targets = try await conversations(store, count: writers)
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<writers {
                let share = pairs / writers + (writer < pairs % writers ? 1 : 0)
                let conversation = targets[writer]
                group.addTask {
                    for _ in 0..<share {
                        _ = try await store.append(BenchData.pair, to: conversation)
                    }
                }
            }
            try await group.waitForAll()
        }
        let rate = Double(pairs) / (ContinuousClock.now - start).seconds
        return (rate, await store.groupCommitStatistics())
    }

    /// Seconds to export every message of the store at `path` in `format` to a file.
    static func export(
        path: String, format: ExportFormat, output: String, options: BenchOptions
    ) async throws -> (Double, ExportSummary) {
        let store = try openStore(path, options: options)
        let sink = try FileHandleSink.create(path: output)
        let start = ContinuousClock.now
        let summary = try await store.exporter.export(ExportRequest(selection: .all, format: format), to: sink)
        try sink.handle.close()
        return ((ContinuousClock.now - start).seconds, summary)
    }

    /// Creates an empty, migrated SupportBot database for the peer to write into.
    static func preparePeerDatabase(_ path: String, options: BenchOptions) throws {
        _ = try openStore(path, options: options)
    }

    /// Runs the Python peer and returns the one number it prints.
    static func peer(_ script: String, _ arguments: [String]) throws -> Double {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard process.terminationStatus == 0, let value = Double(text) else {
            throw BenchError("python peer \(arguments) failed: \(text)")
        }
        return value
    }
}

extension Duration {
    var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
