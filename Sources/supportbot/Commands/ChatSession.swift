import Foundation
import Server

/// The interactive side of `supportbot chat`: a prompt, coloured answers with their sources,
/// and slash commands. Speaks JSON mode to the server.
final class ChatSession {
    private let connection: LineConnection
    private let token: String?
    private var conversation: String?
    private var lastBotMessage: String?
    private var nextID = 0

    init(connection: LineConnection, token: String?) {
        self.connection = connection
        self.token = token
    }

    func run() async throws {
        var hello: [String: Any] = ["type": "hello", "client": "supportbot chat"]
        if let token { hello["token"] = token }
        guard let welcome = try await request(hello) else { return }
        Terminal.output(
            Terminal.paint(
                "Connected to \(welcome["server"] ?? "server") as \(welcome["client"] ?? "local"). Type /help for commands.", "2"))
        prompt()
        for await line in StandardInput.lines() {
            let text = line.trimmingCharacters(in: .whitespaces)
            if text.isEmpty {
                prompt()
                continue
            }
            if text.hasPrefix("/") {
                if try await command(text) == false { return }
            } else if let reply = try await request(["type": "message", "text": text]) {
                if reply["type"] as? String == "reply" { show(reply) }
            } else {
                return
            }
            prompt()
        }
    }

    private func prompt() {
        FileHandle.standardOutput.write(Data(Terminal.paint("you> ", "1;36").utf8))
    }

    private func show(_ reply: [String: Any]) {
        conversation = reply["conversation"] as? String ?? conversation
        lastBotMessage = reply["message"] as? String
        let route = reply["route"] as? String ?? "?"
        let intent = (reply["intent"] as? [String: Any])?["name"] as? String ?? "?"
        let confidence = (reply["intent"] as? [String: Any])?["confidence"] as? Double ?? 0
        Terminal.output(Terminal.paint("bot> ", "1;32") + (reply["text"] as? String ?? ""))
        for (index, source) in ((reply["sources"] as? [[String: Any]]) ?? []).enumerated() {
            Terminal.output(Terminal.paint("     [\(index + 1)] \(source["title"] ?? "") (\(source["file"] ?? ""))", "2"))
        }
        for (index, option) in ((reply["options"] as? [String]) ?? []).enumerated() {
            Terminal.output("     \(index + 1). \(option)")
        }
        Terminal.output(Terminal.paint(String(format: "     route %@ · intent %@ %.2f", route, intent, confidence), "2"))
    }

    /// Returns false when the session should end.
    private func command(_ text: String) async throws -> Bool {
        let parts = text.split(separator: " ", maxSplits: 1).map(String.init)
        let argument = parts.count > 1 ? parts[1] : ""
        switch parts[0] {
        case "/quit", "/exit":
            return false
        case "/new":
            if let started = try await request(["type": "start"]), started["type"] as? String == "started" {
                conversation = started["conversation"] as? String
                Terminal.output(Terminal.paint("Started conversation \(conversation ?? "?").", "2"))
            }
        case "/history":
            guard let conversation else {
                Terminal.output("No conversation yet.")
                return true
            }
            if let history = try await request(["type": "history", "conversation": conversation]) {
                for message in (history["messages"] as? [[String: Any]]) ?? [] {
                    Terminal.output("\(message["role"] ?? "?"): \(message["text"] ?? "")")
                }
            }
        case "/export":
            guard let conversation else {
                Terminal.output("No conversation yet.")
                return true
            }
            let format = argument.isEmpty ? "markdown" : argument
            if let export = try await request(["type": "export", "conversation": conversation, "format": format]) {
                Terminal.output(export["content"] as? String ?? "")
            }
        case "/up", "/down":
            guard let lastBotMessage else {
                Terminal.output("Nothing to rate yet.")
                return true
            }
            var feedback: [String: Any] = ["type": "feedback", "message": lastBotMessage, "rating": String(parts[0].dropFirst())]
            if !argument.isEmpty { feedback["comment"] = argument }
            if let response = try await request(feedback), response["type"] as? String == "ok" {
                Terminal.output(Terminal.paint("Thanks for the feedback.", "2"))
            }
        default:
            Terminal.output("Commands: /new, /history, /export markdown|json|jsonl|csv, /up, /down [comment], /quit")
        }
        return true
    }

    /// Sends a request and returns its final response, printing deltas as they stream and
    /// errors in red. Nil when the server closed the connection.
    private func request(_ fields: [String: Any]) async throws -> [String: Any]? {
        nextID += 1
        var fields = fields
        fields["id"] = nextID
        let data = try JSONSerialization.data(withJSONObject: fields)
        try await connection.send(String(decoding: data, as: UTF8.self))
        while let line = try await connection.readLine() {
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { continue }
            switch object["type"] as? String {
            case "delta":
                continue
            case "bye":
                Terminal.output(Terminal.paint("Server closed the connection (\(object["reason"] ?? "bye")).", "33"))
                return nil
            case "error":
                Terminal.output(Terminal.paint("error: \(object["message"] ?? "") (\(object["code"] ?? ""))", "31"))
                return object
            default:
                return object
            }
        }
        Terminal.output(Terminal.paint("The server closed the connection.", "33"))
        return nil
    }
}
