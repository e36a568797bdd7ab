import BridgeCore
import BridgeStore
import Foundation
import Testing

/// The reports' view of the store (`ReportStore`), run against every
/// available store: what each delivery row records (`enriched_by`
/// included) comes back as the same tally, bit for bit, on SQLite and
/// PostgreSQL.
@Suite("Report store")
struct ReportStoreTests: StoreTestCase {
    let sealer = IdentifierSealer.ephemeral()
    /// An hour boundary (UTC).
    let start = Timestamp(secondsSinceEpoch: 1_767_268_800)

    let destinations = [
        "meta": ReportDestination(name: "meta", kind: "meta", platform: .meta),
        "sandbox": ReportDestination(name: "sandbox", kind: "sandbox", platform: .meta),
    ]

    func hours(_ count: Int64) -> Timestamp { start.advanced(by: .seconds(count * 3600)) }

    /// Runs `body` with the store of `kind` as a `ReportStore`.
    func withReports(_ kind: StoreKind, _ body: (any StoreBackend, any ReportStore) async throws -> Void) async throws {
        try await withStore(kind) { store in
            try await body(store, store)
        }
    }

    /// Reports over the generated data: everything, test events included,
    /// one destination by day, one event name in a window that cuts the data.
    func queries() -> [ReportQuery] {
        [
            ReportQuery(since: hours(-1), until: hours(48), period: .hour, destinations: destinations),
            ReportQuery(since: hours(-1), until: hours(48), period: .hour, includeTest: true, destinations: destinations),
            ReportQuery(since: hours(-24), until: hours(24), period: .day, destination: "meta", destinations: destinations),
            ReportQuery(since: hours(2), until: hours(5), period: .hour, eventName: "AddToCart", destinations: destinations),
        ]
    }

    @Test("the tally counts states, reasons, retries, coverage, latency and what each enrichment provider added", arguments: StoreKind.available)
    func knownCounts(_ kind: StoreKind) async throws {
        try await withReports(kind) { store, reports in
            // Given seven Meta deliveries of purchases received in one hour
            let at = start.millisecondsSinceEpoch + 300_000
            func plan(_ id: String, _ state: DeliveryState, identifiers: [IdentifierKey] = [.email]) -> PlannedDelivery {
                PlannedDelivery(
                    eventID: id, destination: "meta", eventName: .purchase, isTest: false, receivedAtMS: at, state: state, consentAction: "send",
                    consentReason: "granted", retries: 0, identifiers: IdentifierSet(identifiers).mask, enriched: 0, enrichedBy: [:], latencyMS: 2_000)
            }
            var enriched = plan("sent-enriched", .delivered, identifiers: [.email, .phone, .fbc])
            enriched.enriched = IdentifierSet([.phone, .fbc]).mask
            enriched.enrichedBy = ["graph": IdentifierSet([.phone]), "clicks": IdentifierSet([.fbc])]
            var limited = plan("sent-limited", .delivered)
            (limited.consentAction, limited.consentReason, limited.retries, limited.latencyMS) = ("send_limited", "gpc_opt_out", 1, 4_000)
            var suppressed = plan("suppressed", .suppressed)
            (suppressed.consentAction, suppressed.consentReason) = ("suppress", "denied_consent_mode")
            var skipped = plan("skipped", .skipped)
            skipped.skipReason = "no_identifier"
            var dead = plan("dead", .dead)
            (dead.deadCode, dead.retries) = ("invalid_parameters", 1)
            var test = plan("test", .delivered)
            test.isTest = true
            try await seed(store, plans: [enriched, limited, suppressed, skipped, dead, plan("pending", .pending), test])
            // When the hour is reported, without and with test events
            let query = ReportQuery(since: start, until: hours(1), period: .hour, destinations: destinations)
            let tally = try await reports.matchQualityTally(query)
            var withTest = query
            withTest.includeTest = true
            let tallyWithTest = try await reports.matchQualityTally(withTest)
            // Then every count is as recorded
            let series = try #require(tally.series[ReportSeriesKey(destination: "meta", eventName: "Purchase")])
            let counts = try #require(series.periods[start.millisecondsSinceEpoch])
            #expect(tally.series.count == 1 && series.periods.count == 1)
            let states: [Int] = [
                counts.received, counts.sent, counts.sentLimited, counts.pending, counts.suppressed, counts.skipped, counts.deadLettered, counts.retried,
            ]
            #expect(states == [6, 2, 1, 1, 1, 1, 1, 2])
            #expect(counts.suppressedByReason == ["denied_consent_mode": 1])
            #expect(counts.skippedByReason == ["no_identifier": 1])
            #expect(counts.deadByCode == ["invalid_parameters": 1])
            let coverage: [Int] = [counts.coverage(.email), counts.coverage(.phone), counts.coverage(.fbc), counts.coverage(.firstName)]
            let enrichedCounts: [Int] = [counts.enriched(.phone), counts.enriched(.fbc), counts.enriched(.email)]
            #expect(coverage == [2, 1, 1, 0])
            #expect(enrichedCounts == [1, 1, 0])
            // And enriched_by was stored with the delivery: each provider is credited with what it added
            #expect(counts.enrichedByProvider.keys.sorted() == ["clicks", "graph"])
            #expect(counts.enrichedByProvider["graph"]?[IdentifierKey.phone.rawValue] == 1)
            #expect(counts.enrichedByProvider["graph"]?.reduce(0, +) == 1)
            #expect(counts.enrichedByProvider["clicks"]?[IdentifierKey.fbc.rawValue] == 1)
            #expect(counts.enrichedByProvider["clicks"]?.reduce(0, +) == 1)
            #expect(counts.latency.count == 2 && counts.latency.percentile(1.0) == 4_000)
            #expect(series.sentMasks == [IdentifierSet([.email, .phone, .fbc]).mask: 1, IdentifierSet([.email]).mask: 1])
            #expect(counts.scoreSum > counts.scoreWithoutEnrichmentSum)
            let withTestCounts = tallyWithTest.series[ReportSeriesKey(destination: "meta", eventName: "Purchase")]?.periods[start.millisecondsSinceEpoch]
            #expect(withTestCounts?.received == 7 && withTestCounts?.sent == 3)
            // And a window or a destination without deliveries reports nothing
            let empty = try await reports.matchQualityTally(ReportQuery(since: hours(1), until: hours(2), period: .hour, destinations: destinations))
            let otherDestination = try await reports.matchQualityTally(
                ReportQuery(since: start, until: hours(1), period: .hour, destination: "sandbox", destinations: destinations))
            #expect(empty == ReportTally() && otherDestination == ReportTally())
        }
    }

    @Test("the tally equals the stored rows folded in the report index's order", arguments: StoreKind.available)
    func foldsInIndexOrder(_ kind: StoreKind) async throws {
        try await withReports(kind) { store, reports in
            // Given 300 deliveries of every kind, received in shuffled order over seven hours
            let plans = PlannedDelivery.generate(events: 150, start: start, seed: 7)
            try await seed(store, plans: plans)
            // Then each report's tally is exactly what the accumulator makes of those rows in index order
            for query in queries() {
                let tally = try await reports.matchQualityTally(query)
                let expected = PlannedDelivery.expectedTally(plans, query)
                #expect(!tally.series.isEmpty)
                #expect(tally == expected, "\(query.period) \(query.destination ?? "*") \(query.eventName ?? "*") test=\(query.includeTest)")
            }
        }
    }

    @Test("SQLite and PostgreSQL fold the same deliveries into identical tallies", .enabled(if: StoreKind.postgresURL != nil))
    func backendsAgree() async throws {
        let plans = PlannedDelivery.generate(events: 150, start: start, seed: 11)
        var tallies: [StoreKind: [ReportTally]] = [:]
        for kind in [StoreKind.sqlite, .postgres] {
            try await withReports(kind) { store, reports in
                // Given the same deliveries in each store
                try await seed(store, plans: plans)
                // When the same reports are made
                var results: [ReportTally] = []
                for query in queries() { results.append(try await reports.matchQualityTally(query)) }
                tallies[kind] = results
            }
        }
        // Then they are equal, down to the last bit of every score sum
        let sqlite = try #require(tallies[.sqlite])
        let postgres = try #require(tallies[.postgres])
        #expect(sqlite.count == queries().count && sqlite.allSatisfy { !$0.series.isEmpty })
        for (index, (fromSQLite, fromPostgres)) in zip(sqlite, postgres).enumerated() {
            #expect(fromSQLite == fromPostgres, "query \(index)")
        }
    }
}
