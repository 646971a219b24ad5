import HTTPTypes

/// Which pages may use the web channel's APIs from a browser: their own origin (the demo, inbox
/// and analytics pages) and the configured allow-list (sites embedding the widget). A request
/// without `Origin` does not come from a page and is allowed; `Origin: null` is refused.
struct OriginPolicy: Sendable {
    let allowed: Set<String>

    init(allowedOrigins: [String]) throws(WebError) {
        var allowed = Set<String>()
        for text in allowedOrigins {
            guard let origin = WebConfiguration.origin(text) else {
                throw WebError(
                    .invalidOrigin,
                    "--web-origin '\(text)' is not an origin; give scheme and host, e.g. https://shop.example.com or https://localhost:8443"
                )
            }
            allowed.insert(origin)
        }
        self.allowed = allowed
    }

    /// Whether a request with these headers may proceed. Browsers send one `Origin`, the page's
    /// (`http`/`https`, or `null`); a `ws`/`wss` value comes from a non-browser WebSocket client
    /// naming the server it dials, and counts as no origin.
    func allows(_ request: HTTPRequest) -> Bool {
        let pageOrigins = request.headerFields[values: .origin].filter { value in
            let lowered = value.lowercased()
            return !lowered.hasPrefix("ws://") && !lowered.hasPrefix("wss://")
        }
        guard let origin = pageOrigins.first else { return true }
        guard pageOrigins.count == 1, let normalised = WebConfiguration.origin(origin) else { return false }
        if allowed.contains(normalised) { return true }
        guard let authority = request.authority else { return false }
        return normalised == WebConfiguration.origin("https://\(authority)")
    }
}
