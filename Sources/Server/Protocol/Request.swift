import Conversations
import Foundation
import SupportCore

/// A validated JSON-mode request. Parsing checks every field the protocol defines, so the
/// handlers below work with typed values only.
package enum Request: Sendable {
    case hello(token: String?, client: String?)
    case start(conversation: ConversationID?, metadata: String?)
    case message(conversation: ConversationID?, text: String)
    case history(conversation: ConversationID)
    case export(conversation: ConversationID, format: ExportFormat, redact: Bool, guardFormulas: Bool)
    case feedback(message: MessageID, rating: Rating, comment: String?)
    case end(conversation: ConversationID)
    case ping
    /// Agents only: the handoff queue.
    case queue
    /// Agents only: read a conversation and receive its customer's messages from now on.
    case join(conversation: ConversationID)
    /// Agents only: write into a conversation as a person.
    case agentMessage(conversation: ConversationID, text: String)

    var typeName: String {
        switch self {
        case .hello: "hello"
        case .start: "start"
        case .message: "message"
        case .history: "history"
        case .export: "export"
        case .feedback: "feedback"
        case .end: "end"
        case .ping: "ping"
        case .queue: "queue"
        case .join: "join"
        case .agentMessage: "agent_message"
        }
    }
}

/// A request's `id` (a string or a number), echoed in every response to it exactly as the
/// client wrote it.
package struct RequestID: Sendable, Equatable {
    /// The id's JSON source text.
    let jsonText: String
}

extension JSONValue {
    /// Strings and numbers may be request ids.
    fileprivate var isScalarID: Bool {
        switch self {
        case .string, .integer, .number: true
        default: false
        }
    }
}

/// Turns one JSON line into a request, or the precise protocol error it deserves.
package struct RequestParser {
    let maxMessageLength: Int

    /// A parser that refuses message texts longer than `maxMessageLength` characters.
    package init(maxMessageLength: Int) {
        self.maxMessageLength = maxMessageLength
    }

    /// Parses `line` as strict JSON; see `parse(_:)` on bytes.
    func parse(_ line: String) -> (id: RequestID?, result: Result<Request, RequestError>) {
        parse(Array(line.utf8))
    }

    /// Parses `line` (valid UTF-8) as strict JSON (`StrictJSONReader`); on failure returns the
    /// error and whatever `id` could be recovered.
    package func parse(_ line: [UInt8]) -> (id: RequestID?, result: Result<Request, RequestError>) {
        let document: StrictJSONReader.Document
        do {
            document = try StrictJSONReader.read(line)
        } catch {
            return (nil, .failure(RequestError(.badJSON, "the line is not valid JSON: \(error.message) at byte \(error.offset)")))
        }
        guard case .object(let fields) = document.value else {
            return (nil, .failure(RequestError(.badJSON, "expected a JSON object, got \(document.value.typeName)")))
        }
        var id: RequestID?
        switch fields["id"] {
        case nil, .null?: id = nil
        case let value? where value.isScalarID: id = RequestID(jsonText: document.idText ?? value.jsonText)
        case let other?:
            return (nil, .failure(.invalid("id", "a string or a number, not \(other.typeName)")))
        }
        return (id, Result { try request(fields) }.mapError { $0 as! RequestError })
    }

    private func request(_ fields: [String: JSONValue]) throws(RequestError) -> Request {
        let type = try requiredString(fields, "type")
        switch type {
        case "hello":
            return .hello(token: try optionalString(fields, "token"), client: try optionalString(fields, "client"))
        case "start":
            let metadata: String?
            switch fields["metadata"] {
            case nil, .null?: metadata = nil
            case .object(let object)?: metadata = JSONValue.object(object).jsonText
            case let other?: throw .invalid("metadata", "an object, not \(other.typeName)")
            }
            return .start(conversation: try optionalID(fields, "conversation"), metadata: metadata)
        case "message":
            let text = try messageText(fields)
            return .message(conversation: try optionalID(fields, "conversation"), text: text)
        case "history":
            return .history(conversation: try requiredID(fields, "conversation"))
        case "export":
            let formatName = try requiredString(fields, "format")
            guard let format = ExportFormat(rawValue: formatName) else {
                throw .invalid("format", "one of json, jsonl, markdown, csv")
            }
            return .export(
                conversation: try requiredID(fields, "conversation"), format: format,
                redact: try optionalBool(fields, "redact"), guardFormulas: try optionalBool(fields, "guard_formulas"))
        case "feedback":
            let ratingName = try requiredString(fields, "rating")
            guard let rating = Rating(rawValue: ratingName) else {
                throw .invalid("rating", "\"up\" or \"down\"")
            }
            return .feedback(
                message: try requiredID(fields, "message"), rating: rating, comment: try optionalString(fields, "comment")
            )
        case "end":
            return .end(conversation: try requiredID(fields, "conversation"))
        case "ping":
            return .ping
        case "queue":
            return .queue
        case "join":
            return .join(conversation: try requiredID(fields, "conversation"))
        case "agent_message":
            let text = try messageText(fields)
            return .agentMessage(conversation: try requiredID(fields, "conversation"), text: text)
        default:
            throw RequestError(
                .unknownType,
                "unknown request type '\(type)'; known: hello, start, message, history, export, feedback, end, ping, queue, join, agent_message"
            )
        }
    }

    /// A message's `text`: 1 to `maxMessageLength` characters, not only whitespace.
    private func messageText(_ fields: [String: JSONValue]) throws(RequestError) -> String {
        let text = try requiredString(fields, "text")
        let length = text.count
        guard length >= 1, !text.allSatisfy(\.isWhitespace) else {
            throw .invalid("text", "a non-empty string")
        }
        guard length <= maxMessageLength else {
            throw .invalid("text", "at most \(maxMessageLength) characters (got \(length))")
        }
        return text
    }

    private func requiredString(_ fields: [String: JSONValue], _ name: String) throws(RequestError) -> String {
        guard let value = try optionalString(fields, name) else { throw .missing(name) }
        return value
    }

    private func optionalString(_ fields: [String: JSONValue], _ name: String) throws(RequestError) -> String? {
        switch fields[name] {
        case nil, .null?: return nil
        case .string(let value)?: return value
        case let other?: throw .invalid(name, "a string, not \(other.typeName)")
        }
    }

    /// A boolean field; absent or null is false.
    private func optionalBool(_ fields: [String: JSONValue], _ name: String) throws(RequestError) -> Bool {
        switch fields[name] {
        case nil, .null?: return false
        case .bool(let flag)?: return flag
        case let other?: throw .invalid(name, "a boolean, not \(other.typeName)")
        }
    }

    private func requiredID(_ fields: [String: JSONValue], _ name: String) throws(RequestError) -> RecordID {
        guard let id = try optionalID(fields, name) else { throw .missing(name) }
        return id
    }

    /// Ids are 32 lowercase hex digits; anything else cannot exist, so it is `not_found` for
    /// conversations and messages alike (never revealing whether an id exists).
    private func optionalID(_ fields: [String: JSONValue], _ name: String) throws(RequestError) -> RecordID? {
        guard let text = try optionalString(fields, name) else { return nil }
        guard let id = RecordID(rawValue: text) else {
            throw RequestError(.notFound, "no such \(name)")
        }
        return id
    }
}
