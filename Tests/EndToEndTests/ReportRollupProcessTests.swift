import BridgeCore
import BridgeMocks
import BridgeStore
import Foundation
import Testing

/// `serve` keeps the reports' hourly rollup (migration v11): on a store
/// written by an older version (`fixtures/stores/v4-sqlite`) the migration
/// counts the existing deliveries, the triggers count every outcome the
/// running bridge records, and its `ReportRollupService` folds them, so the
/// report read from the rollup is the report of the rows.
@Suite("Report rollup in the running bridge", .serialized)
struct ReportRollupProcessTests {
    @Test("an upgraded store's deliveries and the bridge's new outcomes are folded by serve and report as a scan of the rows does")
    func serveFoldsTheRollup() async throws {
        // Given a copy of an old store with seven events queued
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("capi-rollup-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let fixture = BridgeCommand.repositoryRoot.appendingPathComponent("fixtures/stores/v4-sqlite")
        try FileManager.default.copyItem(at: fixture.appendingPathComponent("outbox.sqlite"), to: directory.appendingPathComponent("outbox.sqlite"))
        try FileManager.default.copyItem(at: fixture.appendingPathComponent("audit"), to: directory.appendingPathComponent("audit"))
        let receiver = try await MockRedirectServer.start()
        // When serve runs on it until the events are delivered
        let bridge = try await BridgeProcess(directory: directory, sealKey: UpgradeTests.sealKey) { directory, storePath in
            """
            server: {host: 127.0.0.1, port: 0}
            store: {path: \(storePath), seal_key: "${CAPI_SEAL_KEY}"}
            sources:
              - {name: backend, kind: standard-webhooks, secrets: ["\(UpgradeTests.secret)"]}
            destinations:
              - {name: warehouse, kind: webhook, url: "\(receiver.baseURL)/hooks", secret: "\(UpgradeTests.secret)", max_event_age_days: 3650, max_wait_ms: 20}
            audit: {dir: \(directory.path)/audit, digest_key: "upgrade-fixture-audit-key"}
            retention: {sealed_identifiers_days: 36500, delivered_payload_days: 36500}
            logging: {level: info}
            """
        }
        defer { bridge.cleanUp() }
        let reader = try SQLiteStore(path: bridge.storePath)
        let query = ReportQuery(
            since: Timestamp(millisecondsSinceEpoch: 0), until: Timestamp(millisecondsSinceEpoch: Int64(Date().timeIntervalSince1970 * 1000) + 3_600_000),
            period: .day)
        var sent = 0
        var backlog = -1
        let deadline = ContinuousClock.now + .seconds(30)
        while sent < 7 || backlog != 0, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(200))
            sent = try await reader.matchQualityScanTally(query).series.values.flatMap(\.periods.values).reduce(0) { $0 + $1.sent }
            backlog = try await reader.reportRollupBacklog()
        }
        // Then every delivery is folded into the rollup by the running bridge
        #expect(sent == 7)
        #expect(backlog == 0)
        // And the report from the rollup is the report of the rows
        let fromRollup = try await reader.matchQualityTally(query)
        #expect(fromRollup == (try await reader.matchQualityScanTally(query)))
        #expect(fromRollup.series.values.flatMap(\.periods.values).reduce(0) { $0 + $1.sent } == 7)
        await reader.close()
        #expect(try await bridge.stop(signal: SIGTERM) == 0)
        await receiver.stop()
    }
}
