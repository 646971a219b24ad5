import Foundation
import NIOHTTP1
import Server
import ServerTestSupport
import Store
import SupportCore
import Synchronization
import TestSupport
import Testing
import WebChannel

/// The web channel's HTTP side over real TLS: pages with their security headers, visitor
/// registration, the analytics API and its token roles, and start-up refusals.
@Suite("Web channel: HTTP")
struct WebHTTPTests {
    static let pages: [(path: String, type: String)] = [
        ("/", "text/html"), ("/agent", "text/html"), ("/admin", "text/html"), ("/widget.js", "text/javascript"),
        ("/widget.css", "text/css"), ("/agent.js", "text/javascript"), ("/admin.js", "text/javascript"),
        ("/pages.css", "text/css"),
    ]

    @Test("every page is served with its type, a strict CSP and the security headers; unchanged pages get 304")
    func pagesAndHeaders() async throws {
        try await withStore { store async throws in
            try await ServerHarness.run(responder: EchoResponder(), store: store, configure: { $0.serve(.webSocket) }) {
                server async throws in
                let port = try #require(server.webPort)
                for (path, type) in Self.pages {
                    let page = try await fetch(port: port, path)
                    #expect(page.status == 200, "\(path)")
                    #expect(page.headers["Content-Type"].first?.hasPrefix(type) == true, "\(path)")
                    let csp = try #require(page.headers["Content-Security-Policy"].first)
                    #expect(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"))
                    #expect(!csp.contains("unsafe"))
                    #expect(page.headers["X-Content-Type-Options"].first == "nosniff")
                    #expect(page.headers["X-Frame-Options"].first == "DENY")
                    #expect(page.headers["Referrer-Policy"].first == "no-referrer")
                    let embeddable = path == "/widget.js" || path == "/widget.css"
                    #expect(page.headers["Cross-Origin-Resource-Policy"].first == (embeddable ? "cross-origin" : "same-origin"))
                    let etag = try #require(page.headers["ETag"].first)
                    let again = try await fetch(port: port, path, headers: [("If-None-Match", etag)])
                    #expect(again.status == 304, "\(path)")
                }
                let missing = try await fetch(port: port, "/nope")
                #expect(missing.status == 404)
                #expect(missing.headers["Content-Security-Policy"].first != nil)
            }
        }
    }

    /// The CSP forbids inline script and style: a page that relied on them would break in the
    /// browser, so the shipped files are checked for them directly.
    @Test("the shipped pages use no inline script, event handler attribute or inline style")
    func pagesNeedNoInlineCode() throws {
        let assets = repositoryRoot.appendingPathComponent("Sources/WebChannel/Assets")
        for name in ["index.html", "agent.html", "admin.html"] {
            let html = try String(contentsOf: assets.appendingPathComponent(name), encoding: .utf8)
            #expect(html.firstMatch(of: /<script(?![^>]*\bsrc=)[^>]*>/) == nil, "\(name): inline <script>")
            #expect(html.firstMatch(of: /\son[a-z]+\s*=/) == nil, "\(name): event handler attribute")
            #expect(html.firstMatch(of: /<style|\sstyle\s*=/) == nil, "\(name): inline style")
        }
        for name in ["widget.js", "agent.js", "admin.js"] {
            let script = try String(contentsOf: assets.appendingPathComponent(name), encoding: .utf8)
            #expect(script.firstMatch(of: /\beval\(|new Function\(|\.innerHTML\s*=/) == nil, "\(name)")
        }
    }

    @Test("a visitor registers once per token, which then chats over /ws; registration is limited per address")
    func visitorRegistration() async throws {
        try await withStore { store async throws in
            try await ServerHarness.run(
                responder: EchoResponder(), store: store,
                configure: {
                    $0.requireAuth = true
                    $0.web = WebConfiguration(port: 0, allowedOrigins: ["https://shop.example.com"], visitorsPerMinute: 2)
                }
            ) { server async throws in
                let port = try #require(server.webPort)
                let first = try await fetch(port: port, "/api/visitors", method: .POST)
                #expect(first.status == 201)
                #expect(first.headers["Cache-Control"].first == "no-store")
                let token = try #require(first.json["token"] as? String)
                let name = try #require(first.json["client"] as? String)
                #expect(name.hasPrefix("web-"))
                let welcome = try await server.withConnection(over: .webSocket) { connection in
                    try await connection.request(["type": "hello", "token": token])["client"] as? String
                }
                #expect(welcome == name)
                // From an allowed site, the response is readable there (CORS).
                let allowed = try await fetch(
                    port: port, "/api/visitors", method: .POST, headers: [("Origin", "https://shop.example.com")])
                #expect(allowed.status == 201)
                #expect(allowed.headers["Access-Control-Allow-Origin"].first == "https://shop.example.com")
                // A third registration within the minute from the same address is refused.
                let limited = try await fetch(port: port, "/api/visitors", method: .POST)
                #expect(limited.status == 429)
                #expect(limited.errorCode == "rate_limited")
                // Another site is refused outright, with no CORS grant.
                let foreign = try await fetch(
                    port: port, "/api/visitors", method: .POST, headers: [("Origin", "https://evil.example")])
                #expect(foreign.status == 403)
                #expect(foreign.headers["Access-Control-Allow-Origin"].isEmpty)
                #expect(try await store.clients().filter { $0.name.hasPrefix("web-") }.count == 2)
            }
        }
    }

    @Test("visitor registration can be turned off")
    func visitorsOff() async throws {
        try await withStore { store async throws in
            try await ServerHarness.run(
                responder: EchoResponder(), store: store,
                configure: { $0.web = WebConfiguration(port: 0, allowVisitors: false) }
            ) { server async throws in
                let refused = try await fetch(port: try #require(server.webPort), "/api/visitors", method: .POST)
                #expect(refused.status == 403)
                #expect(try await store.clients().isEmpty)
            }
        }
    }

    @Test("the analytics API needs an admin token in the Authorization header")
    func analyticsRoles() async throws {
        try await withStore { store async throws in
            let admin = try await store.createClient(name: "boss", role: .admin)
            let agent = try await store.createClient(name: "sam", role: .agent)
            let windows = Mutex<[Date?]>([])
            try await ServerHarness.run(
                responder: EchoResponder(), store: store,
                configure: {
                    $0.serve(.webSocket)
                    $0.analytics = { since, _ in
                        windows.withLock { $0.append(since) }
                        return #"{"totals":{"conversations":0},"daily":[]}"#
                    }
                }
            ) { server async throws in
                let port = try #require(server.webPort)
                let cases: [(headers: [(String, String)], status: Int, code: String?)] = [
                    ([], 401, "unauthorized"),
                    ([("Authorization", "Bearer sb_unknown")], 401, "unauthorized"),
                    ([("Authorization", "Basic \(admin)")], 401, "unauthorized"),
                    ([("Authorization", "Bearer \(agent)")], 403, "forbidden"),
                ]
                for (headers, status, code) in cases {
                    let response = try await fetch(port: port, "/api/report?days=7", headers: headers)
                    #expect(response.status == status, "\(headers)")
                    #expect(response.errorCode == code)
                }
                #expect(windows.withLock { $0.isEmpty })
                let report = try await fetch(port: port, "/api/report?days=7", headers: [("Authorization", "Bearer \(admin)")])
                #expect(report.status == 200)
                #expect(report.json["daily"] != nil)
                // The window covers today and the six days before, from midnight UTC.
                let since = try #require(windows.withLock { $0.first } ?? nil)
                #expect(abs(since.timeIntervalSinceNow + 6.5 * 86_400) <= 0.5 * 86_400 + 1)
                #expect(Int(since.timeIntervalSince1970) % 86_400 == 0)
                let bad = try await fetch(port: port, "/api/report?days=0", headers: [("Authorization", "Bearer \(admin)")])
                #expect(bad.status == 400)
                #expect(bad.errorCode == "invalid_field")
            }
        }
    }

    @Test("without analytics the API says so")
    func analyticsUnavailable() async throws {
        try await withStore { store async throws in
            let admin = try await store.createClient(name: "boss", role: .admin)
            try await ServerHarness.run(responder: EchoResponder(), store: store, configure: { $0.serve(.webSocket) }) {
                server async throws in
                let response = try await fetch(
                    port: try #require(server.webPort), "/api/report", headers: [("Authorization", "Bearer \(admin)")])
                #expect(response.status == 503)
                #expect(response.errorCode == "unavailable")
            }
        }
    }

    @Test("start-up refuses a folder without the pages and an origin that is not one, saying what to do")
    func startupRefusals() throws {
        let empty = try TemporaryDirectory()
        let missing = #expect(throws: WebError.self) {
            try WebServer.preflight(WebConfiguration(assetsDirectory: empty.url.path))
        }
        #expect(missing?.code == .assetsMissing)
        #expect(missing?.message.contains("index.html") == true)
        for origin in ["shop.example.com", "https://shop.example.com/path", "ftp://shop.example.com", ""] {
            let invalid = #expect(throws: WebError.self, "\(origin)") {
                try WebServer.preflight(WebConfiguration(allowedOrigins: [origin]))
            }
            #expect(invalid?.code == .invalidOrigin)
            #expect(invalid?.message.contains("--web-origin") == true)
        }
        #expect(WebConfiguration.origin("HTTPS://Shop.Example.com:443/") == "https://shop.example.com")
        #expect(WebConfiguration.origin("https://localhost:8443") == "https://localhost:8443")
    }
}
