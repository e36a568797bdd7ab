import BridgeCore
import BridgeServer
import BridgeStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@Suite("Ingest routes")
struct IngestRouteTests {
    @Test("a signed Standard Webhooks event is stored and answered 202; the same delivery again is 200 duplicate")
    func acceptsThenDuplicates() async throws {
        let bridge = try TestBridge()
        let body = TestBridge.purchaseBody()
        let store = bridge.components.store
        try await bridge.test { client throws in
            let first = try await client.execute(
                uri: "/v1/webhooks/backend", method: .post, headers: TestBridge.signedHeaders(body: body), body: ByteBuffer(string: body))
            #expect(first.status == .accepted)
            #expect(first.json?["status"]?.stringValue == "accepted")
            #expect(first.json?["duplicate"] == .bool(false))
            let again = try await client.execute(
                uri: "/v1/webhooks/backend", method: .post, headers: TestBridge.signedHeaders(body: body), body: ByteBuffer(string: body))
            #expect(again.status == .ok)
            #expect(again.json?["duplicate"] == .bool(true))
            // A new delivery id for the same event is a duplicate too.
            let resent = try await client.execute(
                uri: "/v1/webhooks/backend", method: .post, headers: TestBridge.signedHeaders(body: body, id: "msg_2"),
                body: ByteBuffer(string: body))
            #expect(resent.status == .ok)
            #expect(resent.json?["duplicate"] == .bool(true))
            #expect(try await store.countEventsUntyped() == ["backend": 1])
        }
    }

    @Test("the same delivery posted 32 times at once is stored once")
    func concurrentDuplicates() async throws {
        let bridge = try TestBridge()
        let body = TestBridge.purchaseBody()
        let store = bridge.components.store
        try await bridge.test { client throws in
            let statuses = try await withThrowingTaskGroup(of: HTTPResponse.Status.self) { group in
                for _ in 0..<32 {
                    group.addTask {
                        try await client.execute(
                            uri: "/v1/webhooks/backend", method: .post, headers: TestBridge.signedHeaders(body: body),
                            body: ByteBuffer(string: body)
                        ).status
                    }
                }
                return try await group.reduce(into: [HTTPResponse.Status]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .accepted }.count == 1)
            #expect(statuses.filter { $0 == .ok }.count == 31)
            #expect(try await store.countEventsUntyped() == ["backend": 1])
        }
    }

    struct BadInput: Sendable, CustomTestStringConvertible {
        let name: String
        let uri: String
        let headers: HTTPFields
        let body: String
        let status: HTTPResponse.Status
        let type: String
        var pointer: String? = nil
        var testDescription: String { name }
    }

    static let malformed = #"{"type":"conversion.purchase","data":{"#
    static let invalid = #"{"type":"conversion.purchase","data":{"event_id":"x","event_name":"Purchase","event_time":"2026-01-01T00:00:00Z","customer":{"email":["zoe@example.com"]}}}"#
    static let badInputs: [BadInput] = [
        BadInput(
            name: "malformed JSON", uri: "/v1/webhooks/backend", headers: TestBridge.signedHeaders(body: malformed), body: malformed,
            status: .badRequest, type: "malformed-json"),
        BadInput(
            name: "schema violation", uri: "/v1/webhooks/backend", headers: TestBridge.signedHeaders(body: invalid), body: invalid,
            status: .badRequest, type: "invalid-payload", pointer: "/data/customer/email"),
        BadInput(
            name: "missing signature", uri: "/v1/webhooks/backend", headers: [.contentType: "application/json"], body: TestBridge.purchaseBody(),
            status: .unauthorized, type: "missing-signature"),
        BadInput(
            name: "bad signature", uri: "/v1/webhooks/backend", headers: TestBridge.signedHeaders(body: TestBridge.purchaseBody(email: "x@example.com")),
            body: TestBridge.purchaseBody(), status: .unauthorized, type: "bad-signature"),
        BadInput(
            name: "stale timestamp", uri: "/v1/webhooks/backend", headers: TestBridge.signedHeaders(body: TestBridge.purchaseBody(), timestamp: 1_767_268_000),
            body: TestBridge.purchaseBody(), status: .unauthorized, type: "stale-timestamp"),
        BadInput(
            name: "timestamp from the future", uri: "/v1/webhooks/backend",
            headers: TestBridge.signedHeaders(body: TestBridge.purchaseBody(), timestamp: 1_767_269_200), body: TestBridge.purchaseBody(),
            status: .unauthorized, type: "stale-timestamp"),
        BadInput(
            name: "unknown source", uri: "/v1/webhooks/nope", headers: TestBridge.signedHeaders(body: "{}"), body: "{}",
            status: .notFound, type: "unknown-source"),
        BadInput(
            name: "wrong content type", uri: "/v1/webhooks/backend",
            headers: TestBridge.signedHeaders(body: TestBridge.purchaseBody(), contentType: "text/xml"), body: TestBridge.purchaseBody(),
            status: .unsupportedMediaType, type: "unsupported-media-type"),
        BadInput(
            name: "body over the limit", uri: "/v1/webhooks/backend", headers: TestBridge.signedHeaders(body: String(repeating: " ", count: 5000)),
            body: String(repeating: " ", count: 5000), status: .contentTooLarge, type: "body-too-large"),
        BadInput(
            name: "unsigned WooCommerce body that is not a ping", uri: "/v1/webhooks/woo", headers: [.contentType: "application/json"],
            body: #"{"id":1}"#, status: .unauthorized, type: "missing-signature"),
    ]

    @Test("bad input gets problem+json with a stable type and stores nothing", arguments: badInputs)
    func badInput(_ input: BadInput) async throws {
        let bridge = try TestBridge()
        let store = bridge.components.store
        try await bridge.test { client throws in
            let response = try await client.execute(uri: input.uri, method: .post, headers: input.headers, body: ByteBuffer(string: input.body))
            #expect(response.status == input.status)
            #expect(response.headers[.contentType] == "application/problem+json")
            let problem = try #require(response.json)
            #expect(problem["type"]?.stringValue == "urn:capi-bridge:problem:\(input.type)")
            #expect(problem["status"]?.numberText == String(input.status.code))
            #expect(problem["detail"]?.stringValue?.isEmpty == false)
            if let pointer = input.pointer { #expect(problem["pointer"]?.stringValue == pointer) }
            #expect(!response.text.contains("zoe@example.com"), "no personal data in errors")
            #expect(try await store.countEventsUntyped().isEmpty)
        }
    }

    @Test("store unavailable answers 503 and readiness fails; health still answers")
    func storeUnavailable() async throws {
        let bridge = try TestBridge(store: FailingStore())
        let body = TestBridge.purchaseBody()
        try await bridge.test { client throws in
            let response = try await client.execute(
                uri: "/v1/webhooks/backend", method: .post, headers: TestBridge.signedHeaders(body: body), body: ByteBuffer(string: body))
            #expect(response.status == .serviceUnavailable)
            #expect(response.json?["type"]?.stringValue == "urn:capi-bridge:problem:store-unavailable")
            #expect(response.headers[.retryAfter] != nil)
            #expect(try await client.execute(uri: "/readyz", method: .get).status == .serviceUnavailable)
            #expect(try await client.execute(uri: "/healthz", method: .get).status == .ok)
        }
    }

    @Test("a store that keeps ingest waiting (PostgreSQL unreachable) is answered 503 with Retry-After, not left hanging")
    func storeWaiting() async throws {
        // The store waits an hour: an answer at all is the deadline's (store.ingest_wait_seconds).
        let bridge = try TestBridge(store: FailingStore(ingestWaits: true), ingestWaitSeconds: 2)
        let body = TestBridge.purchaseBody()
        try await bridge.test { client throws in
            let response = try await client.execute(
                uri: "/v1/webhooks/backend", method: .post, headers: TestBridge.signedHeaders(body: body), body: ByteBuffer(string: body))
            #expect(response.status == .serviceUnavailable)
            #expect(response.json?["type"]?.stringValue == "urn:capi-bridge:problem:store-unavailable")
            #expect(response.headers[.retryAfter] != nil)
        }
    }

    @Test("the WooCommerce activation ping is answered 200 and stores nothing")
    func wooPing() async throws {
        let bridge = try TestBridge()
        let store = bridge.components.store
        try await bridge.test { client throws in
            let response = try await client.execute(
                uri: "/v1/webhooks/woo", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: ByteBuffer(string: "webhook_id=27"))
            #expect(response.status == .ok)
            #expect(try await store.countEventsUntyped().isEmpty)
        }
    }

    @Test("a non-conversion type is verified, then answered 200 ignored")
    func ignored() async throws {
        let bridge = try TestBridge()
        let body = #"{"type":"customer.created","timestamp":"2026-01-01T11:59:58Z","data":{}}"#
        try await bridge.test { client throws in
            let response = try await client.execute(
                uri: "/v1/webhooks/backend", method: .post, headers: TestBridge.signedHeaders(body: body), body: ByteBuffer(string: body))
            #expect(response.status == .ok)
            #expect(response.json?["status"]?.stringValue == "ignored")
            #expect(response.json?["ignored"] == .bool(true))
        }
    }

    @Test("metrics count requests by source and outcome; logs carry no personal data")
    func observability() async throws {
        let bridge = try TestBridge()
        let body = TestBridge.purchaseBody()
        try await bridge.test { client throws in
            _ = try await client.execute(
                uri: "/v1/webhooks/backend", method: .post, headers: TestBridge.signedHeaders(body: body), body: ByteBuffer(string: body))
            _ = try await client.execute(
                uri: "/v1/webhooks/backend", method: .post, headers: TestBridge.signedHeaders(body: "x"), body: ByteBuffer(string: body))
            let metrics = try await client.execute(uri: "/metrics", method: .get)
            #expect(metrics.text.contains(#"capi_bridge_ingest_requests_total{source="backend",outcome="accepted"} 1"#))
            #expect(metrics.text.contains(#"capi_bridge_ingest_requests_total{source="backend",outcome="bad_signature"} 1"#))
            #expect(metrics.text.contains(#"capi_bridge_ingest_events_total{source="backend",outcome="accepted"} 1"#))
            #expect(!metrics.text.contains("zoe"))
        }
        for line in bridge.logs.captured {
            for secret in ["zoe@example.com", "Zoë", "203.0.113.9", "4915123456789"] { #expect(!line.contains(secret)) }
        }
    }
}
