/// Why the web channel cannot start, with what to do about it.
public struct WebError: Error, CustomStringConvertible, Sendable {
    /// What went wrong, for tests and logs.
    public enum Code: String, Sendable {
        /// The pages (widget, inbox, analytics) are not where the binary expects them.
        case assetsMissing = "assets_missing"
        /// An `--web-origin` is not an origin.
        case invalidOrigin = "invalid_origin"
        /// The certificate or key cannot be used.
        case tlsMaterial = "tls_material"
        /// The address cannot be bound.
        case bind
    }

    public let code: Code
    public let message: String

    public init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "\(message) (\(code.rawValue))" }
}
