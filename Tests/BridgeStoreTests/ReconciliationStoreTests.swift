import BridgeCore
import BridgeStore
import Foundation
import Testing

/// The reconciliations' view of the store (`ReconciliationStore`), run
/// against every available store.
@Suite("Reconciliation store")
struct ReconciliationStoreTests: StoreTestCase {
    let sealer = IdentifierSealer.ephemeral()
    let t0 = Timestamp(secondsSinceEpoch: 1_767_300_000)

    func at(_ seconds: Int64) -> Timestamp { t0.advanced(by: .seconds(seconds)) }

    func run(_ id: String, source: String = "backend", trigger: ReconciliationRun.Trigger = .api, state: ReconciliationRun.State, requested: Int64)
        -> ReconciliationRun
    {
        ReconciliationRun(
            id: id, source: source, trigger: trigger, state: state, since: at(-86_400), until: at(0), backfill: false, requestedAt: at(requested))
    }

    @Test("purchase events of a window come with each destination's outcome and reason, and the ids asked for beyond it", arguments: StoreKind.available)
    func events(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            // Given three prepared events: suppressed at meta, pending at google; and one not prepared
            try await seed(store, count: 3, at: receivedAt) { index in
                index == 0
                    ? [NewDelivery(destination: "meta", state: .suppressed, payload: [], consentAction: "suppress", consentReason: "denied_consent_mode",
                                   identifiers: IdentifierSet(mask: 0)), pending("google")]
                    : [pending("meta")]
            }
            _ = try await store.ingest(request([purchase("sale:unprepared")], keys: ["u"]))
            // When the window holding their event time is read
            let eventTime = Timestamp(secondsSinceEpoch: 1_767_268_800)
            let events = try await store.reconciliationEvents(
                source: "backend", from: eventTime, to: eventTime.advanced(by: .seconds(1)), eventIDs: [])
            // Then each is there with its order id, value and outcomes
            #expect(events.map(\.eventID).sorted() == ["sale:0", "sale:1", "sale:2", "sale:unprepared"])
            let first = try #require(events.first { $0.eventID == "sale:0" })
            #expect(first.orderID == "1001")
            #expect(first.value == Money(amount: Money.Amount("19.90")!, currency: Currency(code: "EUR")!))
            #expect(first.prepared)
            #expect(first.deliveries.contains(ReconciliationDelivery(destination: "meta", outcome: .suppressed, reason: "denied_consent_mode")))
            #expect(first.deliveries.contains { $0.destination == "google" && $0.outcome == .pending })
            let unprepared = try #require(events.first { $0.eventID == "sale:unprepared" })
            #expect(!unprepared.prepared && unprepared.deliveries.isEmpty)
            // And an empty window still returns the events asked for by id, of that source only
            let byID = try await store.reconciliationEvents(source: "backend", from: at(0), to: at(1), eventIDs: ["sale:1", "sale:none"])
            #expect(byID.map(\.eventID) == ["sale:1"])
            #expect(try await store.reconciliationEvents(source: "other", from: eventTime, to: at(1), eventIDs: ["sale:1"]).isEmpty)
        }
    }

    @Test("a backfill mark is kept with the event", arguments: StoreKind.available)
    func backfillMark(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            _ = try await store.ingest(request([purchase("sale:a"), purchase("sale:b")]))
            try await store.markBackfilled(source: "backend", eventIDs: ["sale:b"], runID: "rec_x_1")
            let events = try await store.reconciliationEvents(source: "backend", from: at(-100_000), to: at(1), eventIDs: [])
            #expect(events.first { $0.eventID == "sale:a" }?.backfillRun == nil)
            #expect(events.first { $0.eventID == "sale:b" }?.backfillRun == "rec_x_1")
        }
    }

    @Test("runs are stored, listed newest first without reports, and claimed once", arguments: StoreKind.available)
    func runs(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            var completed = run("rec_1_a", state: .completed, requested: 1)
            completed.report = Array("{\"report\":true}".utf8)
            completed.summary = ReconciliationRun.Summary(orders: 100, missing: 3, valueDiffers: 1, undelivered: 2, eventsWithoutOrder: 0, backfilled: 0)
            completed.finishedAt = at(5)
            try await store.saveReconciliationRun(completed)
            try await store.saveReconciliationRun(run("rec_2_b", state: .queued, requested: 2))
            try await store.saveReconciliationRun(run("rec_3_c", source: "shop", state: .queued, requested: 3))
            // Then a run reads back whole
            #expect(try await store.reconciliationRun(id: "rec_1_a") == completed)
            #expect(try await store.reconciliationRun(id: "rec_9_z") == nil)
            // And lists are newest first, without reports, per source when asked
            let all = try await store.reconciliationRuns(source: nil, limit: 10)
            #expect(all.map(\.id) == ["rec_3_c", "rec_2_b", "rec_1_a"])
            #expect(all.allSatisfy { $0.report == nil })
            #expect(all.last?.summary == completed.summary)
            #expect(try await store.reconciliationRuns(source: "shop", limit: 10).map(\.id) == ["rec_3_c"])
            // And queued runs are claimed oldest first, each once
            let claimed = try await store.claimQueuedReconciliation(owner: "pod-1/a", now: at(10))
            #expect(claimed?.id == "rec_2_b" && claimed?.state == .running && claimed?.owner == "pod-1/a")
            #expect(try await store.claimQueuedReconciliation(owner: "pod-2/b", now: at(10))?.id == "rec_3_c")
            #expect(try await store.claimQueuedReconciliation(owner: "pod-2/b", now: at(10)) == nil)
            // And a restarted instance fails its previous incarnation's running runs only
            #expect(try await store.failInterruptedReconciliations(ownedBy: .prefix("pod-1/"), now: at(20)) == 1)
            #expect(try await store.reconciliationRun(id: "rec_2_b")?.state == .failed)
            #expect(try await store.reconciliationRun(id: "rec_3_c")?.state == .running)
        }
    }

    @Test("the last scheduled run of a source says whether its slot ran and whether the alert is active", arguments: StoreKind.available)
    func lastScheduled(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            var done = run("rec_1_a", source: "shop", trigger: .schedule, state: .completed, requested: 1)
            done.slot = at(0)
            done.alertSince = at(1)
            var failed = run("rec_2_b", source: "shop", trigger: .schedule, state: .failed, requested: 2)
            failed.slot = at(86_400)
            try await store.saveReconciliationRun(done)
            try await store.saveReconciliationRun(failed)
            try await store.saveReconciliationRun(run("rec_3_c", source: "shop", trigger: .api, state: .completed, requested: 3))
            #expect(try await store.lastScheduledReconciliation(source: "shop", completedOnly: true)?.alertSince == at(1))
            #expect(try await store.lastScheduledReconciliation(source: "shop", completedOnly: false)?.id == "rec_1_a")
            #expect(try await store.lastScheduledReconciliation(source: "other", completedOnly: false) == nil)
        }
    }

    @Test("the reconciliation lock runs the body and hands back its result", arguments: StoreKind.available)
    func lock(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let result = try await store.withReconciliationLock { 42 }
            #expect(result == 42)
        }
    }

    @Test("of two PostgreSQL instances, only one holds the reconciliation lock at a time", .enabled(if: StoreKind.postgresURL != nil))
    func advisoryLock() async throws {
        try await withFixture(.postgres) { fixture in
            let first = try await fixture.openPostgres()
            let second = try await fixture.openPostgres()
            let inner = try await first.withReconciliationLock { () async throws -> Int? in
                try await second.withReconciliationLock { 2 }
            }
            #expect(inner == .some(nil), "the second instance did not get the lock while the first held it")
            let after = try await second.withReconciliationLock { 3 }
            #expect(after == 3, "released after the first finished")
            await first.close()
            await second.close()
        }
    }
}
