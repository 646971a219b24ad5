// bench-web-latency: the round trip of one request over `/ws` (WebSocket over TLS) against the same
// request over the TLS line protocol, to the same `supportbot serve --web` process, in one run.
//
// One line connection and one WebSocket connection are opened, both say `hello`, both are warmed
// up, then `--requests` sequential request→reply round trips are timed on each, interleaved (a
// line request, a WebSocket request, …, the order alternating per pair) so that drift on the
// machine affects both alike. Every reply must be `{"type":"reply",…,"route":EXPECTED}`; anything
// else fails the run. Then `--pings` round trips of `{"type":"ping"}` the same way: the transport
// and the protocol endpoint without the assistant and the store. Then, if `--throughput-seconds` is
// above 0, messages/s with `--throughput-connections` closed-loop connections per transport, one
// transport after the other. With `--server-pid`, also the server's CPU time and thread wake-ups
// (voluntary context switches) per request on each transport, summed over its threads from
// /proc/PID/task/*/schedstat and status, from blocks of requests on one transport at a time in the
// order line, /ws, /ws, line, for `ping` and for the message; and this process's CPU time too.
// Prints one JSON object on stdout.
//
// Usage: bench-web-latency --line-port P1 --web-port P2 --ca STATE/tls/ca.pem
//            [--requests 3000] [--warmup 200] [--pings 3000] [--text hi] [--route canned]
//            [--throughput-connections 20] [--throughput-seconds 5]
//            [--server-pid PID [--cpu-pings 5000] [--cpu-messages 500]]
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
    var pings = 3_000
    var text = "hi"
    var route = "canned"
    var throughputConnections = 20
    var throughputSeconds = 5.0
    var serverPID: Int?
    var cpuPings = 5_000
    var cpuMessages = 500

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
            case "--pings": options.pings = Int(value()) ?? -1
            case "--text": options.text = value()
            case "--route": options.route = value()
            case "--throughput-connections": options.throughputConnections = Int(value()) ?? 0
            case "--throughput-seconds": options.throughputSeconds = Double(value()) ?? -1
            case "--server-pid": options.serverPID = Int(value())
            case "--cpu-pings": options.cpuPings = Int(value()) ?? 0
            case "--cpu-messages": options.cpuMessages = Int(value()) ?? 0
            default: usage("unknown argument \(arguments[index])")
            }
            index += 1
        }
        guard options.linePort > 0, options.webPort > 0, !options.caPath.isEmpty, options.requests > 0,
            options.warmup >= 0, options.pings >= 0, options.cpuPings > 0, options.cpuMessages > 0,
            options.throughputConnections > 0, options.throughputSeconds >= 0
        else { usage("--line-port, --web-port and --ca are required; counts must be positive") }
        return options
    }

    static func usage(_ message: String) -> Never {
        FileHandle.standardError.write(
            Data(
                """
                bench-web-latency: \(message)
                usage: bench-web-latency --line-port P1 --web-port P2 --ca CA.pem [--requests 3000] [--warmup 200]
                       [--pings 3000] [--text hi] [--route canned] [--throughput-connections 20] [--throughput-seconds 5]
                       [--server-pid PID [--cpu-pings 5000] [--cpu-messages 500]]

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
    /// Each leg's rate, in the order run.
    var legs_msgs_per_s: [Double]

    func combined(with other: Throughput) -> Throughput {
        let seconds = seconds + other.seconds
        let messages = messages + other.messages
        return Throughput(
            connections: connections, seconds: seconds, messages: messages, errors: errors + other.errors,
            msgs_per_s: Double(messages) / seconds, legs_msgs_per_s: legs_msgs_per_s + other.legs_msgs_per_s)
    }
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
    /// The same for `ping` (the transport and protocol endpoint alone), when measured.
    var ping_line: Percentiles?
    var ping_websocket: Percentiles?
    var ping_paired_difference_p50_ms: Double?
    var cpu: CPUReport?
    var line_throughput: Throughput?
    var websocket_throughput: Throughput?
}

/// Round-trip times (ns) of one interleaved measurement.
struct Samples: Sendable {
    var line: [Int64] = []
    var websocket: [Int64] = []

    /// Median of (WebSocket − line) over the pairs, in ms.
    var pairedDifferenceP50: Double {
        let paired = zip(websocket, line).map { $0 - $1 }.sorted()
        return Double(paired[paired.count / 2]) / 1e6
    }
}

/// `count` sequential round trips per transport, interleaved: a line request, a WebSocket request,
/// the order alternating per pair, so drift on the machine affects both alike.
func interleave(
    _ count: Int, firstID id: inout Int, line: LineConnection, ws: inout WebSocketLink,
    request: (Int) -> String, check: (String, Int) throws -> Void
) async throws -> Samples {
    var samples = Samples()
    samples.line.reserveCapacity(count)
    samples.websocket.reserveCapacity(count)
    for pair in 0..<count {
        let text = request(id)
        for transport in (pair % 2 == 0 ? [0, 1] : [1, 0]) {
            let start = ContinuousClock.now
            if transport == 0 {
                let reply = try await line.roundTrip(text)
                samples.line.append(nanoseconds(since: start))
                try check(reply, id)
            } else {
                let reply = try await ws.roundTrip(text)
                samples.websocket.append(nanoseconds(since: start))
                try check(reply, id)
            }
        }
        id += 1
    }
    return samples
}

/// CPU time a process has used so far, in ns: the sum over its threads of /proc/PID/task/*/schedstat.
func cpuNanoseconds(pid: String) -> Int64 {
    let directory = "/proc/\(pid)/task"
    let threads = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    return threads.reduce(0) { sum, thread in
        guard let text = try? String(contentsOfFile: "\(directory)/\(thread)/schedstat", encoding: .utf8),
            let first = text.split(separator: " ").first, let value = Int64(first)
        else { return sum }
        return sum + value
    }
}

/// Voluntary context switches of a process so far: the sum over its threads of
/// `voluntary_ctxt_switches` in /proc/PID/task/*/status (a thread going to sleep, to be woken).
func voluntarySwitches(pid: String) -> Int {
    let directory = "/proc/\(pid)/task"
    let threads = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
    return threads.reduce(0) { sum, thread in
        guard let text = try? String(contentsOfFile: "\(directory)/\(thread)/status", encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("voluntary_ctxt_switches:") }),
            let value = Int(line.split(separator: "\t").last?.trimmingCharacters(in: .whitespaces) ?? "")
        else { return sum }
        return sum + value
    }
}

/// CPU µs and server thread wake-ups per request on each transport, server and client side.
struct CPUCost: Encodable {
    var requests_per_transport: Int
    var line_server_us: Double
    var websocket_server_us: Double
    var line_client_us: Double
    var websocket_client_us: Double
    var line_server_switches: Double
    var websocket_server_switches: Double
}

struct CPUReport: Encodable {
    var ping: CPUCost
    var message: CPUCost
}

/// Blocks of `count` sequential round trips on one transport at a time, in the order line, /ws,
/// /ws, line; CPU time of the server (`pid`) and of this process per request on each transport.
func cpuBlocks(
    _ count: Int, pid: Int, firstID id: inout Int, line: LineConnection, ws: inout WebSocketLink,
    request: (Int) -> String, check: (String, Int) throws -> Void
) async throws -> CPUCost {
    var server = [Int64](repeating: 0, count: 2)
    var client = [Int64](repeating: 0, count: 2)
    var switches = [0, 0]
    for transport in [0, 1, 1, 0] {
        let switchesStart = voluntarySwitches(pid: "\(pid)")
        let serverStart = cpuNanoseconds(pid: "\(pid)")
        let clientStart = cpuNanoseconds(pid: "self")
        for _ in 0..<count {
            let text = request(id)
            let reply = transport == 0 ? try await line.roundTrip(text) : try await ws.roundTrip(text)
            try check(reply, id)
            id += 1
        }
        server[transport] += cpuNanoseconds(pid: "\(pid)") - serverStart
        client[transport] += cpuNanoseconds(pid: "self") - clientStart
        switches[transport] += voluntarySwitches(pid: "\(pid)") - switchesStart
    }
    let perRequest = { (ns: Int64) in Double(ns) / Double(2 * count) / 1e3 }
    return CPUCost(
        requests_per_transport: 2 * count, line_server_us: perRequest(server[0]), websocket_server_us: perRequest(server[1]),
        line_client_us: perRequest(client[0]), websocket_client_us: perRequest(client[1]),
        line_server_switches: Double(switches[0]) / Double(2 * count),
        websocket_server_switches: Double(switches[1]) / Double(2 * count))
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
        let webTLS = {
            var configuration = TLSConfiguration.makeClientConfiguration()
            configuration.trustRoots = .certificates($0)
            return configuration
        }(try NIOSSLCertificate.fromPEMBytes(Array(caPEM.utf8)))
        let webConfiguration = WebSocketClientConfiguration(maxFrameSize: 1 << 20, sniHostname: "localhost")
        let url = "wss://\(options.host):\(options.webPort)/ws"
        let logger = {
            var logger = Logger(label: "bench-web-latency")
            logger.logLevel = .warning
            return logger
        }()

        // Latency: the WebSocket connection's handler runs the whole interleaved measurement with
        // the line connection opened inside it.
        let result = Box<(messages: Samples, pings: Samples?, cpu: CPUReport?)>()
        let failure = Box<String>()
        try await WebSocketClient.connect(
            url: url, configuration: webConfiguration, tlsConfiguration: webTLS, logger: logger
        ) { inbound, outbound, _ in
            do {
                var ws = WebSocketLink(inbound: inbound.messages(maxSize: 1 << 20).makeAsyncIterator(), outbound: outbound)
                try checkWelcome(try await ws.roundTrip(#"{"type":"hello","id":1}"#), transport: "/ws")
                try await LineClient.withConnection(host: options.host, port: options.linePort, tls: lineTLS) { line in
                    try checkWelcome(try await line.roundTrip(#"{"type":"hello","id":1}"#), transport: "line")
                    var id = 2
                    let message: (Int) -> String = { messageLine(id: $0, text: options.text) }
                    let checkMessage: (String, Int) throws -> Void = { try check($0, id: $1, route: options.route) }
                    progress("warming up, \(options.warmup) requests per transport...")
                    _ = try await interleave(
                        options.warmup, firstID: &id, line: line, ws: &ws, request: message, check: checkMessage)
                    progress("measuring \(options.requests) interleaved message round trips per transport...")
                    let messages = try await interleave(
                        options.requests, firstID: &id, line: line, ws: &ws, request: message, check: checkMessage)
                    let ping: (Int) -> String = { _ in #"{"type":"ping"}"# }
                    let checkPong: (String, Int) throws -> Void = { reply, _ in
                        guard reply.contains(#""type":"pong""#) else { throw BenchError("expected pong, got \(reply)") }
                    }
                    var pings: Samples?
                    if options.pings > 0 {
                        // The transport alone: `ping` is answered by the protocol endpoint without the
                        // assistant or the store.
                        progress("measuring \(options.pings) interleaved ping round trips per transport...")
                        pings = try await interleave(
                            options.pings, firstID: &id, line: line, ws: &ws, request: ping, check: checkPong)
                    }
                    var cpu: CPUReport?
                    if let pid = options.serverPID {
                        progress("CPU per request: blocks of \(options.cpuPings) pings and \(options.cpuMessages) messages...")
                        cpu = CPUReport(
                            ping: try await cpuBlocks(
                                options.cpuPings, pid: pid, firstID: &id, line: line, ws: &ws, request: ping, check: checkPong),
                            message: try await cpuBlocks(
                                options.cpuMessages, pid: pid, firstID: &id, line: line, ws: &ws, request: message,
                                check: checkMessage))
                    }
                    result.set((messages, pings, cpu))
                }
            } catch {
                failure.set("\(error)")
            }
        }
        if let message = failure.get() { throw BenchError(message) }
        guard let (messages, pings, cpu) = result.get() else {
            throw BenchError("the WebSocket connection ended before the measurement")
        }

        var lineThroughput: Throughput?
        var webThroughput: Throughput?
        if options.throughputSeconds > 0 {
            let lineLeg: @Sendable (ContinuousClock.Instant, Counter) async throws -> Void = { deadline, counter in
                try await LineClient.withConnection(host: options.host, port: options.linePort, tls: lineTLS) { line in
                    try checkWelcome(try await line.roundTrip(#"{"type":"hello","id":1}"#), transport: "line")
                    try await closedLoop(
                        deadline: deadline, counter: counter, text: options.text, route: options.route
                    ) { request in
                        try await line.roundTrip(request)
                    }
                }
            }
            let webLeg: @Sendable (ContinuousClock.Instant, Counter) async throws -> Void = { deadline, counter in
                try await WebSocketClient.connect(
                    url: url, configuration: webConfiguration, tlsConfiguration: webTLS, logger: logger
                ) { inbound, outbound, _ in
                    var ws = WebSocketLink(inbound: inbound.messages(maxSize: 1 << 20).makeAsyncIterator(), outbound: outbound)
                    do {
                        try checkWelcome(try await ws.roundTrip(#"{"type":"hello","id":1}"#), transport: "/ws")
                        try await closedLoop(
                            deadline: deadline, counter: counter, text: options.text, route: options.route
                        ) { request in
                            try await ws.roundTrip(request)
                        }
                    } catch {
                        counter.fail("\(error)")
                    }
                }
            }
            // Two legs of half the time per transport in the order line, /ws, /ws, line, so that a
            // trend during the run (store growth, checkpoints) weighs on both alike.
            let half = options.throughputSeconds / 2
            let connections = options.throughputConnections
            progress("throughput: \(connections) connections per transport, legs of \(half) s: line, /ws, /ws, line...")
            let line1 = try await throughput(connections: connections, seconds: half, connection: lineLeg)
            let web1 = try await throughput(connections: connections, seconds: half, connection: webLeg)
            let web2 = try await throughput(connections: connections, seconds: half, connection: webLeg)
            let line2 = try await throughput(connections: connections, seconds: half, connection: lineLeg)
            lineThroughput = line1.combined(with: line2)
            webThroughput = web1.combined(with: web2)
        }

        let report = Report(
            requests: options.requests, warmup: options.warmup, text: options.text, route: options.route,
            line: Percentiles(messages.line), websocket: Percentiles(messages.websocket),
            paired_difference_p50_ms: messages.pairedDifferenceP50,
            ping_line: pings.map { Percentiles($0.line) }, ping_websocket: pings.map { Percentiles($0.websocket) },
            ping_paired_difference_p50_ms: pings?.pairedDifferenceP50,
            cpu: cpu, line_throughput: lineThroughput, websocket_throughput: webThroughput)
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
        connections: Int, seconds: Double, connection: @escaping @Sendable (ContinuousClock.Instant, Counter) async throws -> Void
    ) async throws -> Throughput {
        let counter = Counter()
        let start = ContinuousClock.now
        let deadline = start + .milliseconds(Int64(seconds * 1000))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<connections {
                group.addTask { try await connection(deadline, counter) }
            }
            try await group.waitForAll()
        }
        let elapsed = Double(nanoseconds(since: start)) / 1e9
        if let message = counter.firstError.withLock({ $0 }) { progress("throughput error: \(message)") }
        let replies = counter.replies.load(ordering: .relaxed)
        return Throughput(
            connections: connections, seconds: elapsed, messages: replies,
            errors: counter.errors.load(ordering: .relaxed), msgs_per_s: Double(replies) / elapsed,
            legs_msgs_per_s: [Double(replies) / elapsed])
    }
}
