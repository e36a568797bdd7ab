import AsyncHTTPClient
import BridgeCore
import BridgeMocks
import BridgeSources
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// A W3C `traceparent` posted at ingest travels with the event to the
/// platform and through the log lines.
@Suite("The real process: trace context", .serialized)
struct TraceContextTests {
    static let traceID = "4bf92f3577b34da6a3ce929d0e0e4736"
    static let posted = "00-\(traceID)-00f067aa0ba902b7-01"

    static func post(_ body: String, id: String, traceParent: String, port: Int, client: HTTPClient) async throws -> UInt {
        let now = Int64(Date().timeIntervalSince1970)
        let key = SignatureSupport.decodeBase64(String(BridgeProcess.standardSecret.dropFirst(6))) ?? []
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/v1/webhooks/backend")
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        request.headers.add(name: "traceparent", value: traceParent)
        request.headers.add(name: "webhook-id", value: id)
        request.headers.add(name: "webhook-timestamp", value: String(now))
        request.headers.add(name: "webhook-signature", value: StandardWebhooksSigner.sign(key: key, id: id, timestamp: now, body: Array(body.utf8)))
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await client.execute(request, timeout: .seconds(10))
        _ = try await response.body.collect(upTo: 1 << 16)
        return response.status.code
    }

    /// The `traceparent` of the platform requests whose body names `eventID`.
    static func received(by platform: MockRedirectServer, eventID: String) -> [String] {
        platform.requests.filter { String(decoding: $0.body, as: UTF8.self).contains(eventID) }.compactMap { $0.headers["traceparent"] }
    }

    @Test("the platform receives the trace id posted at ingest under a new span id, and the prepare and deliver lines name it")
    func travels() async throws {
        let platform = try await MockRedirectServer.start()
        let bridge = try await BridgeProcess { _, storePath in
            """
            server: {host: 127.0.0.1, port: 0}
            store: {path: \(storePath), seal_key: "${CAPI_SEAL_KEY}"}
            sources:
              - {name: backend, kind: standard-webhooks, secrets: ["\(BridgeProcess.standardSecret)"]}
            consent:
              default: {default_region: US}
            destinations:
              - {name: hook, kind: webhook, url: "\(platform.baseURL)/hooks", secret: "\(BridgeProcess.standardSecret)", max_wait_ms: 50}
            logging: {level: debug}
            """
        }
        defer { bridge.cleanUp() }
        try await withHTTPClient { client in
            let firstStatus = try await Self.post(
                BridgeProcess.purchase("sale:trace:1", email: "trace.buyer@example.com", ip: "198.51.100.9"), id: "msg_trace_1",
                traceParent: Self.posted, port: bridge.port, client: client)
            #expect(firstStatus == 202)
            let firstArrived = await BridgeProcess.wait { !Self.received(by: platform, eventID: "sale:trace:1").isEmpty }
            #expect(firstArrived, "the platform saw \(platform.requests.count) requests")
            // An invalid traceparent (upper-case hex) is ignored: a new trace is started.
            let secondStatus = try await Self.post(
                BridgeProcess.purchase("sale:trace:2", email: "trace.buyer@example.com", ip: "198.51.100.9"), id: "msg_trace_2",
                traceParent: Self.posted.uppercased(), port: bridge.port, client: client)
            #expect(secondStatus == 202)
            let secondArrived = await BridgeProcess.wait { !Self.received(by: platform, eventID: "sale:trace:2").isEmpty }
            #expect(secondArrived, "the platform saw \(platform.requests.count) requests")
        }
        // The posted trace reached the platform with the bridge's own span id.
        let first = try #require(Self.received(by: platform, eventID: "sale:trace:1").first.flatMap(TraceParent.init(header:)))
        #expect(first.traceID == Self.traceID)
        #expect(first.spanID != "00f067aa0ba902b7")
        #expect(first.flags == 0x01)
        // The invalid one did not: the second event has a trace of its own.
        let second = try #require(Self.received(by: platform, eventID: "sale:trace:2").first.flatMap(TraceParent.init(header:)))
        #expect(second.traceID != Self.traceID && second.traceID != Self.traceID.uppercased())
        // The access, prepare and deliver lines name the trace.
        _ = await BridgeProcess.wait { bridge.logs("batch sent").contains { $0["trace_id"]?.stringValue == Self.traceID } }
        #expect(bridge.logs("request").contains { $0["trace_id"]?.stringValue == Self.traceID })
        #expect(bridge.logs("event prepared").contains { $0["trace_id"]?.stringValue == Self.traceID })
        #expect(bridge.logs("batch sent").contains { $0["trace_id"]?.stringValue == Self.traceID })
        #expect(bridge.logs("event prepared").contains { $0["trace_id"]?.stringValue == second.traceID })
        #expect(!bridge.logLines.joined().contains("trace.buyer@example.com"))
        await platform.stop()
    }
}
