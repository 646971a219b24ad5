import ArgumentParser
import WebChannel

/// `serve`'s web channel flags: where it listens, which other sites may embed the widget, where
/// its pages come from, whether visitors may register.
struct WebOptions: ParsableArguments {
    @Option(
        help:
            "Also serve the web channel (HTTPS with the server's certificate): /ws, the widget at /widget.js with a demo at /, the agent inbox at /agent, analytics at /admin. HOST:PORT, e.g. 127.0.0.1:8443. Default: off."
    )
    var web: String?

    @Option(
        name: .customLong("web-origin"),
        help:
            "A site allowed to embed the widget (its pages may open /ws), e.g. https://shop.example.com; repeat for more. The web channel's own origin is always allowed."
    )
    var origins: [String] = []

    @Option(help: "Serve the web pages from this folder instead of the copy installed with the binary.")
    var webAssets: String?

    @Flag(help: "Do not let the widget register anonymous visitors (then every page must bring its own customer token).")
    var noWebVisitors = false

    func validate() throws {
        if let web { _ = try ListenAddress(web) }
        for origin in origins where WebConfiguration.origin(origin) == nil {
            throw ValidationError("--web-origin '\(origin)' is not an origin; give scheme and host, e.g. https://shop.example.com")
        }
        if web == nil, !origins.isEmpty || webAssets != nil || noWebVisitors {
            throw ValidationError("--web-origin, --web-assets and --no-web-visitors need --web HOST:PORT")
        }
    }

    /// The web channel's configuration, or nil when `--web` is not given.
    func configuration() throws -> WebConfiguration? {
        guard let web else { return nil }
        let address = try ListenAddress(web)
        return WebConfiguration(
            host: address.host, port: address.port, allowedOrigins: origins, allowVisitors: !noWebVisitors,
            assetsDirectory: webAssets)
    }
}
