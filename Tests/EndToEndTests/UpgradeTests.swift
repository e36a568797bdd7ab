import BridgeCore
import BridgeMocks
import BridgeStore
import Foundation
import Testing

/// Today's `serve` on an outbox written by the version before the typed
/// pipeline (`fixtures/stores/v4-sqlite`, made by
/// `scripts/make-upgrade-fixture.sh`): JSON event bodies, identifiers sealed
/// without a key id, deliveries holding the platform's JSON and their own
/// sealed clear fields, a v1 audit chain, and work queued in both stages.
@Suite("Upgrading a populated store", .serialized)
struct UpgradeTests {
    static let sealKey = "q3v1PqRxt7cTtXQ7o0nbn8lKcm8G0c8O9XKxJ0o3Qzk="
    static let secret = BridgeProcess.standardSecret

    @Test("events and deliveries queued in the old formats are all delivered, with their clear fields, and the audit chain goes on")
    func upgrade() async throws {
        // Given a copy of the old store and its audit files
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("capi-upgrade-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let fixture = BridgeCommand.repositoryRoot.appendingPathComponent("fixtures/stores/v4-sqlite")
        try FileManager.default.copyItem(at: fixture.appendingPathComponent("outbox.sqlite"), to: directory.appendingPathComponent("outbox.sqlite"))
        try FileManager.default.copyItem(at: fixture.appendingPathComponent("audit"), to: directory.appendingPathComponent("audit"))
        let receiver = try await MockRedirectServer.start()
        // When today's bridge starts on it (old leases released at start, nothing expired by retention)
        let bridge = try await BridgeProcess(directory: directory, sealKey: Self.sealKey) { directory, storePath in
            """
            server: {host: 127.0.0.1, port: 0}
            store: {path: \(storePath), seal_key: "${CAPI_SEAL_KEY}"}
            sources:
              - {name: backend, kind: standard-webhooks, secrets: ["\(Self.secret)"]}
            destinations:
              - {name: warehouse, kind: webhook, url: "\(receiver.baseURL)/hooks", secret: "\(Self.secret)", max_event_age_days: 3650, max_wait_ms: 20}
            audit: {dir: \(directory.path)/audit, digest_key: "upgrade-fixture-audit-key"}
            retention: {sealed_identifiers_days: 36500, delivered_payload_days: 36500}
            logging: {level: info}
            """
        }
        defer { bridge.cleanUp() }
        // Then all seven events reach the receiver: the four prepared by the old version
        // (their items rebuilt from the stored JSON and sealed clear fields) and the
        // three it had accepted but not prepared
        let expected = Set((0..<7).map { "sale:upgrade:\($0)" })
        var events: [String: JSONValue] = [:]
        let deadline = ContinuousClock.now + .seconds(20)
        while Set(events.keys) != expected, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(100))
            for request in receiver.requests {
                for event in (try? JSONParser.parse(request.body))?["data"]?["events"]?.arrayValue ?? [] {
                    if let id = event["event_id"]?.stringValue { events[id] = event }
                }
            }
        }
        #expect(Set(events.keys) == expected)
        for index in 0..<7 {
            let event = try #require(events["sale:upgrade:\(index)"])
            #expect(event["client"]?["ip_address"] == .string("198.51.100.\(40 + index)"), "clear field of event \(index)")
            #expect(event["user_data"]?["email"] == .string(IdentifierHasher.sha256Hex("upgrade.buyer\(index)@example.com")))
        }
        #expect(try await bridge.stop(signal: SIGTERM) == 0)
        // And the store holds them as delivered
        let store = try SQLiteStore(path: bridge.storePath)
        #expect(try await store.queueStats(now: Timestamp(millisecondsSinceEpoch: Int64(Date().timeIntervalSince1970 * 1000)))["warehouse"]?.pending ?? 0 == 0)
        #expect(try await store.storedEvents(source: nil, limit: 20).allSatisfy { $0.sealed == nil })
        await store.close()
        // And the audit chain verifies across the old entries and the new ones
        let verify = try await BridgeCommand.run(["audit", "verify", directory.appendingPathComponent("audit").path], in: directory)
        #expect(verify.status == 0, "\(verify.output)")
        #expect(verify.output.contains("OK chain intact"))
        // (The old entries stay in the fixture's day file; the new ones go to
        // today's, which is the same file only on the day the fixture was made.)
        let files = auditFiles(in: directory)
        #expect(!files.isEmpty)
        let lines = try files.flatMap { try String(contentsOf: $0, encoding: .utf8).split(separator: "\n") }
        #expect(lines.contains { $0.hasPrefix("{\"batch_id\"") } && lines.contains { $0.hasPrefix("{\"v\":2,") }, "old and new entries")
        #expect(!bridge.logLines.contains { $0.contains("@example.com") || $0.contains("198.51.100.") })
        await receiver.stop()
    }

    /// Every day file of the audit log, oldest first.
    func auditFiles(in directory: URL) -> [URL] {
        let audit = directory.appendingPathComponent("audit")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: audit.path)) ?? []
        return names.filter { $0.hasSuffix(".jsonl") }.sorted().map { audit.appendingPathComponent($0) }
    }
}
