/// Why the server could not start or serve: bad TLS material, a port in use, an unsafe
/// configuration. Operators see `description`, which says what to do.
public struct ServerError: Error, Sendable, CustomStringConvertible {
    public enum Code: String, Sendable {
        case tlsMaterial, bind, unsafeConfiguration, certificateGeneration
    }

    public var code: Code
    public var message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { message }
}
