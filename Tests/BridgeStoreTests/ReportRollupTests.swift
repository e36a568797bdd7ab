import BridgeCore
import BridgeStore
import Foundation
import GRDB
import PostgresNIO
import Testing

/// The hourly rollup behind the reports (`ReportRollupStore`), on every
/// available store: whatever happens to the deliveries (prepare, retries,
/// outcomes, replay, erasure, retention) and however much of the rollup is
/// folded, the tally read from it equals the tally of a scan of the rows,
/// exactly; and a populated store upgrading to it reports the same numbers.
@Suite("Report rollup")
struct ReportRollupTests: StoreTestCase {
    let sealer = IdentifierSealer.ephemeral()
    /// An hour boundary (UTC).
    let start = Timestamp(secondsSinceEpoch: 1_767_268_800)

    let destinations = [
        "meta": ReportDestination(name: "meta", kind: "meta", platform: .meta),
        "sandbox": ReportDestination(name: "sandbox", kind: "sandbox", platform: .meta),
    ]

    func at(_ seconds: Int64) -> Timestamp { start.advanced(by: .seconds(seconds)) }

    /// Whole-hour and ragged windows, by hour and by day, each filter and
    /// both breakdowns, a window inside one hour, one matching nothing.
    func queries() -> [ReportQuery] {
        [
            ReportQuery(since: at(-3_600), until: at(48 * 3_600), period: .hour, destinations: destinations),
            ReportQuery(since: at(-86_400), until: at(2 * 86_400), period: .day, includeTest: true, destinations: destinations),
            ReportQuery(since: at(1_234), until: at(5 * 3_600 + 777), period: .hour, destination: "meta", destinations: destinations),
            ReportQuery(
                since: at(600), until: at(3 * 86_400 + 5), period: .day, eventName: "Purchase", breakdown: .source, destinations: destinations),
            ReportQuery(
                since: at(2 * 3_600), until: at(6 * 3_600), period: .hour, source: "backend", breakdown: .campaign, includeTest: true,
                destinations: destinations),
            ReportQuery(since: at(1_800), until: at(3_000), period: .hour, destinations: destinations),
            ReportQuery(since: at(0), until: at(8 * 3_600), period: .hour, source: "elsewhere", destinations: destinations),
        ]
    }

    /// Every query's tally from the rollup against the scan's.
    func expectRollupEqualsScan(_ store: any StoreBackend, _ stage: String, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        for (index, query) in queries().enumerated() {
            let rollup = try await store.matchQualityTally(query)
            let scan = try await store.matchQualityScanTally(query)
            #expect(rollup == scan, "\(stage): query \(index)", sourceLocation: sourceLocation)
        }
    }

    /// Folds every delta.
    func compactAll(_ store: any StoreBackend) async throws -> Int {
        var total = 0
        while true {
            let folded = try await store.compactReportRollups(limit: 97)
            total += folded
            if folded < 97 { return total }
        }
    }

    @Test("the rollup's tally equals the scan's after prepare, retries, outcomes, replay, erasure and retention, folded or not", arguments: StoreKind.available)
    func rollupEqualsScan(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            // Given 320 deliveries of every state, reached through claims, retries and outcomes
            let plans = PlannedDelivery.generate(events: 160, start: start, seed: 23)
            try await seed(store, plans: plans)
            let everything = try await store.matchQualityScanTally(queries()[0])
            #expect(everything.series.values.flatMap(\.periods.values).reduce(0) { $0 + $1.received } == plans.filter { !$0.isTest }.count)
            // Then the rollup (nothing folded yet) gives the scan's numbers
            try await expectRollupEqualsScan(store, "unfolded")
            // And with part of it folded into cells
            #expect(try await store.compactReportRollups(limit: 150) == 150)
            try await expectRollupEqualsScan(store, "partly folded")
            // When dead letters are replayed, events erased and pending deliveries expired by retention
            let later = at(10 * 86_400)
            #expect(try await store.replayDeadLetters(DeadLetterFilter(destination: "meta"), now: later) > 0)
            let erased = try await store.erase(source: "backend", matching: SourceEventMatch(eventIDs: (0..<40).map { "report:\($0)" }))
            #expect(!erased.eventIDs.isEmpty)
            _ = try await store.applyRetention(RetentionPolicy(sealedIdentifiers: .seconds(3_600)), now: later.advanced(by: .seconds(86_400)))
            // Then the rollup still gives the scan's numbers, before and after folding everything
            try await expectRollupEqualsScan(store, "after replay, erasure and retention")
            #expect(try await compactAll(store) > 0)
            try await expectRollupEqualsScan(store, "folded")
            #expect(try await store.compactReportRollups(limit: 10) == 0)
            #expect(try await store.reportRollupBacklog() == 0)
            // And when replayed deliveries are then delivered, on top of folded cells
            let replayed = try await store.claimDeliveries(
                destination: "meta", limit: 1_000, maxBytes: 1 << 40, owner: "test", leaseUntil: later.advanced(by: .seconds(3_600)), now: later)
            try await store.complete(replayed.map { .delivered(id: $0.id, batchID: "again", status: 200) }, owner: "test", now: later)
            try await expectRollupEqualsScan(store, "folded, then delivered")
            _ = try await compactAll(store)
            try await expectRollupEqualsScan(store, "folded again")
            #expect(try await store.matchQualityTally(queries()[0]) != everything)
        }
    }

    @Test("a populated store upgrading to the rollup (v11) counts its existing deliveries", arguments: StoreKind.available)
    func backfill(_ kind: StoreKind) async throws {
        try await withFixture(kind) { fixture in
            // Given a store with deliveries, taken back to before v11
            var store = try await fixture.open()
            try await seed(store, plans: PlannedDelivery.generate(events: 120, start: start, seed: 5))
            var expected: [ReportTally] = []
            for query in queries() { expected.append(try await store.matchQualityScanTally(query)) }
            await store.close()
            try await fixture.removeRollups()
            // When it is opened again (v11 runs and backfills)
            store = try await fixture.open()
            // Then the rollup reports what the rows held, folded or not
            for (index, query) in queries().enumerated() {
                #expect(try await store.matchQualityTally(query) == expected[index], "query \(index)")
            }
            #expect(try await store.reportRollupBacklog() >= 240)
            #expect(try await compactAll(store) >= 240)
            for (index, query) in queries().enumerated() {
                #expect(try await store.matchQualityTally(query) == expected[index], "folded: query \(index)")
            }
            await store.close()
        }
    }
}

extension StoreFixture {
    /// Drops what migration v11 created and forgets it was applied, as if the
    /// store had been written by an older version.
    func removeRollups() async throws {
        switch kind {
        case .sqlite:
            let queue = try DatabaseQueue(path: path)
            try await queue.write { db in
                try db.execute(
                    sql: """
                        DROP TRIGGER deliveries_rollup_insert; DROP TRIGGER deliveries_rollup_update; DROP TRIGGER deliveries_rollup_delete;
                        DROP TABLE delivery_rollup_deltas; DROP TABLE delivery_rollup_cells; DROP INDEX deliveries_queue; DROP INDEX deliveries_confirmation;
                        DELETE FROM grdb_migrations WHERE identifier = 'v11-delivery-rollups';
                        """)
            }
            try queue.close()
        case .postgres:
            let schema = try #require(postgres?.schema)
            try await withAdminConnection { connection in
                for statement in [
                    "DROP TRIGGER deliveries_rollup_insert ON \(schema).deliveries", "DROP TRIGGER deliveries_rollup_update ON \(schema).deliveries",
                    "DROP TRIGGER deliveries_rollup_delete ON \(schema).deliveries", "DROP FUNCTION \(schema).record_delivery_rollup_delta()",
                    "DROP TABLE \(schema).delivery_rollup_deltas, \(schema).delivery_rollup_cells",
                    "DROP INDEX \(schema).deliveries_queue, \(schema).deliveries_confirmation",
                    "DELETE FROM \(schema).schema_migrations WHERE name = 'v11-delivery-rollups'",
                ] {
                    _ = try await connection.query(PostgresQuery(unsafeSQL: statement), logger: Self.logger).collect()
                }
            }
        }
    }
}
