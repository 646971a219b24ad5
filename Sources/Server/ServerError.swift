/// Why the server could not start or serve: bad TLS material, a port in use, an unsafe
/// configuration. Operators see `description`, which says what to do.
public struct ServerError: Error, Sendable, CustomStringConvertible {
    /// The kinds of failure. A closed set of documented values behind static members.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Kind: String, Sendable, Hashable {
            case tlsMaterial = "tls_material"
            case bind
            case unsafeConfiguration = "unsafe_configuration"
            case certificateGeneration = "certificate_generation"
        }

        private let kind: Kind
        private init(_ kind: Kind) { self.kind = kind }

        /// The certificate or key cannot be read or used.
        public static let tlsMaterial = Code(.tlsMaterial)
        /// The listening address cannot be bound.
        public static let bind = Code(.bind)
        /// The configuration would be unsafe to serve with.
        public static let unsafeConfiguration = Code(.unsafeConfiguration)
        /// A development certificate could not be made.
        public static let certificateGeneration = Code(.certificateGeneration)

        /// The code as logs spell it.
        public var rawValue: String { kind.rawValue }
        public var description: String { kind.rawValue }
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
