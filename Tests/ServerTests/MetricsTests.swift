import Foundation
import Server
import ServerTestSupport
import Store
import TestSupport
import Testing

@Suite("Prometheus metrics over a real HTTP socket")
struct MetricsTests {
    @Test("after known traffic, /metrics reports exact counts; other paths get 404")
    func scrapeAfterRequests() async throws {
        try await withStore { store async throws in
            try await ServerHarness.run(
                responder: EchoResponder(), store: store, serveMetrics: true, configure: { $0.limits.maxConnections = 2 }
            ) { server async throws in
                let metricsPort = try #require(server.metricsPort)
                // Given a JSON client, a text client and a third client refused at the limit
                try await server.withConnection { json async throws in
                    #expect(try await json.request(["type": "hello"])["type"] as? String == "welcome")
                    #expect(try await json.request(["type": "message", "text": "hi"])["route"] as? String == "canned")
                    #expect(try await json.request(["type": "message", "text": "human"])["route"] as? String == "handoff")
                    #expect(try await json.request(["type": "ping"])["type"] as? String == "pong")
                    try await json.send("{not json")
                    #expect(try await json.response()["code"] as? String == "bad_json")
                    #expect(try await json.request(["type": "teleport"])["code"] as? String == "unknown_type")
                    try await server.withConnection { text async throws in
                        try await text.send("hello there")
                        #expect(try await text.textAnswer() == ["echo: hello there"])
                        try await text.send("/help")
                        _ = try await text.textAnswer()
                        try await server.withConnection { third async throws in
                            #expect(try await third.response()["code"] as? String == "busy")
                        }
                    }
                }
                #expect(await eventually { server.metrics.value("supportbot_connections_open") == 0 })

                // When Prometheus scrapes the endpoint
                let (status, body) = try await PlainTCP.httpGet(port: metricsPort, path: "/metrics")

                // Then every counter holds exactly what happened
                #expect(status == 200)
                let expected: [String: Double] = [
                    "supportbot_connections_open": 0,
                    "supportbot_connections_accepted_total": 2,
                    "supportbot_connections_refused_total": 1,
                    #"supportbot_requests_total{type="hello"}"#: 1,
                    #"supportbot_requests_total{type="message"}"#: 2,
                    #"supportbot_requests_total{type="ping"}"#: 1,
                    #"supportbot_requests_total{type="invalid"}"#: 2,
                    #"supportbot_requests_total{type="text_message"}"#: 1,
                    #"supportbot_requests_total{type="text_command"}"#: 1,
                    #"supportbot_requests_total{type="history"}"#: 0,
                    #"supportbot_errors_total{code="bad_json"}"#: 1,
                    #"supportbot_errors_total{code="unknown_type"}"#: 1,
                    #"supportbot_errors_total{code="busy"}"#: 1,
                    #"supportbot_errors_total{code="rate_limited"}"#: 0,
                    #"supportbot_messages_answered_total{route="canned"}"#: 2,
                    #"supportbot_messages_answered_total{route="handoff"}"#: 1,
                    #"supportbot_messages_answered_total{route="faq"}"#: 0,
                    "supportbot_reply_latency_seconds_count": 3,
                    #"supportbot_reply_latency_seconds_bucket{le="+Inf"}"#: 3,
                    #"supportbot_connections_dropped_total{reason="handshake_timeout"}"#: 0,
                    #"supportbot_connections_dropped_total{reason="write_stall"}"#: 0,
                    #"supportbot_connections_dropped_total{reason="pending_output_cap"}"#: 0,
                ]
                for (series, value) in expected.sorted(by: { $0.key < $1.key }) {
                    #expect(metricValue(in: body, series) == value, "\(series)")
                }
                #expect(body.contains("# TYPE supportbot_reply_latency_seconds histogram"))
                #expect((metricValue(in: body, "supportbot_received_bytes_total") ?? 0) > 0)
                #expect((metricValue(in: body, "supportbot_sent_bytes_total") ?? 0) > 0)

                #expect(try await PlainTCP.httpGet(port: metricsPort, path: "/").status == 404)
                #expect(try await PlainTCP.httpGet(port: metricsPort, path: "/metrics/extra").status == 404)
                #expect(try await PlainTCP.httpGet(port: metricsPort, path: "/metrics?x=1").status == 200)
                #expect(try await PlainTCP.httpGet(port: metricsPort, path: "/metrics", method: "POST").status == 405)
            }
        }
    }

    @Test("a malformed request gets 400 and an oversized head 431")
    func malformedRequests() async throws {
        try await withStore { store async throws in
            try await ServerHarness.run(responder: EchoResponder(), store: store, serveMetrics: true) { server async throws in
                let port = try #require(server.metricsPort)
                let malformed = try #require(
                    try await PlainTCP.exchange(port: port, sending: "hello\r\n\r\n", timeout: .seconds(30)))
                #expect(String(decoding: malformed, as: UTF8.self).hasPrefix("HTTP/1.1 400 "))
                let huge = "GET /metrics HTTP/1.1\r\nX-Pad: " + String(repeating: "a", count: 16 * 1024)
                let oversized = try #require(try await PlainTCP.exchange(port: port, sending: huge, timeout: .seconds(30)))
                #expect(String(decoding: oversized, as: UTF8.self).hasPrefix("HTTP/1.1 431 "))
            }
        }
    }
}
