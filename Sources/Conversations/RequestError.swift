/// An error answered to a request, in any channel (`{"type":"error","code":…}` on the line
/// protocol and the WebSocket, an `error:` line in text mode). Every failure of a request maps
/// to exactly one of these, so clients see the same codes whatever went wrong inside.
public struct RequestError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The protocol's error codes (docs/protocol.md, "Errors").
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Kind: String, Sendable, Hashable {
            case badJSON = "bad_json"
            case badEncoding = "bad_encoding"
            case unknownType = "unknown_type"
            case missingField = "missing_field"
            case invalidField = "invalid_field"
            case unauthorized
            case notFound = "not_found"
            case lineTooLong = "line_too_long"
            case rateLimited = "rate_limited"
            case busy
            case unavailable
            case `internal`
        }

        private let kind: Kind
        private init(_ kind: Kind) { self.kind = kind }

        /// The line is not a JSON object.
        public static let badJSON = Code(.badJSON)
        /// The line is not valid UTF-8.
        public static let badEncoding = Code(.badEncoding)
        /// The request `type` is not one the protocol knows.
        public static let unknownType = Code(.unknownType)
        /// A required field is absent.
        public static let missingField = Code(.missingField)
        /// A field has the wrong type or value, or the request does not fit the conversation's state.
        public static let invalidField = Code(.invalidField)
        /// No or a bad token, or a request the client's role may not make.
        public static let unauthorized = Code(.unauthorized)
        /// No such conversation or message (also for another client's).
        public static let notFound = Code(.notFound)
        /// A line longer than the limit; the connection closes.
        public static let lineTooLong = Code(.lineTooLong)
        /// Too many requests; slow down.
        public static let rateLimited = Code(.rateLimited)
        /// The server is at its connection limit.
        public static let busy = Code(.busy)
        /// The conversation store failed; try again shortly.
        public static let unavailable = Code(.unavailable)
        /// A bug on the server's side.
        public static let `internal` = Code(.internal)

        /// The code as the wire spells it, e.g. `not_found`.
        public var rawValue: String { kind.rawValue }
        public var description: String { kind.rawValue }
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(message) (\(code))" }

    /// `missing_field` for a required field.
    public static func missing(_ field: String) -> RequestError {
        RequestError(.missingField, "field '\(field)' is required")
    }

    /// `invalid_field` for a field that is not what it must be.
    public static func invalid(_ field: String, _ expectation: String) -> RequestError {
        RequestError(.invalidField, "field '\(field)' must be \(expectation)")
    }

    /// `not_found` for a conversation that does not exist or is not the client's.
    public static let conversationNotFound = RequestError(.notFound, "no such conversation")
}
