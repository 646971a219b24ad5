/// An error answered on the wire (`{"type":"error","code":…}` or a text-mode `error:` line).
/// Every failure of a request maps to exactly one of these, in one place
/// (`ConnectionSession.send(_:)`), so clients see the same codes whatever went wrong inside.
public struct ProtocolError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The protocol's error codes (protocol.md, "Errors").
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        public let rawValue: String
        private init(_ rawValue: String) { self.rawValue = rawValue }

        public static let badJSON = Code("bad_json")
        public static let badEncoding = Code("bad_encoding")
        public static let unknownType = Code("unknown_type")
        public static let missingField = Code("missing_field")
        public static let invalidField = Code("invalid_field")
        public static let unauthorized = Code("unauthorized")
        public static let notFound = Code("not_found")
        public static let lineTooLong = Code("line_too_long")
        public static let rateLimited = Code("rate_limited")
        public static let busy = Code("busy")
        public static let unavailable = Code("unavailable")
        public static let `internal` = Code("internal")

        public var description: String { rawValue }
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(message) (\(code))" }

    static func missing(_ field: String) -> ProtocolError {
        ProtocolError(.missingField, "field '\(field)' is required")
    }

    static func invalid(_ field: String, _ expectation: String) -> ProtocolError {
        ProtocolError(.invalidField, "field '\(field)' must be \(expectation)")
    }

    static let conversationNotFound = ProtocolError(.notFound, "no such conversation")
}
