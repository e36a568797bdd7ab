import AsyncHTTPClient
import BridgeCore
import BridgeSources
import BridgeStore
import Foundation
import NIOCore
import NIOHTTP1
import Testing

@Suite("The real process", .serialized)
struct DurabilityTests {
    static func body(_ i: Int) -> String {
        #"{"type":"conversion.purchase","timestamp":"2026-01-01T11:59:58Z","data":{"event_id":"sale:e2e:\#(i)","event_name":"Purchase","event_time":"2026-01-01T11:59:50Z","value":"19.90","currency":"EUR","customer":{"email":"buyer\#(i)@example.com"},"test":false}}"#
    }

    static func post(_ i: Int, body: String? = nil, port: Int, client: HTTPClient) async throws -> (Int, UInt) {
        let body = body ?? Self.body(i)
        let id = "msg_e2e_\(i)"
        let now = Int64(Date().timeIntervalSince1970)
        let key = SignatureSupport.decodeBase64(String(BridgeProcess.standardSecret.dropFirst(6)))!
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/v1/webhooks/backend")
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        request.headers.add(name: "webhook-id", value: id)
        request.headers.add(name: "webhook-timestamp", value: String(now))
        request.headers.add(name: "webhook-signature", value: StandardWebhooksSigner.sign(key: key, id: id, timestamp: now, body: Array(body.utf8)))
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await client.execute(request, timeout: .seconds(10))
        _ = try await response.body.collect(upTo: 1 << 16)
        return (i, response.status.code)
    }

    @Test("every event acknowledged with 202 is in the store after SIGKILL")
    func survivesSIGKILL() async throws {
        let bridge = try await BridgeProcess()
        defer { bridge.cleanUp() }
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        // Given 300 events posted concurrently
        var acknowledged: [Int] = []
        try await withThrowingTaskGroup(of: (Int, UInt).self) { group in
            for i in 0..<300 { group.addTask { try await Self.post(i, port: bridge.port, client: client) } }
            for try await (i, status) in group where status == 202 { acknowledged.append(i) }
        }
        try await client.shutdown()
        // When the process is killed without warning right after the 202s
        try await bridge.stop(signal: SIGKILL)
        // Then every acknowledged event is in the reopened store, identifiers openable
        #expect(acknowledged.count == 300)
        let store = try SQLiteStore(path: bridge.storePath)
        let stored = try await store.storedEvents(source: "backend", limit: 1000)
        await store.close()
        let storedIDs = Set(stored.map(\.eventID))
        for i in acknowledged { #expect(storedIDs.contains("sale:e2e:\(i)")) }
        // Identifiers not yet erased by the prepare stage open with the configured key.
        let sealer = try IdentifierSealer(base64Key: bridge.sealKey)
        for event in stored where event.sealed != nil {
            #expect(try event.restore(with: sealer).customer[.email]?.rawValue.hasSuffix("@example.com") == true)
        }
        // And the log never held an email address
        #expect(!bridge.logLines.contains { $0.contains("@example.com") })
    }

    @Test("SIGTERM drains and exits cleanly")
    func gracefulShutdown() async throws {
        let bridge = try await BridgeProcess()
        defer { bridge.cleanUp() }
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let (_, status) = try await Self.post(1, port: bridge.port, client: client)
        try await client.shutdown()
        #expect(status == 202)
        let exit = try await bridge.stop(signal: SIGTERM)
        #expect(exit == 0)
        #expect(bridge.logLines.contains { $0.contains("store closed") })
    }
}
