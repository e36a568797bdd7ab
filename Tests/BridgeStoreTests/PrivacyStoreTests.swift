import BridgeCore
import BridgeStore
import Foundation
import Testing

/// Erasure, retention and the audit chain head, run against every available store.
@Suite("Privacy store")
struct PrivacyStoreTests: StoreTestCase {
    let sealer = IdentifierSealer.ephemeral()
    let t0 = Timestamp(secondsSinceEpoch: 1_767_300_000)

    func at(_ seconds: Int64) -> Timestamp { t0.advanced(by: .seconds(seconds)) }

    @Test("erasure deletes a person's events with their deliveries, and nobody else's", arguments: StoreKind.available)
    func erasure(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            // Given two events of Noah (the first prepared, its meta delivery sent) and one of Mia
            _ = try await store.ingest(request([purchase("sale:1")], keys: ["w1"]))
            try await seed(store, count: 1, prefix: "noah", at: t0) { _ in [pending("meta"), pending("google")] }
            _ = try await store.ingest(request([purchase("sale:mia", email: "mia@example.de")], keys: ["w2"]))
            let claimed = try await store.claimDeliveries(destination: "meta", limit: 10, maxBytes: 10_000, owner: "A", leaseUntil: at(30), now: t0)
            try await store.complete(claimed.map { .delivered(id: $0.id, batchID: "b", status: 200) }, owner: "A", now: t0)
            // When Noah's email is erased (given in another spelling)
            let key = try #require(ErasureKeys.key(.email, " Noah@Example.de ", region: nil, sealer: sealer))
            let result = try await store.erase(keys: [key])
            // Then his events and their deliveries are gone, Mia's event stays
            #expect(result == ErasureResult(eventIDs: ["sale:1", "noah:0"], unsentDeliveries: 1, sentDeliveries: 1))
            #expect(try await store.storedEvents(source: nil, limit: 10).map(\.eventID) == ["sale:mia"])
            #expect(try await store.queueStats(now: t0) == ["*": QueueStats(unprepared: 1)])
            // And erasing again, or an unknown person, finds nothing
            #expect(try await store.erase(keys: [key]) == ErasureResult())
            #expect(try await store.erase(keys: []) == ErasureResult())
        }
    }

    @Test("retention erases old sealed identifiers, expires old pending deliveries and drops old delivered payloads", arguments: StoreKind.available)
    func retention(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            // Given (received at `receivedAt`) one unprepared event and three prepared into meta deliveries
            try await seedPending(store, count: 3, at: t0)
            _ = try await store.ingest(request([purchase("late:1")]))
            let claimed = try await store.claimDeliveries(destination: "meta", limit: 2, maxBytes: 10_000, owner: "A", leaseUntil: at(30), now: t0)
            try await store.complete(
                [.delivered(id: claimed[0].id, batchID: "b", status: 200), .dead(id: claimed[1].id, code: "invalid_parameters", message: "", status: 400)],
                owner: "A", now: t0)
            // Within the limits nothing changes
            let policy = RetentionPolicy(sealedIdentifiers: .seconds(7 * 86_400), deliveredPayloads: .seconds(30 * 86_400))
            #expect(try await store.applyRetention(policy, now: receivedAt.advanced(by: .seconds(86_400))) == RetentionResult())
            // Past the sealed-identifier limit: sealed data goes, pending deliveries expire
            var expected = RetentionResult()
            // The unprepared event's identifiers, and the send contexts of the events whose
            // deliveries are dead or pending (delivering the other erased its context).
            expected.eventsErased = 3
            expected.deliveriesExpired = 1
            expected.deadLettersErased = 0  // deliveries keep no clear fields of their own any more
            let afterEightDays = t0.advanced(by: .seconds(8 * 86_400))
            #expect(try await store.applyRetention(policy, now: afterEightDays) == expected)
            #expect(try await store.storedEvents(source: nil, limit: 10).allSatisfy { $0.sealed == nil })
            let dead = try await store.deadLetters(DeadLetterFilter(code: "expired"), limit: 10)
            #expect(dead.count == 1 && dead.first?.deadAt == afterEightDays)
            // Past the payload limit: the delivered payload and the first dead
            // letter's are dropped, once (the expired one died a week later)
            var dropped = RetentionResult()
            dropped.payloadsDropped = 1
            dropped.deadLetterPayloadsDropped = 1
            #expect(try await store.applyRetention(policy, now: t0.advanced(by: .seconds(31 * 86_400))) == dropped)
            #expect(try await store.applyRetention(policy, now: t0.advanced(by: .seconds(31 * 86_400))) == RetentionResult())
            #expect(try await store.deadLetters(DeadLetterFilter(code: "invalid_parameters"), limit: 10).map(\.payload) == [nil])
            #expect(try await store.deadLetters(DeadLetterFilter(code: "expired"), limit: 10).allSatisfy { $0.payload != nil })
            // And a dead letter without its payload is not replayed (there is nothing left to send)
            #expect(try await store.replayDeadLetters(DeadLetterFilter(code: "invalid_parameters"), now: at(31 * 86_400)) == 0)
        }
    }

    @Test("the audit chain head only moves forward", arguments: StoreKind.available)
    func auditHead(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            #expect(try await store.auditHead() == nil)
            try await store.recordAuditHead(AuditChainHead(sequence: 5, hash: "h5"))
            #expect(try await store.auditHead() == AuditChainHead(sequence: 5, hash: "h5"))
            try await store.recordAuditHead(AuditChainHead(sequence: 3, hash: "h3"))
            #expect(try await store.auditHead() == AuditChainHead(sequence: 5, hash: "h5"))
            try await store.recordAuditHead(AuditChainHead(sequence: 9, hash: "h9"))
            #expect(try await store.auditHead() == AuditChainHead(sequence: 9, hash: "h9"))
        }
    }
}
