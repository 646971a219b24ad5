import ArgumentParser
import Foundation
import Histogram
import Server
import Synchronization

/// `supportbot load`: a closed-loop load generator. Each connection sends its next message when
/// the previous response arrives; latencies go into an HdrHistogram. Any response but an
/// `error` counts as answered, so the same tool also measures the echo-server ceiling.
struct LoadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load",
        abstract: "Load-test a server over TLS in JSON mode and report throughput and latency percentiles."
    )

    @Option(help: "Server address, HOST:PORT.")
    var connect = "127.0.0.1:7443"

    @Option(help: "Concurrent connections.")
    var connections = 100

    @Option(help: "Messages in total, spread evenly over the connections.")
    var messages = 10_000

    @Option(help: "File of message texts, one per line, cycled (default: a built-in varied set).")
    var textFile: String?

    @Option(help: "Token to authenticate with.")
    var token: String?

    @Option(help: "CA certificate (PEM) to verify the server with.")
    var ca: String?

    @Flag(help: "Do not verify the server certificate.")
    var insecure = false

    @Flag(help: "Print one JSON summary object instead of a table.")
    var json = false

    func validate() throws {
        guard connections > 0, messages > 0 else { throw ValidationError("--connections and --messages must be positive") }
        if ca != nil, insecure { throw ValidationError("--ca and --insecure exclude each other") }
        _ = try ListenAddress(connect)
    }

    func run() async throws {
        let address = try ListenAddress(connect)
        let texts = try loadTexts()
        let tls: ClientTLSOptions
        if insecure {
            tls = ClientTLSOptions(trust: .insecure)
        } else if let path = ca ?? (FileManager.default.fileExists(atPath: "state/tls/ca.pem") ? "state/tls/ca.pem" : nil) {
            tls = ClientTLSOptions(trust: .certificateAuthority(pem: try String(contentsOfFile: path, encoding: .utf8)))
        } else {
            tls = ClientTLSOptions(trust: .system)
        }
        let progress = LoadProgress(total: messages)
        let started = ContinuousClock.now
        let reporter = Task {
            let line = ProgressReporter(title: "load", total: messages, interval: 2)
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(500))
                let elapsed = started.duration(to: .now)
                let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
                let done = progress.done
                line.update(
                    done, status: String(format: "%.0f msg/s, %d errors", Double(done) / max(seconds, 0.001), progress.errors))
            }
        }
        let token = self.token
        let totals = try await withThrowingTaskGroup(of: ConnectionResult.self) { group in
            for index in 0..<connections {
                let count = messages / connections + (index < messages % connections ? 1 : 0)
                guard count > 0 else { continue }
                group.addTask {
                    try await LineClient.withConnection(host: address.host, port: address.port, tls: tls) { connection in
                        try await Self.drive(
                            connection, count: count, offset: index, texts: texts, token: token, progress: progress)
                    }
                }
            }
            var total = ConnectionResult()
            for try await result in group {
                total.histogram.add(result.histogram)
                total.errors += result.errors
            }
            return total
        }
        let elapsed = started.duration(to: .now)
        reporter.cancel()
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        report(totals, seconds: seconds)
    }

    struct ConnectionResult: Sendable {
        var histogram = Histogram<UInt64>(highestTrackableValue: 60_000_000)
        var errors = 0
    }

    private static func drive(
        _ connection: LineConnection, count: Int, offset: Int, texts: [String], token: String?, progress: LoadProgress
    ) async throws -> ConnectionResult {
        var result = ConnectionResult()
        let hello = token.map { #"{"type":"hello","token":"\#($0)"}"# } ?? #"{"type":"hello"}"#
        try await connection.send(hello)
        guard let welcome = try await connection.readLine(), !welcome.hasPrefix(#"{"type":"error""#) else {
            throw CLIError("the server refused hello; pass --token")
        }
        for index in 0..<count {
            let text = texts[(offset * 7 + index) % texts.count]
            var request = JSONObject()
            request.field("type", "message")
            request.field("text", text)
            let sent = ContinuousClock.now
            try await connection.send(request.text)
            var replied = false
            while let line = try await connection.readLine() {
                if line.hasPrefix(#"{"type":"delta""#) { continue }
                replied = !line.hasPrefix(#"{"type":"error""#)
                break
            }
            let elapsed = sent.duration(to: .now)
            _ = result.histogram.record(
                UInt64(elapsed.components.seconds) * 1_000_000 + UInt64(elapsed.components.attoseconds / 1_000_000_000_000))
            if !replied { result.errors += 1 }
            progress.record(error: !replied)
        }
        return result
    }

    private func report(_ totals: ConnectionResult, seconds: Double) {
        let histogram = totals.histogram
        let milliseconds = { (percentile: Double) in Double(histogram.valueAtPercentile(percentile)) / 1_000 }
        let count = Int(histogram.totalCount)
        if json {
            var object = JSONObject()
            object.field("messages", count)
            object.field("errors", totals.errors)
            object.field("seconds", (seconds * 1_000).rounded() / 1_000)
            object.field("msgs_per_s", (Double(count) / seconds * 10).rounded() / 10)
            object.field("p50_ms", milliseconds(50))
            object.field("p90_ms", milliseconds(90))
            object.field("p99_ms", milliseconds(99))
            object.field("max_ms", Double(histogram.max) / 1_000)
            Terminal.output(object.text)
        } else {
            Terminal.output(
                String(
                    format:
                        "%d messages, %d errors in %.2f s: %.0f msg/s; latency p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms",
                    count, totals.errors, seconds, Double(count) / seconds, milliseconds(50), milliseconds(90), milliseconds(99),
                    Double(histogram.max) / 1_000
                ))
        }
    }

    private func loadTexts() throws -> [String] {
        guard let textFile else { return Self.builtInTexts }
        let lines: [String]
        do {
            lines = try String(contentsOfFile: textFile, encoding: .utf8).split(whereSeparator: \.isNewline).map(String.init)
        } catch {
            throw CLIError("cannot read --text-file '\(textFile)': \(error.localizedDescription)")
        }
        guard !lines.isEmpty else { throw CLIError("--text-file '\(textFile)' has no lines") }
        return lines
    }

    /// Varied customer messages that route to canned answers in the sample domain.
    static let builtInTexts = [
        "hi there", "hello, anyone around?", "good morning", "thanks so much!", "thank you, that helped",
        "bye for now", "ok goodbye", "where is my order?", "has my package shipped yet", "what's the status of order 10492",
        "I want to cancel my order", "please cancel the order I just placed", "can I change the size on my order",
        "I need to return a jacket", "how do I send back boots that don't fit", "when will I get my refund",
        "I still haven't been refunded", "there's a charge on my card I don't recognise", "why was I charged twice",
        "what payment methods do you take", "can I pay with paypal", "update my credit card", "I forgot my password",
        "can't log in, need a password reset", "change my email address", "delete my account please",
        "my promo code isn't working", "the discount code was rejected", "the tent arrived damaged",
        "one item is missing from my box", "track my package", "what can you do?", "what are your hours",
        "how do I contact support by phone", "yes", "no thanks", "unsubscribe me from emails",
        "is the backpack back in stock soon", "I'd like to exchange for a different color", "I'm tax exempt, how do I order",
    ]
}

/// Messages done so far, shared by the connections and the progress display.
final class LoadProgress: Sendable {
    private let completed = Atomic<Int>(0)
    private let failed = Atomic<Int>(0)
    let total: Int

    init(total: Int) { self.total = total }

    func record(error: Bool) {
        completed.wrappingAdd(1, ordering: .relaxed)
        if error { failed.wrappingAdd(1, ordering: .relaxed) }
    }

    var done: Int { completed.load(ordering: .relaxed) }
    var errors: Int { failed.load(ordering: .relaxed) }
}
