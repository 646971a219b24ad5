import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A real HTTP/1.1 server on 127.0.0.1 (ephemeral port) that answers each connection with a
/// scripted response: recorded chat-completion bytes sent in their recorded pieces, pauses,
/// a stall, or an abrupt close. It stands in for an external LLM server whose failures the
/// generator must survive; it records each request so tests can check what was sent.
final class ScriptedHTTPServer: Sendable {
    enum Step: Sendable {
        /// Writes the bytes as one HTTP chunk.
        case chunk([UInt8])
        /// Waits before the next step.
        case pause(Duration)
        /// Waits (up to 30 s) until the client gives up and closes the connection.
        case stall
        /// Closes the connection at once, without ending the chunked body.
        case abort
    }

    /// The response to one connection.
    struct Plan: Sendable {
        var status: Int
        var contentType: String
        var steps: [Step]
    }

    struct ServerSetupError: Error, CustomStringConvertible {
        let description: String
    }

    let port: Int
    private let listener: Int32
    private let requests = RequestLog()
    private let stopped = Mutex(false)

    /// Starts listening; `respond(connectionIndex)` gives each connection's response.
    init(respond: @escaping @Sendable (Int) -> Plan) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ServerSetupError(description: "socket() failed: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        guard bound, listen(fd, 64) == 0 else {
            close(fd)
            throw ServerSetupError(description: "bind/listen on 127.0.0.1 failed: errno \(errno)")
        }
        self.listener = fd
        self.port = Int(UInt16(bigEndian: address.sin_port))
        let requests = self.requests
        Thread.detachNewThread {
            var index = 0
            while true {
                let connection = accept(fd, nil, nil)
                guard connection >= 0 else {
                    // Only this thread closes the listener, after stop() shut it down.
                    close(fd)
                    return
                }
                let plan = respond(index)
                index += 1
                Thread.detachNewThread {
                    Self.serve(connection, plan: plan, requests: requests)
                }
            }
        }
    }

    /// The raw requests received so far (head and body), in arrival order.
    var receivedRequests: [String] { requests.all }

    /// Stops accepting connections (the accept thread then closes the socket).
    func stop() {
        let first = stopped.withLock { stopped in
            defer { stopped = true }
            return !stopped
        }
        if first { shutdown(listener, Int32(SHUT_RDWR)) }
    }

    deinit { stop() }

    /// A port on 127.0.0.1 with nothing listening: bound to learn a free number, then closed.
    static func closedPort() throws -> Int {
        let server = try ScriptedHTTPServer { _ in Plan(status: 200, contentType: "text/plain", steps: []) }
        let port = server.port
        server.stop()
        return port
    }

    private static func serve(_ fd: Int32, plan: Plan, requests: RequestLog) {
        defer { close(fd) }
        guard let request = readRequest(fd) else { return }
        requests.append(request)
        let reason = plan.status == 200 ? "OK" : "Error"
        let head =
            "HTTP/1.1 \(plan.status) \(reason)\r\nContent-Type: \(plan.contentType)\r\n"
            + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
        guard write(fd, Array(head.utf8)) else { return }
        for step in plan.steps {
            switch step {
            case .chunk(let bytes):
                guard write(fd, Array(String(bytes.count, radix: 16).utf8) + [13, 10] + bytes + [13, 10]) else { return }
            case .pause(let duration):
                Thread.sleep(forTimeInterval: Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
            case .stall:
                var pollDescriptor = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
                _ = poll(&pollDescriptor, 1, 30_000)
                return
            case .abort:
                var lingerOption = linger(l_onoff: 1, l_linger: 0)
                setsockopt(fd, SOL_SOCKET, SO_LINGER, &lingerOption, socklen_t(MemoryLayout<linger>.size))
                return
            }
        }
        _ = write(fd, Array("0\r\n\r\n".utf8))
    }

    /// Reads the request head and a `Content-Length` body.
    private static func readRequest(_ fd: Int32) -> String? {
        var data: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        var expected: Int?
        while expected.map({ data.count < $0 }) ?? true {
            let count = recv(fd, &buffer, buffer.count, 0)
            guard count > 0 else { return nil }
            data += buffer[0..<count]
            if expected == nil, let end = data.firstRange(of: [13, 10, 13, 10]) {
                let head = String(decoding: data[..<end.lowerBound], as: UTF8.self).lowercased()
                let length =
                    head.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                    .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
                expected = end.upperBound + length
            }
        }
        return String(decoding: data, as: UTF8.self)
    }

    private static func write(_ fd: Int32, _ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { return false }
            offset += sent
        }
        return true
    }
}

/// The requests a scripted server received, shared with its connection threads.
final class RequestLog: Sendable {
    private let requests = Mutex<[String]>([])
    var all: [String] { requests.withLock { $0 } }
    func append(_ request: String) { requests.withLock { $0.append(request) } }
}
