import BridgeCore
import BridgeStore
import Foundation
import Testing

/// The prepare and deliver side of the store contract (claims under leases,
/// outcomes, dead letters, queue statistics), run against every available store.
@Suite("Delivery store")
struct DeliveryStoreTests: StoreTestCase {
    let sealer = IdentifierSealer.ephemeral()
    let t0 = Timestamp(secondsSinceEpoch: 1_767_300_000)

    func at(_ seconds: Int64) -> Timestamp { t0.advanced(by: .seconds(seconds)) }

    @Test("preparation claims unprepared events in order and recording erases their sealed identifiers", arguments: StoreKind.available)
    func prepareErasesSealed(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            // Given three events with sealed identifiers
            for index in 0..<3 { _ = try await store.ingest(request([purchase("sale:\(index)")], keys: ["w\(index)"])) }
            // When A claims two and B claims the rest
            let claimedByA = try await store.claimForPreparation(limit: 2, owner: "A", leaseUntil: at(30), now: t0)
            let claimedByB = try await store.claimForPreparation(limit: 10, owner: "B", leaseUntil: at(30), now: t0)
            #expect(claimedByA.map(\.eventID) == ["sale:0", "sale:1"])
            #expect(claimedByB.map(\.eventID) == ["sale:2"])
            #expect(claimedByA.allSatisfy { $0.sealed != nil })
            #expect(try claimedByA[0].restore(with: sealer).customer[.email]?.rawValue == "noah@example.de")
            // And A records its deliveries
            let suppressed = NewDelivery(destination: "google", state: .suppressed, payload: nil, consentAction: "suppress", consentReason: "no_consent")
            try await store.recordPreparation(
                [
                    PreparedEvent(eventSequence: claimedByA[0].sequence, deliveries: [pending("meta"), suppressed]),
                    PreparedEvent(eventSequence: claimedByA[1].sequence, deliveries: [pending("meta")]),
                ], owner: "A", now: t0)
            // Then the prepared events' sealed identifiers are gone, the other's kept
            let stored = try await store.storedEvents(source: nil, limit: 10)
            #expect(stored.map { $0.sealed == nil } == [true, true, false])
            // And the deliveries are queued; suppressed ones are not counted
            let stats = try await store.queueStats(now: t0)
            #expect(stats == ["meta": QueueStats(pending: 2, dead: 0, oldestPendingReceivedAt: receivedAt, unprepared: 1)])
            // And prepared events are never claimed again, even after every lease ran out
            let later = try await store.claimForPreparation(limit: 10, owner: "C", leaseUntil: at(120), now: at(60))
            #expect(later.map(\.eventID) == ["sale:2"])
            // And recording an event again (lease gone) adds nothing
            try await store.recordPreparation([PreparedEvent(eventSequence: claimedByA[0].sequence, deliveries: [pending("tiktok")])], owner: "A", now: t0)
            #expect(try await store.queueStats(now: t0).keys.sorted() == ["meta"])
        }
    }

    @Test("an expired preparation lease returns the event and the old owner's result is ignored", arguments: StoreKind.available)
    func preparationLeaseExpiry(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            _ = try await store.ingest(request([purchase("sale:1")]))
            let first = try await store.claimForPreparation(limit: 10, owner: "A", leaseUntil: at(30), now: t0)
            #expect(first.count == 1)
            // While A's lease runs, nobody else gets the event
            #expect(try await store.claimForPreparation(limit: 10, owner: "B", leaseUntil: at(40), now: at(10)).isEmpty)
            // Once it ran out (A died), B does
            let second = try await store.claimForPreparation(limit: 10, owner: "B", leaseUntil: at(61), now: at(31))
            #expect(second.map(\.sequence) == first.map(\.sequence))
            // A's late result is ignored: nothing stored, identifiers still sealed
            try await store.recordPreparation([PreparedEvent(eventSequence: first[0].sequence, deliveries: [pending("meta")])], owner: "A", now: at(32))
            #expect(try await store.storedEvents(source: nil, limit: 10).first?.sealed != nil)
            #expect(try await store.queueStats(now: at(32)) == ["*": QueueStats(unprepared: 1)])
            // B's result counts
            try await store.recordPreparation([PreparedEvent(eventSequence: first[0].sequence, deliveries: [pending("meta")])], owner: "B", now: at(33))
            #expect(try await store.storedEvents(source: nil, limit: 10).first?.sealed == nil)
            #expect(try await store.queueStats(now: at(33))["meta"]?.pending == 1)
        }
    }

    @Test("concurrent preparers never claim the same event", arguments: StoreKind.available)
    func concurrentPreparationClaims(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            for index in 0..<60 { _ = try await store.ingest(request([purchase("sale:\(index)")])) }
            let claims = try await withThrowingTaskGroup(of: [Int64].self) { group in
                for worker in 0..<6 {
                    group.addTask {
                        var mine: [Int64] = []
                        while true {
                            let batch = try await store.claimForPreparation(limit: 5, owner: "worker-\(worker)", leaseUntil: at(60), now: t0)
                            if batch.isEmpty { return mine }
                            mine += batch.map(\.sequence)
                        }
                    }
                }
                return try await group.reduce(into: [[Int64]]()) { $0.append($1) }
            }
            let all = claims.flatMap { $0 }
            #expect(all.count == 60)
            #expect(Set(all).count == 60)
        }
    }

    @Test("concurrent delivery workers never claim the same delivery", arguments: StoreKind.available)
    func concurrentDeliveryClaims(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await seedPending(store, count: 120, at: t0)
            let claims = try await withThrowingTaskGroup(of: [Int64].self) { group in
                for worker in 0..<6 {
                    group.addTask {
                        var mine: [Int64] = []
                        while true {
                            let batch = try await store.claimDeliveries(
                                destination: "meta", limit: 7, maxBytes: 1_000_000, owner: "worker-\(worker)", leaseUntil: at(60), now: t0)
                            if batch.isEmpty { return mine }
                            mine += batch.map(\.id)
                        }
                    }
                }
                return try await group.reduce(into: [[Int64]]()) { $0.append($1) }
            }
            let all = claims.flatMap { $0 }
            #expect(all.count == 120)
            #expect(Set(all).count == 120)
        }
    }

    @Test("an expired delivery lease returns the claim and outcomes from the lost lease change nothing", arguments: StoreKind.available)
    func deliveryLeaseExpiry(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await seedPending(store, count: 3, at: t0)
            let byA = try await store.claimDeliveries(destination: "meta", limit: 10, maxBytes: 10_000, owner: "A", leaseUntil: at(30), now: t0)
            #expect(byA.count == 3)
            // While A's lease runs, the deliveries are neither due nor claimable
            #expect(try await store.claimDeliveries(destination: "meta", limit: 10, maxBytes: 10_000, owner: "B", leaseUntil: at(40), now: at(10)).isEmpty)
            #expect(try await store.dueDeliveries(destination: "meta", now: at(10), limit: 10).count == 0)
            // Once it ran out, B gets the same deliveries
            let byB = try await store.claimDeliveries(destination: "meta", limit: 10, maxBytes: 10_000, owner: "B", leaseUntil: at(61), now: at(31))
            #expect(byB.map(\.id) == byA.map(\.id))
            // A's late outcomes are ignored
            try await store.complete(byA.map { .delivered(id: $0.id, batchID: "late", status: 200) }, owner: "A", now: at(32))
            #expect(try await store.queueStats(now: at(32))["meta"]?.pending == 3)
            // B's apply
            try await store.complete(
                [
                    .retry(id: byB[0].id, at: at(100), status: 503, error: "unavailable"),
                    .delivered(id: byB[1].id, batchID: "b1", status: 200),
                    .dead(id: byB[2].id, code: "invalid_parameters", message: "bad value", status: 400),
                ], owner: "B", now: at(33))
            #expect(try await store.deadLetters(DeadLetterFilter(), limit: 10).map(\.id) == [byB[2].id])
            let retried = try await store.claimDeliveries(destination: "meta", limit: 10, maxBytes: 10_000, owner: "C", leaseUntil: at(300), now: at(200))
            #expect(retried.map(\.id) == [byB[0].id])
            #expect(retried.first?.attempts == 1)
            #expect(retried.first?.firstAttemptAt == at(33))
            // An outcome from B, whose lease ended with its outcome, changes nothing now that C holds it
            try await store.complete([.dead(id: byB[0].id, code: "late", message: "", status: nil)], owner: "B", now: at(201))
            #expect(try await store.deadLetters(DeadLetterFilter(), limit: 10).count == 1)
        }
    }

    @Test("a claim takes due deliveries in queue order, as many as fit in maxBytes, at least one", arguments: StoreKind.available)
    func claimOrderAndBytes(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await seedPending(store, count: 5, payloadBytes: 100, at: t0)
            let all = try await store.claimDeliveries(destination: "meta", limit: 10, maxBytes: 10_000, owner: "A", leaseUntil: at(30), now: t0)
            let ids = all.map(\.id)
            #expect(ids == ids.sorted())
            #expect(all.map(\.eventID) == (0..<5).map { "sale:\($0)" })
            #expect(all.allSatisfy { $0.payload.count == 100 && $0.sealed == nil && $0.clientSealed == sealedContext && $0.attempts == 0 })
            // With the event's clear part, as stored at ingest
            #expect(try all.map { try StoredEventCodec.event(clear: $0.eventBody, source: $0.source).eventID } == all.map(\.eventID))
            #expect(all.allSatisfy { $0.firstAttemptAt == nil && $0.source == "backend" && $0.destination == "meta" && $0.receivedAt == receivedAt })
            // Put the first back for later, the others for now: queue order becomes 1, 2, 3, 4, 0
            try await store.complete([.release(id: ids[0], at: at(5))] + ids.dropFirst().map { .release(id: $0, at: t0) }, owner: "A", now: t0)
            let fitting = try await store.claimDeliveries(destination: "meta", limit: 10, maxBytes: 250, owner: "B", leaseUntil: at(60), now: at(10))
            #expect(fitting.map(\.id) == [ids[1], ids[2]])
            let limited = try await store.claimDeliveries(destination: "meta", limit: 1, maxBytes: 10_000, owner: "C", leaseUntil: at(60), now: at(10))
            #expect(limited.map(\.id) == [ids[3]])
            let oversized = try await store.claimDeliveries(destination: "meta", limit: 10, maxBytes: 50, owner: "D", leaseUntil: at(60), now: at(10))
            #expect(oversized.map(\.id) == [ids[4]])
            // Released deliveries count no attempt
            let last = try await store.claimDeliveries(destination: "meta", limit: 10, maxBytes: 10_000, owner: "E", leaseUntil: at(60), now: at(10))
            #expect(last.map(\.id) == [ids[0]])
            #expect(last.first?.attempts == 0)
            // Other destinations are separate queues
            #expect(try await store.claimDeliveries(destination: "google", limit: 10, maxBytes: 10_000, owner: "F", leaseUntil: at(60), now: at(100)).isEmpty)
        }
    }

    @Test("outcomes: delivered leaves the queue, retry counts an attempt and waits, release does not, dead keeps its reason", arguments: StoreKind.available)
    func outcomes(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await seedPending(store, count: 4, at: t0)
            let ids = try await store.claimDeliveries(destination: "meta", limit: 10, maxBytes: 10_000, owner: "A", leaseUntil: at(30), now: t0).map(\.id)
            try await store.complete(
                [
                    .delivered(id: ids[0], batchID: "b1", status: 200),
                    .retry(id: ids[1], at: at(60), status: 503, error: "unavailable"),
                    .release(id: ids[2], at: at(30)),
                    .dead(id: ids[3], code: "invalid_parameters", message: "bad value", status: 400),
                ], owner: "A", now: at(1))
            #expect(try await store.queueStats(now: at(1)) == ["meta": QueueStats(pending: 2, dead: 1, oldestPendingReceivedAt: receivedAt, unprepared: 0)])
            // Nothing is due before its next attempt; readiness is the later of preparation and next attempt
            let early = try await store.dueDeliveries(destination: "meta", now: at(2), limit: 10)
            #expect(early.count == 0 && early.oldestReadyAt == nil)
            let half = try await store.dueDeliveries(destination: "meta", now: at(30), limit: 10)
            #expect(half.count == 1 && half.oldestReadyAt == at(30))
            let both = try await store.dueDeliveries(destination: "meta", now: at(60), limit: 10)
            #expect(both.count == 2 && both.oldestReadyAt == at(30))
            let claimed = try await store.claimDeliveries(destination: "meta", limit: 10, maxBytes: 10_000, owner: "B", leaseUntil: at(90), now: at(60))
            #expect(claimed.map(\.id) == [ids[2], ids[1]])
            #expect(claimed.map(\.attempts) == [0, 1])
            #expect(claimed.map(\.firstAttemptAt) == [nil, at(1)])
            let dead = try #require(try await store.deadLetters(DeadLetterFilter(), limit: 10).first)
            #expect(dead.id == ids[3] && dead.code == "invalid_parameters" && dead.message == "bad value" && dead.lastStatus == 400)
            #expect(dead.attempts == 1 && dead.deadAt == at(1) && dead.consent == "send:granted" && dead.payload?.count == 10)
            #expect(dead.eventID == "sale:3" && dead.source == "backend" && dead.destination == "meta" && dead.receivedAt == receivedAt)
            // Delivered and dead deliveries are never claimed again
            let again = try await store.claimDeliveries(destination: "meta", limit: 10, maxBytes: 10_000, owner: "C", leaseUntil: at(2000), now: at(1000))
            #expect(Set(again.map(\.id)) == [ids[1], ids[2]])
        }
    }

    @Test("dead letters are listed newest first, replayed and purged by filter", arguments: StoreKind.available)
    func deadLetters(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await seedPending(store, count: 3, destinations: ["meta", "google"], at: t0)
            let meta = try await store.claimDeliveries(destination: "meta", limit: 10, maxBytes: 10_000, owner: "A", leaseUntil: at(30), now: t0).map(\.id)
            let google = try await store.claimDeliveries(destination: "google", limit: 10, maxBytes: 10_000, owner: "A", leaseUntil: at(30), now: t0).map(\.id)
            try await store.complete([.dead(id: meta[0], code: "auth_failed", message: "token expired", status: 401)], owner: "A", now: at(1))
            try await store.complete([.dead(id: meta[1], code: "invalid_parameters", message: "bad\u{0}value", status: 400)], owner: "A", now: at(2))
            try await store.complete([.dead(id: google[0], code: "invalid_parameters", message: "bad", status: nil)], owner: "A", now: at(3))
            try await store.complete(
                [meta[2], google[1], google[2]].map { .delivered(id: $0, batchID: "b", status: 200) }, owner: "A", now: at(4))
            func list(_ filter: DeadLetterFilter, limit: Int = 10) async throws -> [Int64] {
                try await store.deadLetters(filter, limit: limit).map(\.id)
            }
            #expect(try await list(DeadLetterFilter()) == [google[0], meta[1], meta[0]])
            #expect(try await list(DeadLetterFilter(), limit: 2) == [google[0], meta[1]])
            #expect(try await list(DeadLetterFilter(destination: "meta")) == [meta[1], meta[0]])
            #expect(try await list(DeadLetterFilter(code: "invalid_parameters")) == [google[0], meta[1]])
            #expect(try await list(DeadLetterFilter(ids: [meta[0], meta[2]])) == [meta[0]])
            #expect(try await list(DeadLetterFilter(ids: [])) == [])
            #expect(try await list(DeadLetterFilter(destination: "meta", code: "auth_failed")) == [meta[0]])
            // A NUL in a platform's message does not break the store: the message ends there
            #expect(try await store.deadLetters(DeadLetterFilter(ids: [meta[1]]), limit: 1).first?.message == "bad")
            #expect(try await store.deadLetters(DeadLetterFilter(ids: [google[0]]), limit: 1).first?.lastStatus == nil)
            // Replay: only matching dead letters go back to the queue, as new
            #expect(try await store.replayDeadLetters(DeadLetterFilter(ids: []), now: at(10)) == 0)
            #expect(try await store.replayDeadLetters(DeadLetterFilter(destination: "google", code: "invalid_parameters"), now: at(10)) == 1)
            #expect(try await store.queueStats(now: at(10))["google"] == QueueStats(pending: 1, dead: 0, oldestPendingReceivedAt: receivedAt, unprepared: 0))
            let replayed = try await store.claimDeliveries(destination: "google", limit: 10, maxBytes: 10_000, owner: "B", leaseUntil: at(40), now: at(10))
            #expect(replayed.map(\.id) == [google[0]])
            #expect(replayed.first?.attempts == 0 && replayed.first?.firstAttemptAt == nil && replayed.first?.eventID == "sale:0")
            // Purge: only dead letters, only matching ones
            #expect(try await store.purgeDeadLetters(DeadLetterFilter(code: "auth_failed")) == 1)
            #expect(try await list(DeadLetterFilter()) == [meta[1]])
            #expect(try await store.purgeDeadLetters(DeadLetterFilter(destination: "google")) == 0)
            #expect(try await store.purgeDeadLetters(DeadLetterFilter()) == 1)
            #expect(try await list(DeadLetterFilter()) == [])
            #expect(try await store.queueStats(now: at(10))["google"]?.pending == 1)
        }
    }

    @Test("queue statistics count pending and dead deliveries per destination and unprepared events", arguments: StoreKind.available)
    func queueStatistics(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            #expect(try await store.queueStats(now: t0) == [:])
            let suppressed = NewDelivery(destination: "google", state: .suppressed, payload: nil, consentAction: "suppress", consentReason: "no_consent")
            let skipped = NewDelivery(destination: "tiktok", state: .skipped, payload: nil, consentAction: "send", consentReason: "granted", skipReason: "no_identifier")
            try await seed(store, count: 3, at: t0) { _ in [pending("meta"), suppressed, skipped] }
            let ids = try await store.claimDeliveries(destination: "meta", limit: 1, maxBytes: 10_000, owner: "A", leaseUntil: at(30), now: t0).map(\.id)
            try await store.complete([.dead(id: ids[0], code: "auth_failed", message: "", status: 401)], owner: "A", now: t0)
            // Events received later, not prepared yet
            let later = Timestamp(secondsSinceEpoch: 1_767_268_900)
            _ = try await store.ingest(request([purchase("late:1"), purchase("late:2")], receivedAt: later))
            let stats = try await store.queueStats(now: t0)
            #expect(stats == ["meta": QueueStats(pending: 2, dead: 1, oldestPendingReceivedAt: receivedAt, unprepared: 2)])
        }
    }

    @Test("due deliveries count at most the limit and tell when the oldest became ready", arguments: StoreKind.available)
    func dueDeliveries(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            try await seedPending(store, count: 5, at: t0)
            let limited = try await store.dueDeliveries(destination: "meta", now: t0, limit: 3)
            #expect(limited.count == 3 && limited.oldestReadyAt == t0)
            let all = try await store.dueDeliveries(destination: "meta", now: t0, limit: 10)
            #expect(all.count == 5 && all.oldestReadyAt == t0)
            let before = try await store.dueDeliveries(destination: "meta", now: at(-1), limit: 10)
            #expect(before.count == 0 && before.oldestReadyAt == nil)
            let unknown = try await store.dueDeliveries(destination: "nowhere", now: t0, limit: 10)
            #expect(unknown.count == 0 && unknown.oldestReadyAt == nil)
            // Leased deliveries are not due; released ones are again, from their new time
            let claimed = try await store.claimDeliveries(destination: "meta", limit: 2, maxBytes: 10_000, owner: "A", leaseUntil: at(30), now: t0)
            #expect(try await store.dueDeliveries(destination: "meta", now: at(1), limit: 10).count == 3)
            try await store.complete([.release(id: claimed[0].id, at: at(20))], owner: "A", now: at(1))
            #expect(try await store.dueDeliveries(destination: "meta", now: at(19), limit: 10).count == 3)
            let afterRelease = try await store.dueDeliveries(destination: "meta", now: at(21), limit: 10)
            #expect(afterRelease.count == 4 && afterRelease.oldestReadyAt == t0)
        }
    }
}
