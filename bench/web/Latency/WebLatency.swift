// bench-web-latency: the round trip of one request over `/ws` (WebSocket over TLS) against the same
// request over the TLS line protocol, to the same `supportbot serve --web` process, in one run.
//
// One line connection and one WebSocket connection are opened, both say `hello`, both are warmed
// up, then `--requests` sequential request→reply round trips are timed on each, interleaved (a
// line request, a WebSocket request, …, the order alternating per pair) so that drift on the
// machine affects both alike. Every reply must be `{"type":"reply",…,"route":EXPECTED}`; anything
// else counts as an error. Optionally (`--throughput-seconds` > 0) it then measures messages/s
// with `--throughput-connections` closed-loop connections per transport, one transport after the
// other. Prints one JSON object on stdout.
//
// Usage: bench-web-latency --line-port P1 --web-port P2 --ca STATE/tls/ca.pem
//            [--requests 3000] [--warmup 200] [--text hi] [--route canned]
//            [--throughput-connections 20] [--throughput-seconds 5]
import Foundation
import HummingbirdWSClient
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import Server
import Synchronization

struct Options {
    var host = "127.0.0.1"
    var linePort = 0
    var webPort = 0
    var caPath = ""
    var requests = 3_000
    var warmup = 200
    var text = "hi"
    var route = "canned"
    var throughputConnections = 20
    var throughputSeconds = 5.0

    static func parse(_ arguments: [String]) -> Options {
        var options = Options()
        var index = 1
        func value() -> String {
            guard index + 1 < arguments.count else { usage("missing value for \(arguments[index])") }
            index += 1
            return arguments[index]
        }
        while index < arguments.count {
            switch arguments[index] {
            case "--host": options.host = value()
            case "--line-port": options.linePort = Int(value()) ?? 0
            case "--web-port": options.webPort = Int(value()) ?? 0
            case "--ca": options.caPath = value()
            case "--requests": options.requests = Int(value()) ?? 0
            case "--warmup": options.warmup = Int(value()) ?? -1
            case "--text": options.text = value()
            case "--route": options.route = value()
            case "--throughput-connections": options.throughputConnections = Int(value()) ?? 0
            case "--throughput-seconds": options.throughputSeconds = Double(value()) ?? -1
            default: usage("unknown argument \(arguments[index])")
            }
            index += 1
        }
        guard options.linePort > 0, options.webPort > 0, !options.caPath.isEmpty, options.requests > 0,
            options.warmup >= 0, options.throughputConnections > 0, options.throughputSeconds >= 0
        else { usage("--line-port, --web-port and --ca are required; counts must be positive") }
        return options
    }

    static func usage(_ message: String) -> Never {
        FileHandle.standardError.write(
            Data(
                """
                bench-web-latency: \(message)
                usage: bench-web-latency --line-port P1 --web-port P2 --ca CA.pem [--requests 3000] [--warmup 200]
                       [--text hi] [--route canned] [--throughput-connections 20] [--throughput-seconds 5]

                """.utf8))
        exit(2)
    }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

func progress(_ text: String) {
    FileHandle.standardError.write(Data("bench-web-latency: \(text)\n".utf8))
}

/// Nanoseconds elapsed on the monotonic clock since `start`.
func nanoseconds(since start: ContinuousClock.Instant) -> Int64 {
    let (seconds, attoseconds) = start.duration(to: .now).components
    return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
}

/// The request line for message `id`.
func messageLine(id: Int, text: String) -> String {
    let escaped = String(decoding: try! JSONEncoder().encode(text), as: UTF8.self)
    return #"{"type":"message","id":\#(id),"text":\#(escaped)}"#
}

/// Checks a reply to a `message` request: its type, id and route.
func check(_ reply: String, id: Int, route: String) throws {
    guard let object = try? JSONSerialization.jsonObject(with: Data(reply.utf8)) as? [String: Any],
        object["type"] as? String == "reply", (object["id"] as? NSNumber)?.intValue == id
    else { throw BenchError("unexpected reply to message \(id): \(reply.prefix(300))") }
    guard object["route"] as? String == route else {
        throw BenchError("message \(id) was answered by route \(object["route"] ?? "nil"), not \(route): \(reply.prefix(300))")
    }
}

func checkWelcome(_ reply: String?, transport: String) throws {
    guard let reply, reply.contains(#""type":"welcome""#) else {
        throw BenchError("\(transport): no welcome after hello, got \(reply ?? "end of stream")")
    }
}

/// One WebSocket connection seen as request→reply text messages.
struct WebSocketLink {
    var inbound: WebSocketInboundMessageStream.AsyncIterator
    let outbound: WebSocketOutboundWriter

    mutating func roundTrip(_ line: String) async throws -> String {
        try await outbound.write(.text(line))
        return try await next()
    }

    mutating func next() async throws -> String {
        switch try await inbound.next() {
        case .text(let text): return text
        case .binary(let buffer): return String(buffer: buffer)
        case nil: throw BenchError("the server closed the WebSocket")
        }
    }
}

extension LineConnection {
    func roundTrip(_ line: String) async throws -> String {
        try await send(line)
        guard let reply = try await readLine() else { throw BenchError("the server closed the line connection") }
        return reply
    }
}

struct Percentiles: Encodable {
    var count: Int
    var p50_ms: Double
    var p90_ms: Double
    var p99_ms: Double
    var mean_ms: Double
    var min_ms: Double
    var max_ms: Double

    /// Nearest-rank percentiles of `samples` (nanoseconds).
    init(_ samples: [Int64]) {
        let sorted = samples.sorted()
        func rank(_ p: Double) -> Double {
            let index = min(sorted.count - 1, max(0, Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1))
            return Double(sorted[index]) / 1e6
        }
        count = sorted.count
        p50_ms = rank(50)
        p90_ms = rank(90)
        p99_ms = rank(99)
        mean_ms = Double(sorted.reduce(0, +)) / Double(sorted.count) / 1e6
        min_ms = Double(sorted.first!) / 1e6
        max_ms = Double(sorted.last!) / 1e6
    }
}

struct Throughput: Encodable {
    var connections: Int
    var seconds: Double
    var messages: Int
    var errors: Int
    var msgs_per_s: Double
}

struct Report: Encodable {
    var requests: Int
    var warmup: Int
    var text: String
    var route: String
    var line: Percentiles
    var websocket: Percentiles
    /// Median of (WebSocket − line) over the interleaved pairs, in ms.
    var paired_difference_p50_ms: Double
    var line_throughput: Throughput?
    var websocket_throughput: Throughput?
}

final class Box<Value: Sendable>: Sendable {
    let value: Mutex<Value?> = Mutex(nil)
    func set(_ newValue: Value) { value.withLock { $0 = newValue } }
    func get() -> Value? { value.withLock { $0 } }
}

@main
struct WebLatency {
    static func main() async throws {
        let options = Options.parse(CommandLine.arguments)
        let caPEM = try String(contentsOfFile: options.caPath, encoding: .utf8)
        let lineTLS = ClientTLSOptions(trust: .certificateAuthority(pem: caPEM), serverHostname: "localhost")
        var webTLS = TLSConfiguration.makeClientConfiguration()
        webTLS.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(caPEM.utf8)))
        let webConfiguration = WebSocketClientConfiguration(maxFrameSize: 1 << 20, sniHostname: "localhost")
        let url = "wss://\(options.host):\(options.webPort)/ws"
        var logger = Logger(label: "bench-web-latency")
        logger.logLevel = .warning

        // Latency: the WebSocket connection's handler runs the whole interleaved measurement with
        // the line connection opened inside it.
        let result = Box<(line: [Int64], websocket: [Int64], paired: [Int64])>()
        let failure = Box<String>()
        try await WebSocketClient.connect(
            url: url, configuration: webConfiguration, tlsConfiguration: webTLS, logger: logger
        ) { inbound, outbound, _ in
            do {
                var ws = WebSocketLink(inbound: inbound.messages(maxSize: 1 << 20).makeAsyncIterator(), outbound: outbound)
                try checkWelcome(try await ws.roundTrip(#"{"type":"hello","id":1}"#), transport: "/ws")
                try await LineClient.withConnection(host: options.host, port: options.linePort, tls: lineTLS) { line in
                    try checkWelcome(try await line.roundTrip(#"{"type":"hello","id":1}"#), transport: "line")
                    progress("warming up, \(options.warmup) requests per transport...")
                    var id = 2
                    for _ in 0..<options.warmup {
                        try check(try await line.roundTrip(messageLine(id: id, text: options.text)), id: id, route: options.route)
                        try check(try await ws.roundTrip(messageLine(id: id, text: options.text)), id: id, route: options.route)
                        id += 1
                    }
                    progress("measuring \(options.requests) interleaved round trips per transport...")
                    var lineSamples: [Int64] = []
                    var webSamples: [Int64] = []
                    lineSamples.reserveCapacity(options.requests)
                    webSamples.reserveCapacity(options.requests)
                    for pair in 0..<options.requests {
                        let request = messageLine(id: id, text: options.text)
                        for transport in (pair % 2 == 0 ? [0, 1] : [1, 0]) {
                            let start = ContinuousClock.now
                            if transport == 0 {
                                let reply = try await line.roundTrip(request)
                                lineSamples.append(nanoseconds(since: start))
                                try check(reply, id: id, route: options.route)
                            } else {
                                let reply = try await ws.roundTrip(request)
                                webSamples.append(nanoseconds(since: start))
                                try check(reply, id: id, route: options.route)
                            }
                        }
                        id += 1
                    }
                    let paired = zip(webSamples, lineSamples).map { $0 - $1 }
                    result.set((lineSamples, webSamples, paired))
                }
                try await outbound.close(.normalClosure, reason: nil)
            } catch {
                failure.set("\(error)")
            }
        }
        if let message = failure.get() { throw BenchError(message) }
        guard let samples = result.get() else { throw BenchError("the WebSocket connection ended before the measurement") }

        var lineThroughput: Throughput?
        var webThroughput: Throughput?
        if options.throughputSeconds > 0 {
            progress(
                "throughput: line protocol, \(options.throughputConnections) connections for \(options.throughputSeconds) s...")
            lineThroughput = try await throughput(options: options) { deadline, counter in
                try await LineClient.withConnection(host: options.host, port: options.linePort, tls: lineTLS) { line in
                    try checkWelcome(try await line.roundTrip(#"{"type":"hello","id":1}"#), transport: "line")
                    try await closedLoop(deadline: deadline, counter: counter, text: options.text, route: options.route) { request in
                        try await line.roundTrip(request)
                    }
                }
            }
            progress("throughput: /ws, \(options.throughputConnections) connections for \(options.throughputSeconds) s...")
            webThroughput = try await throughput(options: options) { deadline, counter in
                try await WebSocketClient.connect(
                    url: url, configuration: webConfiguration, tlsConfiguration: webTLS, logger: logger
                ) { inbound, outbound, _ in
                    var ws = WebSocketLink(inbound: inbound.messages(maxSize: 1 << 20).makeAsyncIterator(), outbound: outbound)
                    do {
                        try checkWelcome(try await ws.roundTrip(#"{"type":"hello","id":1}"#), transport: "/ws")
                        try await closedLoop(deadline: deadline, counter: counter, text: options.text, route: options.route) { request in
                            try await ws.roundTrip(request)
                        }
                    } catch {
                        counter.fail("\(error)")
                    }
                    try await outbound.close(.normalClosure, reason: nil)
                }
            }
        }

        let report = Report(
            requests: options.requests, warmup: options.warmup, text: options.text, route: options.route,
            line: Percentiles(samples.line), websocket: Percentiles(samples.websocket),
            paired_difference_p50_ms: Double(samples.paired.sorted()[samples.paired.count / 2]) / 1e6,
            line_throughput: lineThroughput, websocket_throughput: webThroughput)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        print(String(decoding: try encoder.encode(report), as: UTF8.self))
    }

    /// Counts replies across the closed-loop connections of one throughput run.
    final class Counter: Sendable {
        let replies = Atomic<Int>(0)
        let errors = Atomic<Int>(0)
        let firstError = Mutex<String?>(nil)

        func fail(_ message: String) {
            errors.add(1, ordering: .relaxed)
            firstError.withLock { if $0 == nil { $0 = message } }
        }
    }

    /// Sends `message` requests back to back until `deadline`; counts canned replies.
    static func closedLoop(
        deadline: ContinuousClock.Instant, counter: Counter, text: String, route: String,
        _ roundTrip: (String) async throws -> String
    ) async throws {
        var id = 2
        while ContinuousClock.now < deadline {
            let reply = try await roundTrip(messageLine(id: id, text: text))
            do {
                try check(reply, id: id, route: route)
                counter.replies.add(1, ordering: .relaxed)
            } catch {
                counter.fail("\(error)")
            }
            id += 1
        }
    }

    static func throughput(
        options: Options, connection: @escaping @Sendable (ContinuousClock.Instant, Counter) async throws -> Void
    ) async throws -> Throughput {
        let counter = Counter()
        let start = ContinuousClock.now
        let deadline = start + .milliseconds(Int64(options.throughputSeconds * 1000))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<options.throughputConnections {
                group.addTask { try await connection(deadline, counter) }
            }
            try await group.waitForAll()
        }
        let seconds = Double(nanoseconds(since: start)) / 1e9
        if let message = counter.firstError.withLock({ $0 }) { progress("throughput error: \(message)") }
        let replies = counter.replies.load(ordering: .relaxed)
        return Throughput(
            connections: options.throughputConnections, seconds: seconds, messages: replies,
            errors: counter.errors.load(ordering: .relaxed), msgs_per_s: Double(replies) / seconds)
    }
}
