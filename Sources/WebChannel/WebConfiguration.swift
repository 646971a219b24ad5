import Foundation

/// Everything the web channel (`serve --web`) can be told. Every field has a documented default;
/// limits, TLS material and the server name come from the line server's `ServerConfiguration`,
/// so `/ws` promises exactly what the line protocol promises.
public struct WebConfiguration: Sendable {
    /// Address to bind. Default `127.0.0.1`.
    public var host: String
    /// Port to bind; 0 picks an ephemeral port (tests). Default 8443.
    public var port: Int
    /// Origins, besides the page's own, whose pages may open `/ws` and register visitors
    /// (`https://shop.example.com`, normalised by `WebConfiguration.origin(_:)`). Default none:
    /// same origin only. Requests without an `Origin` header (not from a browser) are allowed.
    public var allowedOrigins: [String]
    /// Whether the widget may register an anonymous customer per visitor (`POST /api/visitors`).
    /// Default true.
    public var allowVisitors: Bool
    /// Visitors one address may register per minute. Default 10.
    public var visitorsPerMinute: Double
    /// A keep-alive HTTP connection with no request for this long is closed. Default 60 s.
    public var httpIdleTimeout: Duration
    /// A folder to serve the pages from instead of the copy built into the binary's resource
    /// bundle (the same file names). Default nil.
    public var assetsDirectory: String?

    /// The default port, 8443.
    public static let defaultPort = 8443

    public init(
        host: String = "127.0.0.1", port: Int = WebConfiguration.defaultPort, allowedOrigins: [String] = [],
        allowVisitors: Bool = true, visitorsPerMinute: Double = 10, httpIdleTimeout: Duration = .seconds(60),
        assetsDirectory: String? = nil
    ) {
        self.host = host
        self.port = port
        self.allowedOrigins = allowedOrigins
        self.allowVisitors = allowVisitors
        self.visitorsPerMinute = visitorsPerMinute
        self.httpIdleTimeout = httpIdleTimeout
        self.assetsDirectory = assetsDirectory
    }

    /// An origin as browsers send it (`scheme://host[:port]`, lower case, no default port, no
    /// path), or nil when `text` is not one: `http` or `https`, a host, nothing after the port.
    public static func origin(_ text: String) -> String? {
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
            scheme == "https" || scheme == "http", let host = components.host?.lowercased(), !host.isEmpty,
            components.path.isEmpty || components.path == "/", components.query == nil, components.fragment == nil,
            components.user == nil
        else { return nil }
        let defaultPort = scheme == "https" ? 443 : 80
        if let port = components.port, port != defaultPort {
            return "\(scheme)://\(host):\(port)"
        }
        return "\(scheme)://\(host)"
    }
}
