import HTTPTypes
import Hummingbird

/// Adds the headers every response of the web channel carries: a Content Security Policy with
/// no inline script or style, no framing, no referrer, no MIME sniffing, HSTS. The widget's
/// script and style sheet may be loaded by other sites (`Cross-Origin-Resource-Policy:
/// cross-origin`); everything else is same-origin.
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    static var contentSecurityPolicy: String {
        [
            "default-src 'none'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "connect-src 'self'",
            "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'",
        ].joined(separator: "; ")
    }
    static var crossOriginPaths: Set<String> { ["/widget.js", "/widget.css"] }

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws
        -> Response
    {
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        }
        let headers: [(HTTPField.Name, String)] = [
            (.contentSecurityPolicy, Self.contentSecurityPolicy),
            (.xContentTypeOptions, "nosniff"),
            (.referrerPolicy, "no-referrer"),
            (.strictTransportSecurity, "max-age=31536000"),
            (.xFrameOptions, "DENY"),
            (.crossOriginOpenerPolicy, "same-origin"),
            (.permissionsPolicy, "camera=(), microphone=(), geolocation=(), payment=()"),
            (
                .crossOriginResourcePolicy,
                Self.crossOriginPaths.contains(request.uri.path) ? "cross-origin" : "same-origin"
            ),
        ]
        for (name, value) in headers where response.headers[name] == nil {
            response.headers[name] = value
        }
        return response
    }
}

extension HTTPField.Name {
    static let xContentTypeOptions = HTTPField.Name("X-Content-Type-Options")!
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    static let xFrameOptions = HTTPField.Name("X-Frame-Options")!
    static let crossOriginOpenerPolicy = HTTPField.Name("Cross-Origin-Opener-Policy")!
    static let permissionsPolicy = HTTPField.Name("Permissions-Policy")!
}
