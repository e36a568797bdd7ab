import AsyncHTTPClient
import BridgeCore
import BridgeMocks
import BridgeSources
import Foundation
import NIOCore
import NIOHTTP1
import Testing

@Suite("Crash recovery of the real process", .serialized)
struct CrashRecoveryTests {
    /// A signed purchase of now-ish (Meta takes events up to 7 days old).
    static func purchase(_ i: Int, at time: Date) -> String {
        let stamp = ISO8601DateFormatter().string(from: time)
        return #"{"type":"conversion.purchase","timestamp":"\#(stamp)","data":{"event_id":"sale:crash:\#(i)","event_name":"Purchase","event_time":"\#(stamp)","value":"19.90","currency":"EUR","customer":{"email":"crash\#(i)@example.com","phone":"+4915123456\#(String(format: "%03d", i))"},"consent":{"ad_user_data":"granted","ad_personalization":"granted"},"test":false}}"#
    }

    static func config(meta: MockMetaServer) -> (URL, String) -> String {
        { _, storePath in
            """
            server: {host: 127.0.0.1, port: 0}
            store: {path: \(storePath), seal_key: "${CAPI_SEAL_KEY}"}
            sources:
              - {name: backend, kind: standard-webhooks, secrets: ["\(BridgeProcess.standardSecret)"]}
            destinations:
              - {name: meta, kind: meta, pixel_id: "1234567890", access_token: "${META_TOKEN}", base_url: "\(meta.baseURL)", max_wait_ms: 50, max_events_per_request: 50, concurrency: 4}
            logging: {level: info}
            """
        }
    }

    @Test("kill -9 while 300 events are mid-delivery, restart: every acknowledged event is delivered within 10 s, duplicates only under the same event id")
    func killDuringDelivery() async throws {
        var options = MockMetaServer.Options()
        options.responseDelay = .milliseconds(500)
        options.accessToken = "meta-test-token"
        let meta = try await MockMetaServer.start(options)
        let environment = ["META_TOKEN": "meta-test-token"]
        let first = try await BridgeProcess(environment: environment, config: Self.config(meta: meta))
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        // Given 300 acknowledged purchases
        let now = Date().addingTimeInterval(-60)
        var acknowledged = Set<String>()
        try await withThrowingTaskGroup(of: (Int, UInt).self) { group in
            for i in 0..<300 {
                group.addTask { try await DurabilityTests.post(i, body: Self.purchase(i, at: now), port: first.port, client: client) }
            }
            for try await (i, status) in group where status == 202 { acknowledged.insert("sale:crash:\(i)") }
        }
        #expect(acknowledged.count == 300)
        // When the process is killed while requests are in flight at the (slow) platform
        for _ in 0..<400 where meta.requestCount == 0 { try await Task.sleep(for: .milliseconds(25)) }
        #expect(meta.requestCount > 0, "delivery had started")
        try await first.stop(signal: SIGKILL)
        let deliveredBeforeRestart = Set(meta.acceptedEventIDs)
        // And started again on the same store
        let restartedAt = ContinuousClock.now
        let second = try await BridgeProcess(
            environment: environment, directory: first.directory, sealKey: first.sealKey, config: Self.config(meta: meta))
        defer { second.cleanUp() }
        // Then every acknowledged event reaches the platform within 10 s of the restart
        while Set(meta.acceptedEventIDs).isSuperset(of: acknowledged) == false, ContinuousClock.now - restartedAt < .seconds(10) {
            try await Task.sleep(for: .milliseconds(50))
        }
        let accepted = meta.acceptedEventIDs
        #expect(Set(accepted).isSuperset(of: acknowledged), "missing: \(acknowledged.subtracting(accepted).count)")
        #expect(ContinuousClock.now - restartedAt < .seconds(10))
        // And whatever was sent twice was sent under its one event id
        #expect(Set(accepted).isSubset(of: acknowledged))
        #expect(deliveredBeforeRestart.count < acknowledged.count, "the kill interrupted delivery")
        try await client.shutdown()
        await meta.stop()
        #expect(!second.logLines.contains { $0.contains("@example.com") })
    }

    @Test("a torn audit line appended while serving: the chain continues, audit verify names the torn segment, every delivery has its entry")
    func tornAuditLine() async throws {
        let meta = try await MockMetaServer.start({ var o = MockMetaServer.Options(); o.accessToken = "meta-test-token"; return o }())
        let environment = ["META_TOKEN": "meta-test-token"]
        let bridge = try await BridgeProcess(environment: environment) { directory, storePath in
            Self.config(meta: meta)(directory, storePath) + "\naudit: {dir: \(directory.path)/audit}\n"
        }
        defer { bridge.cleanUp() }
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let now = Date().addingTimeInterval(-60)
        func deliver(_ range: Range<Int>) async throws {
            for i in range {
                let (_, status) = try await DurabilityTests.post(i, body: Self.purchase(i, at: now), port: bridge.port, client: client)
                #expect(status == 202)
            }
            for _ in 0..<400 where !Set(meta.acceptedEventIDs).isSuperset(of: range.map { "sale:crash:\($0)" }) {
                try await Task.sleep(for: .milliseconds(25))
            }
        }
        // Given traffic audited in today's file
        try await deliver(0..<5)
        let audit = bridge.directory.appendingPathComponent("audit")
        let file = try #require(FileManager.default.contentsOfDirectory(atPath: audit.path).first { $0.hasSuffix(".jsonl") })
        // When a write is torn (the test appends half an entry, as a crash or a full disk leaves it)
        let handle = try FileHandle(forWritingTo: audit.appendingPathComponent(file))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(#"{"v":1,"seq":99,"batch_id":"torn-by-test","event_ids":["sale:"#.utf8))
        try handle.close()
        // And traffic goes on
        try await deliver(5..<10)
        #expect(Set(meta.acceptedEventIDs) == Set((0..<10).map { "sale:crash:\($0)" }))
        // Then the chain verifies, and audit verify names the torn segment
        let verify = try await BridgeCommand.run(["audit", "verify", audit.path], in: bridge.directory)
        #expect(verify.status == 0, "\(verify.output)")
        #expect(verify.output.contains("OK chain intact"))
        #expect(verify.output.contains("NOTE \(file).torn:1: torn segment"))
        // And every event the platform accepted has an audit entry before it was sent, and one with its answer
        let lines = try String(contentsOf: audit.appendingPathComponent(file), encoding: .utf8).split(separator: "\n")
            .map { try AuditRecordLine(line: $0.utf8) }
        for i in 0..<10 {
            let attempt = try #require(lines.first { $0.kind == "attempt" && $0.eventIDs.contains("sale:crash:\(i)") })
            #expect(lines.contains { $0.kind == "outcome" && $0.batchID == attempt.batchID && $0.responseStatus == 200 })
        }
        #expect(bridge.logLines.contains { $0.contains("torn segment") })
        try await client.shutdown()
        await meta.stop()
    }
}
