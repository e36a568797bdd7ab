import BridgeCore
import BridgeServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@Suite("Routes at the edge: keys, tokens, listeners")
struct EdgeRouteTests {
    static let current = String(repeating: "c", count: 40)
    static let previous = String(repeating: "p", count: 40)

    @Test("a webhook-id longer than 256 bytes is 400 problem+json and nothing is stored")
    func longWebhookID() async throws {
        let bridge = try TestBridge()
        let body = TestBridge.purchaseBody()
        let store = bridge.components.store
        try await bridge.test { client in
            let id = String(repeating: "m", count: 257)
            let response = try await client.execute(
                uri: "/v1/webhooks/backend", method: .post, headers: TestBridge.signedHeaders(body: body, id: id), body: ByteBuffer(string: body))
            #expect(response.status == .badRequest)
            #expect(response.headers[.contentType] == "application/problem+json")
            #expect(response.json?["type"]?.stringValue == "urn:capi-bridge:problem:key-too-long")
            #expect(response.json?["detail"]?.stringValue?.contains("webhook-id") == true)
            // 256 bytes exactly is accepted.
            let fits = try await client.execute(
                uri: "/v1/webhooks/backend", method: .post, headers: TestBridge.signedHeaders(body: body, id: String(repeating: "m", count: 256)),
                body: ByteBuffer(string: body))
            #expect(fits.status == .accepted)
            #expect(try await store.countEventsUntyped() == ["backend": 1])
        }
    }

    @Test("an Idempotency-Key longer than 256 bytes on the events API is 400 problem+json")
    func longIdempotencyKey() async throws {
        let bridge = try TestBridge()
        let body = EventsRouteTests.batch(["k1"])
        try await bridge.test { client in
            var headers: HTTPFields = [.contentType: "application/json", .authorization: "Bearer \(TestBridge.eventsToken)"]
            headers[HTTPField.Name("Idempotency-Key")!] = String(repeating: "k", count: 300)
            let response = try await client.execute(uri: "/v1/events", method: .post, headers: headers, body: ByteBuffer(string: body))
            #expect(response.status == .badRequest)
            #expect(response.json?["type"]?.stringValue == "urn:capi-bridge:problem:key-too-long")
            headers[HTTPField.Name("Idempotency-Key")!] = "batch-1"
            let accepted = try await client.execute(uri: "/v1/events", method: .post, headers: headers, body: ByteBuffer(string: body))
            #expect(accepted.status == .accepted)
        }
    }

    @Test("the admin routes accept the current and the previous token, and nothing else")
    func adminTokenRotation() async throws {
        let bridge = try TestBridge(server: ["admin_tokens: [\(Self.current), \(Self.previous)]"])
        try await bridge.test { client in
            for token in [Self.current, Self.previous] {
                let response = try await client.execute(uri: "/v1/dead-letters", method: .get, headers: [.authorization: "Bearer \(token)"])
                #expect(response.status == .ok)
            }
            let wrong = try await client.execute(uri: "/v1/dead-letters", method: .get, headers: [.authorization: "Bearer \(Self.current)x"])
            #expect(wrong.status == .unauthorized)
            #expect(wrong.json?["type"]?.stringValue == "urn:capi-bridge:problem:unauthorized")
            let none = try await client.execute(uri: "/v1/dead-letters", method: .get)
            #expect(none.status == .unauthorized)
        }
    }

    @Test("admin_token also takes a list")
    func adminTokenList() async throws {
        let bridge = try TestBridge(server: ["admin_token: [\(Self.current), \(Self.previous)]"])
        try await bridge.test { client in
            let response = try await client.execute(uri: "/v1/dead-letters", method: .get, headers: [.authorization: "Bearer \(Self.previous)"])
            #expect(response.status == .ok)
        }
    }

    @Test("with a metrics token, /metrics answers 401 without it and the Prometheus text with it")
    func metricsToken() async throws {
        let bridge = try TestBridge(server: ["metrics_token: \(Self.current)"])
        try await bridge.test { client in
            let refused = try await client.execute(uri: "/metrics", method: .get)
            #expect(refused.status == .unauthorized)
            #expect(refused.headers[.contentType] == "application/problem+json")
            #expect(refused.headers[.wwwAuthenticate] == "Bearer")
            let wrong = try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer \(Self.previous)"])
            #expect(wrong.status == .unauthorized)
            let metrics = try await client.execute(uri: "/metrics", method: .get, headers: [.authorization: "Bearer \(Self.current)"])
            #expect(metrics.status == .ok)
            #expect(metrics.headers[.contentType]?.hasPrefix("text/plain") == true)
        }
    }

    @Test("the ingest listener serves webhooks and health but no admin route or metrics")
    func ingestListener() async throws {
        let bridge = try TestBridge(server: ["admin_token: \(Self.current)"])
        let body = TestBridge.purchaseBody()
        try await bridge.test(routes: .ingest) { client in
            let webhook = try await client.execute(
                uri: "/v1/webhooks/backend", method: .post, headers: TestBridge.signedHeaders(body: body), body: ByteBuffer(string: body))
            #expect(webhook.status == .accepted)
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
            let auth: HTTPFields = [.authorization: "Bearer \(Self.current)"]
            #expect(try await client.execute(uri: "/v1/dead-letters", method: .get, headers: auth).status == .notFound)
            #expect(try await client.execute(uri: "/v1/reports/match-quality", method: .get, headers: auth).status == .notFound)
            #expect(try await client.execute(uri: "/v1/erasure", method: .post, headers: auth, body: ByteBuffer(string: "{}")).status == .notFound)
            #expect(try await client.execute(uri: "/metrics", method: .get).status == .notFound)
        }
    }

    @Test("the admin listener serves admin routes, metrics and health but no ingest")
    func adminListener() async throws {
        let bridge = try TestBridge(server: ["admin_token: \(Self.current)"])
        let body = TestBridge.purchaseBody()
        try await bridge.test(routes: .admin) { client in
            let webhook = try await client.execute(
                uri: "/v1/webhooks/backend", method: .post, headers: TestBridge.signedHeaders(body: body), body: ByteBuffer(string: body))
            #expect(webhook.status == .notFound)
            #expect(try await client.execute(uri: "/readyz", method: .get).status == .ok)
            #expect(try await client.execute(uri: "/metrics", method: .get).status == .ok)
            let letters = try await client.execute(uri: "/v1/dead-letters", method: .get, headers: [.authorization: "Bearer \(Self.current)"])
            #expect(letters.status == .ok)
        }
    }
}
