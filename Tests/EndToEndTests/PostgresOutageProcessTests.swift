import AsyncHTTPClient
import BridgeCore
import BridgeSources
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// `serve` on PostgreSQL while the database goes away and comes back
/// (RELIABILITY.md, scenario 6), on a cluster of the test's own.
@Suite("serve through PostgreSQL outages", .serialized, .enabled(if: ThrowawayPostgres.isAvailable), .timeLimit(.minutes(5)))
struct PostgresOutageProcessTests {
    /// What a sender learns from one signed post: the status and `Retry-After`.
    struct Answer {
        let status: UInt
        let retryAfter: String?
    }

    static func post(_ bridge: BridgeProcess, id: String, client: HTTPClient) async throws -> Answer {
        let body = BridgeProcess.purchase(id, email: "outage-\(id)@example.com", ip: "203.0.113.9")
        let now = Int64(Date().timeIntervalSince1970)
        guard let key = SignatureSupport.decodeBase64(String(BridgeProcess.standardSecret.dropFirst(6))) else {
            throw ThrowawayPostgresError.failed("bad test secret")
        }
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(bridge.port)/v1/webhooks/backend")
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        request.headers.add(name: "webhook-id", value: "msg-\(id)")
        request.headers.add(name: "webhook-timestamp", value: String(now))
        request.headers.add(
            name: "webhook-signature", value: StandardWebhooksSigner.sign(key: key, id: "msg-\(id)", timestamp: now, body: Array(body.utf8)))
        request.body = .bytes(ByteBuffer(string: body))
        // A sender's patience (the reliability harness's load generator waits 10 s).
        let response = try await client.execute(request, timeout: .seconds(10))
        _ = try await response.body.collect(upTo: 1 << 16)
        return Answer(status: response.status.code, retryAfter: response.headers.first(name: "retry-after"))
    }

    @Test(
        "while PostgreSQL is down ingest answers 503 with Retry-After within a sender's timeout, recovers without a restart, and SIGTERM after the outages ends serve"
    )
    func outagesThenSIGTERM() async throws {
        let postgres = try ThrowawayPostgres.start()
        defer { postgres.remove() }
        let bridge = try await BridgeProcess { _, _ in
            """
            server: {host: 127.0.0.1, port: 0, shutdown_timeout_seconds: 2}
            store: {kind: postgres, url: "\(postgres.url)", seal_key: "${CAPI_SEAL_KEY}", instance_id: outage-test}
            sources:
              - {name: backend, kind: standard-webhooks, secrets: ["\(BridgeProcess.standardSecret)"], tolerance_seconds: 3600}
            destinations:
              - {name: sandbox, kind: sandbox, path: data/sandbox.jsonl, max_wait_ms: 50}
            logging: {level: info}
            """
        }
        defer { bridge.cleanUp() }
        try await withHTTPClient { client in
            #expect(try await Self.post(bridge, id: "before", client: client).status == 202)
            // Several outages: a worker's query on a connection the server has
            // just closed is what kept serve from exiting, and it takes a few.
            for cycle in 1...3 {
                try postgres.stop()
                let down = try await Self.post(bridge, id: "down-\(cycle)", client: client)
                #expect(down.status == 503, "cycle \(cycle)")
                #expect(down.retryAfter != nil, "cycle \(cycle)")
                try await Task.sleep(for: .seconds(1))
                try postgres.restart()
                let recovered = try await BridgeProcess.wait(seconds: 30) {
                    (try? await Self.post(bridge, id: "down-\(cycle)", client: client).status) == 202
                }
                #expect(recovered, "cycle \(cycle): ingest did not recover after PostgreSQL came back")
            }
        }
        kill(bridge.process.processIdentifier, SIGTERM)
        let exited = await BridgeProcess.wait(seconds: 15) { !bridge.process.isRunning }
        #expect(exited, "serve still running 15 s after SIGTERM (shutdown_timeout_seconds: 2)")
        if exited { #expect(bridge.process.terminationStatus == 0) }
        #expect(bridge.logs("store closed").count == 1)
        #expect(!bridge.logLines.contains { $0.contains("outage-") && $0.contains("@example.com") })
    }
}
