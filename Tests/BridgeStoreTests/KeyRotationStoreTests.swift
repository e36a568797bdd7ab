import BridgeCore
import BridgeSources
import BridgeStore
import Foundation
import Testing

/// Re-sealing under a new seal key, and erasure across a key ring, run
/// against every available store.
@Suite("Key rotation in the store")
struct KeyRotationStoreTests: StoreTestCase {
    static let keyA = IdentifierSealer.generateKey()
    static let keyB = IdentifierSealer.generateKey()
    /// What the events were sealed with.
    let sealer: IdentifierSealer
    /// The ring after the rotation: B seals, A still opens.
    let rotated: IdentifierSealer
    /// B alone: what must suffice once everything is re-sealed.
    let newOnly: IdentifierSealer

    init() throws {
        sealer = try IdentifierSealer(keys: [SealKey(id: "a", base64Key: Self.keyA)])
        rotated = try IdentifierSealer(keys: [SealKey(id: "b", base64Key: Self.keyB), SealKey(id: "a", base64Key: Self.keyA)])
        newOnly = try IdentifierSealer(keys: [SealKey(id: "b", base64Key: Self.keyB)])
    }

    /// What `KeyRotator` does with one row, with `ring`.
    static func resealing(_ column: SealedColumn, with ring: IdentifierSealer) -> @Sendable (SealedRow) -> ResealedRow? {
        { row in
            let context =
                column == .events
                ? OutboxRecord.sealContext(source: row.source, eventID: row.eventID)
                : ClaimedDelivery.clientSealContext(source: row.source, eventID: row.eventID)
            guard let opened = try? ring.open(row.sealed, context: context) else { return nil }
            var keys: [ErasureKeys.Key]?
            if column == .events, let identifiers = try? StoredEventCodec.identifiers(opened) {
                keys = ErasureKeys.keys(for: identifiers.customer, sealer: ring)
            }
            return ResealedRow(sealed: ring.seal(opened, context: context), erasureKeys: keys)
        }
    }

    /// Runs every batch of `column` from the start; returns the batches.
    func rotateAll(_ store: any KeyRotationStore, _ column: SealedColumn, limit: Int) async throws -> [ResealBatch] {
        var batches: [ResealBatch] = []
        var cursor: Int64 = 0
        while true {
            let batch = try await store.resealBatch(
                column, currentHeader: rotated.currentHeader, after: cursor, limit: limit, reseal: Self.resealing(column, with: rotated))
            guard let last = batch.lastID else { return batches }
            batches.append(batch)
            cursor = last
        }
    }

    @Test("re-seals events and deliveries in bounded batches; the new key alone then opens them and erasure finds them", arguments: StoreKind.available)
    func rotation(_ kind: StoreKind) async throws {
        try await withFixture(kind) { fixture in
            let store = try await fixture.openForRotation()
            // Given, under key A, two events prepared into meta deliveries with sealed send contexts and five unprepared events
            try await seed(
                store, count: 2, prefix: "prepared", at: receivedAt, deliveries: { _ in [pending("meta")] },
                context: { event in
                    let client = ClientContext(ipAddress: PersonalData("192.0.2.\(event.sequence)"))
                    return sealer.seal(EventSendContext(client: client).bytes, context: ClaimedDelivery.clientSealContext(source: event.source, eventID: event.eventID))
                })
            _ = try await store.ingest(request((0..<5).map { purchase("open:\($0)", email: "buyer\($0)@example.de") }, keys: ["w"]))
            #expect(try await store.countStaleSealed(.events, currentHeader: rotated.currentHeader) == 5)
            #expect(try await store.countStaleSealed(.eventContexts, currentHeader: rotated.currentHeader) == 2)
            #expect(try await store.countStaleErasureKeys(currentKeyID: "b") == 7)

            // When every row is re-sealed under B, two rows per transaction
            let events = try await rotateAll(store, .events, limit: 2)
            let deliveries = try await rotateAll(store, .eventContexts, limit: 2)

            // Then each batch held at most two rows, and all were re-sealed
            #expect(events.map(\.examined) == [2, 2, 1] && events.map(\.resealed).reduce(0, +) == 5)
            #expect(deliveries.map(\.resealed) == [2])
            #expect(try await store.countStaleSealed(.events, currentHeader: rotated.currentHeader) == 0)
            #expect(try await store.countStaleSealed(.eventContexts, currentHeader: rotated.currentHeader) == 0)
            // And running again finds nothing left (resumable: done rows are never selected again)
            #expect(try await rotateAll(store, .events, limit: 2).isEmpty)
            // And B alone opens every event and every delivery's clear fields
            let stored = try await store.storedEvents(source: nil, limit: 10).filter { $0.sealed != nil }
            #expect(stored.count == 5)
            for event in stored { #expect(try event.restore(with: newOnly).customer[.email]?.rawValue.hasSuffix("@example.de") == true) }
            let claimed = try await store.claimDeliveries(
                destination: "meta", limit: 10, maxBytes: 10_000, owner: "w", leaseUntil: receivedAt.advanced(by: .seconds(60)), now: receivedAt)
            #expect(claimed.count == 2)
            for item in claimed {
                let context = ClaimedDelivery.clientSealContext(source: item.source, eventID: item.eventID)
                let opened = try EventSendContext(bytes: try newOnly.open(try #require(item.clientSealed), context: context))
                #expect(opened.client.ipAddress?.rawValue.hasPrefix("192.0.2.") == true)
            }
            // And the re-sealed events were re-indexed under B: erasure with B alone finds them
            let lookup = ErasureKeys.lookupKeys(.email, "buyer3@example.de", region: nil, sealer: newOnly)
            #expect(try await store.erase(keys: lookup).eventIDs == ["open:3"])
            // While the prepared events keep their index under A: the ring (B, A) finds them, B alone does not
            #expect(try await store.countStaleErasureKeys(currentKeyID: "b") == 2)
            #expect(try await store.erase(keys: ErasureKeys.lookupKeys(.email, "noah@example.de", region: nil, sealer: newOnly)).eventIDs.isEmpty)
            let both = try await store.erase(keys: ErasureKeys.lookupKeys(.email, "noah@example.de", region: nil, sealer: rotated))
            #expect(both.eventIDs == ["prepared:0", "prepared:1"] && both.unsentDeliveries == 2)
            await store.close()
        }
    }

    @Test("a blob no key of the ring opens is counted and left exactly as it was", arguments: StoreKind.available)
    func unreadable(_ kind: StoreKind) async throws {
        try await withFixture(kind) { fixture in
            let store = try await fixture.openForRotation()
            // Given one event sealed under A and one under a key the ring does not hold
            let stranger = try IdentifierSealer(keys: [SealKey(id: "c", base64Key: IdentifierSealer.generateKey())])
            _ = try await store.ingest(request([purchase("known")], keys: ["w1"]))
            _ = try await store.ingest(
                IngestRequest(source: "backend", deliveryKeys: ["w2"], records: [OutboxRecord(purchase("stranger"), sealer: stranger)], receivedAt: receivedAt))
            let before = try await store.storedEvents(source: nil, limit: 10).first { $0.eventID == "stranger" }?.sealed
            // When rotating
            let batches = try await rotateAll(store, .events, limit: 500)
            // Then the known one is re-sealed, the other reported and untouched
            #expect(batches.count == 1 && batches[0].resealed == 1 && batches[0].unreadable.count == 1)
            let after = try await store.storedEvents(source: nil, limit: 10)
            #expect(after.first { $0.eventID == "stranger" }?.sealed == before)
            #expect(after.first { $0.eventID == "known" }.map { rotated.isSealedUnderCurrentKey($0.sealed ?? []) } == true)
            #expect(try await store.countStaleSealed(.events, currentHeader: rotated.currentHeader) == 1)
            await store.close()
        }
    }
}
