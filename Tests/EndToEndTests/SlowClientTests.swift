#if os(Linux)
import AsyncHTTPClient
import Foundation
import Testing

/// Connections and requests are bounded in time and number, against the real
/// `capi-bridge serve` process over loopback.
@Suite("The real process bounds slow and idle clients", .serialized)
struct SlowClientTests {
    /// The standard test source and store, with `server` keys added.
    static func config(server: String) -> (URL, String) -> String {
        { directory, storePath in
            """
            server: {host: 127.0.0.1, port: 0, \(server)}
            store: {path: \(storePath), seal_key: "${CAPI_SEAL_KEY}"}
            sources:
              - {name: backend, kind: standard-webhooks, secrets: ["\(BridgeProcess.standardSecret)"]}
            audit: {dir: \(directory.path)/audit}
            logging: {level: info}
            """
        }
    }

    @Test("500 slowloris connections are closed by the timeouts while a webhook posted meanwhile gets 202 in under a second")
    func slowloris() async throws {
        let bridge = try await BridgeProcess(config: Self.config(server: "idle_timeout_seconds: 2, body_timeout_seconds: 3"))
        defer { bridge.cleanUp() }
        // Given 250 clients trickling a header block that never ends, and 250
        // trickling a body that never ends, one byte every 200 ms
        let headers = "POST /v1/webhooks/backend HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            + String(repeating: "X-Slow: trickled header\r\n", count: 40)
        let body = "POST /v1/webhooks/backend HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 2000\r\n\r\n"
        let started = ContinuousClock.now
        var clients: [SlowClient] = []
        for i in 0..<500 {
            let client = try SlowClient(port: bridge.port, request: i.isMultiple(of: 2) ? headers : body + String(repeating: "{", count: 1000))
            if i % 2 == 1 { for _ in 0..<body.utf8.count { client.trickle() } }  // the header block at once, then the body slowly
            clients.append(client)
        }
        func tick() async throws {
            for client in clients { client.trickle() }
            try await Task.sleep(for: .milliseconds(200))
        }
        try await tick()
        // When a well-behaved sender posts a webhook while all 500 are held open
        let openWhilePosting = clients.filter { !$0.isClosed }.count
        // (three in a row: on a machine busy with other tests one answer may be slow
        // for reasons of its own; slow clients holding the server up would slow all three)
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        var webhooks: [(status: UInt, elapsed: Duration)] = []
        for index in 1...3 {
            let webhook = try await SignedWebhook.post(baseURL: "http://127.0.0.1:\(bridge.port)", eventID: "sale:slow:\(index)", client: http)
            webhooks.append((webhook.status, webhook.elapsed))
        }
        try await http.shutdown()
        // Then it is accepted within its normal latency
        #expect(openWhilePosting == 500, "the slow clients were held open while the webhook was posted")
        #expect(webhooks.allSatisfy { $0.status == 202 })
        let fastest = webhooks.map(\.elapsed).min() ?? .seconds(60)
        #expect(fastest < .seconds(1), "webhooks answered in \(webhooks.map(\.elapsed))")
        // And every slow client is disconnected by the idle (headers) or body timeout
        while clients.contains(where: { !$0.isClosed }), ContinuousClock.now - started < .seconds(30) { try await tick() }
        let stillOpen = clients.indices.filter { !clients[$0].isClosed }
        #expect(stillOpen.count == 0, "\(stillOpen.count) slow clients still open (\(stillOpen.filter { $0 % 2 == 0 }.count) trickling headers)")
        // And the process stayed small
        let peak = try bridge.peakResidentBytes()
        #expect(peak < 150 * 1_048_576, "peak RSS \(peak / 1_048_576) MB")
        #expect(try await bridge.stop(signal: SIGTERM) == 0)
    }

    @Test("beyond max_connections new connections wait until the idle timeout frees one")
    func connectionLimit() async throws {
        let bridge = try await BridgeProcess(config: Self.config(server: "max_connections: 4, idle_timeout_seconds: 2"))
        defer { bridge.cleanUp() }
        // Given four idle connections holding every slot
        let idle = try (0..<4).map { _ in try SlowClient(port: bridge.port, request: "") }
        try await Task.sleep(for: .milliseconds(200))
        // When a webhook is posted on a fifth
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        let webhook = try await SignedWebhook.post(baseURL: "http://127.0.0.1:\(bridge.port)", eventID: "sale:limit:1", client: http)
        try await http.shutdown()
        // Then it is only answered once the idle ones were closed, and then accepted
        #expect(webhook.status == 202)
        #expect(webhook.elapsed > .milliseconds(1500), "answered after \(webhook.elapsed), before any slot was free")
        for client in idle { client.poll() }
        #expect(idle.allSatisfy { $0.isClosed })
        #expect(try await bridge.stop(signal: SIGTERM) == 0)
    }

    @Test("a header block larger than max_header_bytes is refused and the connection closed")
    func headerLimit() async throws {
        let bridge = try await BridgeProcess(config: Self.config(server: "max_header_bytes: 2048"))
        defer { bridge.cleanUp() }
        let request = "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n" + String(repeating: "X-Padding: \(String(repeating: "p", count: 100))\r\n", count: 30)
        let client = try SlowClient(port: bridge.port, request: request + "\r\n")
        let started = ContinuousClock.now
        while !client.isClosed, ContinuousClock.now - started < .seconds(10) {
            for _ in 0..<512 { client.trickle() }
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(client.isClosed)
        #expect(client.received.hasPrefix("HTTP/1.1 400"), "answered: \(client.received.prefix(200))")
        // A request within the limit is served
        let small = try SlowClient(port: bridge.port, request: "GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
        while !small.isClosed, ContinuousClock.now - started < .seconds(20) {
            small.trickle()
            try await Task.sleep(for: .milliseconds(1))
        }
        #expect(small.received.hasPrefix("HTTP/1.1 200"), "answered: \(small.received.prefix(200))")
        #expect(try await bridge.stop(signal: SIGTERM) == 0)
    }

    @Test("SIGTERM with a request stuck mid-body exits within the shutdown deadline")
    func shutdownDeadline() async throws {
        let bridge = try await BridgeProcess(
            config: Self.config(server: "shutdown_timeout_seconds: 1, body_timeout_seconds: 120, idle_timeout_seconds: 120"))
        defer { bridge.cleanUp() }
        // Given a request whose body stops arriving
        let stuck = try SlowClient(
            port: bridge.port,
            request: "POST /v1/webhooks/backend HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{")
        for _ in 0..<200 { stuck.trickle() }
        try await Task.sleep(for: .milliseconds(300))
        #expect(!stuck.isClosed)
        // When the process is asked to stop
        let started = ContinuousClock.now
        kill(bridge.process.processIdentifier, SIGTERM)
        while bridge.process.isRunning, ContinuousClock.now - started < .seconds(30) { try await Task.sleep(for: .milliseconds(50)) }
        // Then it stops after the 1 s deadline, not the 120 s body timeout, and closes the store
        try #require(!bridge.process.isRunning)
        #expect(ContinuousClock.now - started < .seconds(15))
        #expect(bridge.process.terminationStatus == 0)
        #expect(bridge.logLines.contains { $0.contains("store closed") })
        #expect(!bridge.logLines.contains { $0.contains("unhandled error") })
    }
}
#endif
