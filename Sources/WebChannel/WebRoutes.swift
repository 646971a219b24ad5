import Conversations
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import SupportCore

/// The web channel's HTTP routes: the pages and scripts, `/ws` when it is not a WebSocket
/// upgrade (403 for a refused origin, else 426), visitor registration and the analytics API.
/// Errors are JSON `{"error": {"code", "message"}}` with the line protocol's codes.
struct WebRoutes: Sendable {
    let assets: WebAssets
    let origins: OriginPolicy
    let service: ConversationService
    let analytics: AnalyticsReporter?
    /// nil when visitors may not register (`WebConfiguration.allowVisitors`).
    let visitors: AddressRateLimiter?
    let logger: Logger

    func router() -> Router<WebRequestContext> {
        let router = Router(context: WebRequestContext.self)
        router.middlewares.add(SecurityHeadersMiddleware())
        for path in assets.byPath.keys {
            router.get(RouterPath(path)) { request, _ in self.asset(path, request: request) }
            router.head(RouterPath(path)) { request, _ in
                var response = self.asset(path, request: request)
                response.body = .init()
                return response
            }
        }
        router.get("/ws") { request, _ in
            guard origins.allows(request.head) else {
                return Self.error(.forbidden, "forbidden", "this page's origin may not use the chat; add it with --web-origin")
            }
            return Self.error(.upgradeRequired, "upgrade_required", "connect with a WebSocket client to wss://HOST/ws")
        }
        router.get("/healthz") { _, _ in Self.json(.ok, #"{"status":"ok"}"#) }
        router.post("/api/visitors") { request, context in
            var response = try await self.registerVisitor(request, context: context)
            self.allowCrossOrigin(request, &response)
            return response
        }
        router.on("/api/visitors", method: .options) { request, _ in
            // The CORS preflight a browser may send before registering from an allowed site.
            var response = Response(status: .noContent)
            if origins.allows(request.head) {
                self.allowCrossOrigin(request, &response)
                response.headers[.accessControlAllowMethods] = "POST"
                response.headers[.accessControlMaxAge] = "600"
            }
            return response
        }
        router.get("/api/report") { request, context in try await self.report(request, context: context) }
        return router
    }

    private func asset(_ path: String, request: Request) -> Response {
        guard let asset = assets.byPath[path] else { return Self.error(.notFound, "not_found", "no such page") }
        var headers = HTTPFields()
        headers[.contentType] = asset.contentType
        headers[.eTag] = asset.etag
        headers[.cacheControl] = "no-cache"
        if request.headers[.ifNoneMatch] == asset.etag {
            return Response(status: .notModified, headers: headers)
        }
        headers[.contentLength] = "\(asset.body.readableBytes)"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: asset.body))
    }

    /// Lets a page from an allowed origin read the response (CORS): the widget on a customer's
    /// site registers its visitor from there.
    private func allowCrossOrigin(_ request: Request, _ response: inout Response) {
        response.headers[.vary] = "Origin"
        guard let origin = request.headers[.origin], origins.allows(request.head) else { return }
        response.headers[.accessControlAllowOrigin] = origin
    }

    /// `POST /api/visitors`: a customer token for one anonymous widget visitor.
    private func registerVisitor(_ request: Request, context: WebRequestContext) async throws -> Response {
        guard origins.allows(request.head) else {
            return Self.error(.forbidden, "forbidden", "this page's origin may not use the chat; add it with --web-origin")
        }
        guard let visitors else {
            return Self.error(
                .forbidden, "forbidden", "this server does not register web visitors; the site must pass a customer token")
        }
        guard visitors.take(context.peerAddress) else {
            logger.notice("web.visitor.rate_limited", metadata: ["connection.peer": "\(context.peerAddress)"])
            return Self.error(.tooManyRequests, "rate_limited", "too many new visitors from this address; try again in a minute")
        }
        do {
            let (name, token) = try await service.registerVisitor(logger: logger)
            var object = JSONObjectText()
            object.field("client", name)
            object.field("token", token)
            return Self.json(.created, object.text)
        } catch {
            return Self.error(.serviceUnavailable, error.code.rawValue, error.message)
        }
    }

    /// `GET /api/report?days=N` with `Authorization: Bearer ADMIN_TOKEN`: the report's JSON.
    private func report(_ request: Request, context: WebRequestContext) async throws -> Response {
        let header = request.headers[.authorization] ?? ""
        guard header.hasPrefix("Bearer "), case let token = String(header.dropFirst(7)), !token.isEmpty else {
            return Self.error(.unauthorized, "unauthorized", "send an admin token as 'Authorization: Bearer TOKEN'")
        }
        let client: Client?
        do {
            client = try await service.client(forToken: token, logger: logger)
        } catch {
            return Self.error(.serviceUnavailable, error.code.rawValue, error.message)
        }
        guard let client else {
            logger.notice("web.admin.refused", metadata: ["connection.peer": "\(context.peerAddress)"])
            return Self.error(.unauthorized, "unauthorized", "unknown or revoked token")
        }
        guard client.role == .admin else {
            return Self.error(
                .forbidden, "forbidden", "the analytics need an admin token (supportbot token create NAME --role admin)")
        }
        guard let analytics else {
            return Self.error(.serviceUnavailable, "unavailable", "analytics are not available on this server")
        }
        let days = request.uri.queryParameters.get("days", as: Int.self) ?? 30
        guard (1...3_660).contains(days) else {
            return Self.error(.badRequest, "invalid_field", "days must be between 1 and 3660")
        }
        let calendar = Calendar(identifier: .gregorian)
        var utc = calendar
        utc.timeZone = TimeZone(identifier: "UTC")!
        let tomorrow = utc.date(byAdding: .day, value: 1, to: utc.startOfDay(for: Date()))!
        let since = utc.date(byAdding: .day, value: -days, to: tomorrow)!
        do {
            let json = try await analytics(since, nil)
            var response = Self.json(.ok, json)
            response.headers[.cacheControl] = "no-store"
            return response
        } catch {
            logger.error("web.report.failed", metadata: ["error": "\(error)"])
            return Self.error(.serviceUnavailable, "unavailable", "the report cannot be built right now; try again shortly")
        }
    }

    static func json(_ status: HTTPResponse.Status, _ text: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func error(_ status: HTTPResponse.Status, _ code: String, _ message: String) -> Response {
        var error = JSONObjectText()
        error.field("code", code)
        error.field("message", message)
        return json(status, #"{"error":"# + error.text + "}")
    }
}

/// A flat JSON object of string fields, escaped by `JSONEncoder`.
struct JSONObjectText {
    private var fields: [String] = []

    mutating func field(_ name: String, _ value: String) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .withoutEscapingSlashes
        let encoded = (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "\"\""
        fields.append("\"\(name)\":\(encoded)")
    }

    var text: String { "{" + fields.joined(separator: ",") + "}" }
}
