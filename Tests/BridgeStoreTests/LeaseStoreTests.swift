import BridgeCore
import BridgeStore
import Foundation
import Testing

/// Lease renewal and release (`LeaseStore`), run against every available store.
@Suite("Lease store")
struct LeaseStoreTests: StoreTestCase {
    let sealer = IdentifierSealer.ephemeral()
    let t0 = Timestamp(secondsSinceEpoch: 1_767_300_000)

    func at(_ seconds: Int64) -> Timestamp { t0.advanced(by: .seconds(seconds)) }

    @Test("a renewed delivery lease is not taken over when the first lease would have run out", arguments: StoreKind.available)
    func renewedDeliveryLease(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            // Given two deliveries claimed by A until t = 15
            let claimed = try await preparedDeliveries(store, count: 2, owner: "A")
            // When A renews them at t = 10 until t = 25
            let renewed = try await store.renewLeases(.delivery, ids: claimed.map(\.id), owner: "A", until: at(25))
            #expect(renewed == 2)
            // Then B finds nothing at t = 20, and takes them only after t = 25
            #expect(try await store.claimDeliveries(destination: "meta", limit: 10, maxBytes: 10_000, owner: "B", leaseUntil: at(35), now: at(20)).isEmpty)
            let taken = try await store.claimDeliveries(destination: "meta", limit: 10, maxBytes: 10_000, owner: "B", leaseUntil: at(41), now: at(26))
            #expect(taken.map(\.id).sorted() == claimed.map(\.id).sorted())
            // And A, having lost them, renews nothing
            #expect(try await store.renewLeases(.delivery, ids: claimed.map(\.id), owner: "A", until: at(40)) == 0)
        }
    }

    @Test("a renewed preparation lease keeps the event with its worker", arguments: StoreKind.available)
    func renewedPreparationLease(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            _ = try await store.ingest(request([purchase("sale:1"), purchase("sale:2")]))
            let claimed = try await store.claimForPreparation(limit: 10, owner: "A", leaseUntil: at(15), now: t0)
            #expect(try await store.renewLeases(.preparation, ids: claimed.map(\.sequence), owner: "A", until: at(25)) == 2)
            #expect(try await store.claimForPreparation(limit: 10, owner: "B", leaseUntil: at(35), now: at(20)).isEmpty)
            #expect(try await store.claimForPreparation(limit: 10, owner: "B", leaseUntil: at(35), now: at(26)).count == 2)
        }
    }

    @Test("a restarted instance releases its previous incarnation's leases and nobody else's", arguments: StoreKind.available)
    func releaseByPrefix(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            // Given deliveries leased by two incarnations of instance "pod-1" and one of "pod-2"
            _ = try await preparedDeliveries(store, count: 1, owner: "pod-1/100-a")
            _ = try await preparedDeliveries(store, count: 1, owner: "pod-2/200-b", startingAt: 1)
            _ = try await store.ingest(request([purchase("sale:unprepared")], keys: ["u"]))
            _ = try await store.claimForPreparation(limit: 10, owner: "pod-1/100-a", leaseUntil: at(15), now: t0)
            // When pod-1 restarts
            let released = try await store.releaseLeases(ownedBy: .prefix("pod-1/"))
            // Then its delivery and its preparation claim are free at once, pod-2's are not
            #expect(released == ReleasedLeases(preparation: 1, delivery: 1))
            let free = try await store.claimDeliveries(destination: "meta", limit: 10, maxBytes: 10_000, owner: "pod-1/300-c", leaseUntil: at(20), now: at(1))
            #expect(free.map(\.eventID) == ["sale:0"])
            #expect(try await store.claimForPreparation(limit: 10, owner: "pod-1/300-c", leaseUntil: at(20), now: at(1)).map(\.eventID) == ["sale:unprepared"])
            // And a store owned by one process releases everything
            #expect(try await store.releaseLeases(ownedBy: .all).total == 3)
        }
    }

    /// Ingests, prepares and claims `count` pending Meta deliveries for `owner` (leases until t = 15).
    func preparedDeliveries(_ store: any StoreBackend, count: Int, owner: String, startingAt first: Int = 0) async throws -> [ClaimedDelivery] {
        let events = (first..<first + count).map { purchase("sale:\($0)") }
        _ = try await store.ingest(request(events, keys: events.map(\.event.eventID)))
        let claimed = try await store.claimForPreparation(limit: count, owner: "preparer", leaseUntil: at(15), now: t0)
        try await store.recordPreparation(claimed.map { PreparedEvent(eventSequence: $0.sequence, deliveries: [pending("meta")]) }, owner: "preparer", now: t0)
        return try await store.claimDeliveries(destination: "meta", limit: count, maxBytes: 10_000, owner: owner, leaseUntil: at(15), now: t0)
    }
}
