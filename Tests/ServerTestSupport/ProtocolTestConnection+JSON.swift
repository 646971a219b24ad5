import Foundation

extension ProtocolTestConnection {
    /// Sends one JSON request and returns the next non-delta response as a dictionary.
    public func request(_ object: [String: Any]) async throws -> [String: Any] {
        try await send(String(decoding: JSONSerialization.data(withJSONObject: object), as: UTF8.self))
        return try await response()
    }

    /// The next JSON response (or push) that is not a `delta`.
    public func response() async throws -> [String: Any] {
        while let line = try await readLine() {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            if object["type"] as? String != "delta" { return object }
        }
        throw HarnessError("connection closed before a response")
    }

    /// Reads text-mode lines up to (not including) the empty line that ends an answer.
    public func textAnswer() async throws -> [String] {
        var lines: [String] = []
        while let line = try await readLine() {
            if line.isEmpty { return lines }
            lines.append(line)
        }
        throw HarnessError("connection closed in the middle of an answer: \(lines)")
    }
}
