import AsyncHTTPClient
import BridgeCore
import BridgeSources
import Foundation
import NIOCore
import NIOHTTP1
import Testing

@Suite("The real process: access log", .serialized)
struct AccessLogTests {
    static let token = "events-token-\(UUID().uuidString)"
    static let email = "access.log.buyer@example.com"
    static let phone = "+4915112345678"
    static let ip = "203.0.113.77"

    static func start(access: String = "info") async throws -> BridgeProcess {
        try await BridgeProcess { _, storePath in
            """
            server: {host: 127.0.0.1, port: 0}
            store: {path: \(storePath), seal_key: "${CAPI_SEAL_KEY}"}
            sources:
              - {name: backend, kind: standard-webhooks, secrets: ["\(BridgeProcess.standardSecret)"]}
            events_api: {tokens: "\(token)"}
            logging: {level: info, access: \(access)}
            """
        }
    }

    static func purchase(_ id: String) -> String {
        #"{"type":"conversion.purchase","timestamp":"2026-01-01T11:59:58Z","data":{"event_id":"\#(id)","event_name":"Purchase","event_time":"\#(Timestamp.recent)","value":"19.90","currency":"EUR","customer":{"email":"\#(email)","phone":"\#(phone)"},"client":{"ip_address":"\#(ip)","user_agent":"Mozilla/5.0"},"test":false}}"#
    }

    static func signed(_ body: String, id: String, port: Int, requestID: String?) -> HTTPClientRequest {
        let now = Int64(Date().timeIntervalSince1970)
        let key = SignatureSupport.decodeBase64(String(BridgeProcess.standardSecret.dropFirst(6))) ?? []
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/v1/webhooks/backend?token=query-secret-\(UUID().uuidString)")
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        request.headers.add(name: "webhook-id", value: id)
        request.headers.add(name: "webhook-timestamp", value: String(now))
        request.headers.add(name: "webhook-signature", value: StandardWebhooksSigner.sign(key: key, id: id, timestamp: now, body: Array(body.utf8)))
        request.headers.add(name: "cookie", value: "session=cookie-secret")
        if let requestID { request.headers.add(name: "x-request-id", value: requestID) }
        request.body = .bytes(ByteBuffer(string: body))
        return request
    }

    /// The access-log lines with `request.id` equal to `id`, waiting briefly for them.
    static func lines(of bridge: BridgeProcess, requestID id: String) async -> [JSONValue] {
        _ = await BridgeProcess.wait(seconds: 5) { !bridge.logs("request").filter { $0["request.id"]?.stringValue == id }.isEmpty }
        return bridge.logs("request").filter { $0["request.id"]?.stringValue == id }
    }

    @Test("one line per request with id, route, source, status, duration, sizes, events and outcome; the id is echoed; no personal data")
    func accessLine() async throws {
        let bridge = try await Self.start()
        defer { bridge.cleanUp() }
        try await withHTTPClient { client in
            // An accepted webhook carrying the caller's sane request id.
            let body = Self.purchase("sale:access:1")
            let response = try await client.execute(
                Self.signed(body, id: "msg_access_1", port: bridge.port, requestID: "proxy-req-42"), timeout: .seconds(10))
            _ = try await response.body.collect(upTo: 1 << 16)
            #expect(response.status.code == 202)
            #expect(response.headers["x-request-id"] == ["proxy-req-42"])
            let line = try #require(await Self.lines(of: bridge, requestID: "proxy-req-42").first)
            #expect(line["label"]?.stringValue == "capi-bridge.access")
            #expect(line["http.request.method"]?.stringValue == "POST")
            #expect(line["http.route"]?.stringValue == "/v1/webhooks/{name}")
            #expect(line["source.name"]?.stringValue == "backend")
            #expect(line["http.response.status_code"]?.stringValue == "202")
            #expect(line["outcome"]?.stringValue == "accepted")
            #expect(line["event.ids"] == .array([.string("sale:access:1")]))
            #expect(line["event.count"]?.stringValue == "1")
            #expect(line["http.request.body.size"]?.stringValue == String(body.utf8.count))
            #expect(line["http.response.body.size"]?.stringValue.flatMap(Int.init).map { $0 > 0 } == true)
            let duration = try #require(line["http.server.request.duration"]?.stringValue.flatMap(Double.init))
            #expect(duration > 0 && duration < 10)

            // The same delivery again: a duplicate, under a new id since the caller's is unsafe.
            let again = try await client.execute(
                Self.signed(body, id: "msg_access_1", port: bridge.port, requestID: Self.email), timeout: .seconds(10))
            _ = try await again.body.collect(upTo: 1 << 16)
            let newID = try #require(again.headers["x-request-id"].first)
            #expect(newID != Self.email && newID.count == 32)
            #expect(await Self.lines(of: bridge, requestID: newID).first?["outcome"]?.stringValue == "duplicate")

            // A problem answer (bad bearer token on the events API) carries the id too.
            var unauthorized = HTTPClientRequest(url: "http://127.0.0.1:\(bridge.port)/v1/events")
            unauthorized.method = .POST
            unauthorized.headers.add(name: "content-type", value: "application/json")
            unauthorized.headers.add(name: "authorization", value: "Bearer wrong-\(Self.token)")
            unauthorized.headers.add(name: "x-request-id", value: "proxy-req-43")
            unauthorized.body = .bytes(ByteBuffer(string: #"{"events":[]}"#))
            let refused = try await client.execute(unauthorized, timeout: .seconds(10))
            _ = try await refused.body.collect(upTo: 1 << 16)
            #expect(refused.status.code == 401)
            #expect(refused.headers["content-type"].first?.hasPrefix("application/problem+json") == true)
            #expect(refused.headers["x-request-id"] == ["proxy-req-43"])
            let refusedLine = try #require(await Self.lines(of: bridge, requestID: "proxy-req-43").first)
            #expect(refusedLine["http.route"]?.stringValue == "/v1/events")
            #expect(refusedLine["source.name"]?.stringValue == "events-api")
            #expect(refusedLine["outcome"]?.stringValue == "rejected")
            #expect(refusedLine["problem.type"]?.stringValue == "unauthorized")

            // An unknown path: 404, Hummingbird's `NotFound` for the route, the raw path not logged.
            let missing = try await client.execute(
                HTTPClientRequest(url: "http://127.0.0.1:\(bridge.port)/v1/orders/cust-\(Self.phone)"), timeout: .seconds(10))
            _ = try await missing.body.collect(upTo: 1 << 16)
            #expect(missing.status.code == 404)
            let missingID = try #require(missing.headers["x-request-id"].first)
            let missingLine = try #require(await Self.lines(of: bridge, requestID: missingID).first)
            #expect(missingLine["http.route"]?.stringValue == "NotFound")
            #expect(missingLine["problem.type"]?.stringValue == "not-found")
        }
        // Nothing personal or secret reached any log line.
        let log = bridge.logLines.joined(separator: "\n")
        for secret in [Self.email, Self.phone, "4915112345678", Self.ip, Self.token, "query-secret", "cookie-secret", "/v1/orders"] {
            #expect(!log.contains(secret), "\(secret) was logged")
        }
    }

    @Test("logging.access off writes no access line but still echoes the request id")
    func off() async throws {
        let bridge = try await Self.start(access: "off")
        defer { bridge.cleanUp() }
        try await withHTTPClient { client in
            var request = HTTPClientRequest(url: "http://127.0.0.1:\(bridge.port)/healthz")
            request.headers.add(name: "x-request-id", value: "health-1")
            let response = try await client.execute(request, timeout: .seconds(10))
            _ = try await response.body.collect(upTo: 1 << 16)
            #expect(response.headers["x-request-id"] == ["health-1"])
        }
        try await Task.sleep(for: .milliseconds(300))
        #expect(bridge.logs("request").isEmpty)
    }
}
