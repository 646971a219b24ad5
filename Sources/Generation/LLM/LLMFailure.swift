/// Why the LLM generator did not produce an answer, so it fell back to the composer. The code
/// is what goes into `GeneratedAnswer.fallbackReason` and the logs.
public struct LLMFailure: Error, CustomStringConvertible, Sendable, Equatable {
    /// The kinds of failure, as stable strings.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        public let rawValue: String
        public var description: String { rawValue }

        /// The URL could not be turned into a request.
        public static let invalidURL = Code(rawValue: "invalid_url")
        /// Connection refused, reset, DNS failure: no server there.
        public static let unreachable = Code(rawValue: "unreachable")
        /// The answer was not complete within `LLMConfiguration.timeout`.
        public static let timeout = Code(rawValue: "timeout")
        /// The server answered with a status other than 200.
        public static let httpStatus = Code(rawValue: "http_status")
        /// The body was not a chat-completion stream or response we understand, or it broke off.
        public static let badResponse = Code(rawValue: "bad_response")
        /// The server reported an error inside the stream.
        public static let serverError = Code(rawValue: "server_error")
        /// `maxConcurrent` requests were already in flight.
        public static let busy = Code(rawValue: "busy")
        /// The circuit breaker is open after repeated failures.
        public static let circuitOpen = Code(rawValue: "circuit_open")
        /// The model answered with nothing.
        public static let empty = Code(rawValue: "empty")
        /// The answer cites no source.
        public static let noCitation = Code(rawValue: "no_citation")
        /// The answer cites a source number that was not given.
        public static let invalidCitation = Code(rawValue: "invalid_citation")
        /// The answer repeats the prompt (its block tags or instructions).
        public static let promptEcho = Code(rawValue: "prompt_echo")
        /// The answer hit `maxTokens` or `maxResponseBytes` and was cut off.
        public static let truncated = Code(rawValue: "truncated")
        /// The caller went away (its task was cancelled).
        public static let cancelled = Code(rawValue: "cancelled")

        /// Failures that say the endpoint is unhealthy; these feed the circuit breaker.
        public var isInfrastructure: Bool {
            [.unreachable, .timeout, .httpStatus, .badResponse, .serverError, .invalidURL].contains(self)
        }
    }

    public let code: Code
    /// What happened, for logs; never contains customer or FAQ text.
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "LLM generation failed (\(code)): \(message)" }
}
