import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOSSL
import Server
import ServerTestSupport
import Store
import TestSupport

/// A fresh on-disk store in a temporary directory (real SQLite).
func withStore<Result: Sendable>(_ body: @Sendable (SQLiteStore) async throws -> Result) async throws -> Result {
    try await withTemporaryDirectory { directory in
        var logger = Logger(label: "test.store")
        logger.logLevel = .critical
        let store = try SQLiteStore.open(directory: directory, logger: logger)
        return try await body(store)
    }
}

/// An HTTPS response as the tests read it.
struct WebResponse: Sendable {
    let status: Int
    let headers: HTTPHeaders
    let body: String

    /// The body as a JSON object (empty when it is not one).
    var json: [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:]
    }

    /// `error.code` of a JSON error body.
    var errorCode: String? { (json["error"] as? [String: Any])?["code"] as? String }
}

/// One HTTPS request to the web channel on `port`, trusting the test CA (async-http-client).
func fetch(
    port: Int, _ path: String, method: HTTPMethod = .GET, headers: [(String, String)] = []
) async throws -> WebResponse {
    var tls = TLSConfiguration.makeClientConfiguration()
    tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(TestCertificates.shared.caCertificatePEM.utf8)))
    let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(tlsConfiguration: tls))
    do {
        var request = HTTPClientRequest(url: "https://localhost:\(port)\(path)")
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        let response = try await client.execute(request, timeout: .seconds(30))
        let body = try await response.body.collect(upTo: 4 * 1024 * 1024)
        let result = WebResponse(
            status: Int(response.status.code), headers: response.headers, body: String(buffer: body))
        try await client.shutdown()
        return result
    } catch {
        try? await client.shutdown()
        throw error
    }
}
