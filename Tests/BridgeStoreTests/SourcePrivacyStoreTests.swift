import BridgeCore
import BridgeStore
import Foundation
import Testing

/// Privacy requests scoped to one source (Shopify's compliance webhooks),
/// run against every available store.
@Suite("Source privacy store")
struct SourcePrivacyStoreTests: StoreTestCase {
    let sealer = IdentifierSealer.ephemeral()
    let t0 = Timestamp(secondsSinceEpoch: 1_767_300_000)

    /// A purchase of `email` stored under `source`.
    func sale(_ id: String, source: String, email: String?) -> IngestRequest {
        var event = purchase(id, email: email)
        event.event.source = source
        return request([event], keys: ["key-\(id)"], source: source)
    }

    func match(email: String) -> SourceEventMatch {
        SourceEventMatch(keys: ErasureKeys.lookupKeys(.email, email, region: nil, sealer: sealer))
    }

    @Test("a customer's events are found and erased within their source only, by digest or by event id", arguments: StoreKind.available)
    func customer(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            // Given Noah bought in shop A twice (once as a guest) and once in shop B; Mia in shop A
            for request in [
                sale("sale:a:1", source: "shop-a", email: "noah@example.de"), sale("sale:a:2", source: "shop-a", email: nil),
                sale("sale:b:1", source: "shop-b", email: "noah@example.de"), sale("sale:a:3", source: "shop-a", email: "mia@example.de"),
            ] {
                _ = try await store.ingest(request)
            }
            // When shop A asks what it holds for Noah (by e-mail and his guest order)
            var noah = match(email: " Noah@Example.de ")
            noah.eventIDs = ["sale:a:2"]
            let held = try await store.holdings(source: "shop-a", matching: noah)
            #expect(held.events == 2 && held.deliveries == 0)
            #expect(held.eventsWithSealedData == 1, "the guest order carries no identifier")
            #expect(Set(held.eventIDs) == ["sale:a:1", "sale:a:2"])
            // When shop A redacts Noah
            let erased = try await store.erase(source: "shop-a", matching: noah)
            #expect(Set(erased.eventIDs) == ["sale:a:1", "sale:a:2"])
            // Then shop B's sale and Mia's stay
            #expect(Set(try await store.storedEvents(source: nil, limit: 10).map(\.eventID)) == ["sale:b:1", "sale:a:3"])
            #expect(try await store.holdings(source: "shop-a", matching: noah).events == 0)
            #expect(try await store.erase(source: "shop-a", matching: SourceEventMatch()) == ErasureResult(), "an empty match erases nothing")
        }
    }

    @Test("shop redaction erases every event of the source and nothing of another", arguments: StoreKind.available)
    func shop(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            _ = try await store.ingest(sale("sale:a:1", source: "shop-a", email: "noah@example.de"))
            _ = try await store.ingest(sale("sale:a:2", source: "shop-a", email: nil))
            _ = try await store.ingest(sale("sale:b:1", source: "shop-b", email: "noah@example.de"))
            let removed = try await store.eraseSource("shop-a")
            #expect(removed.events == 2 && Set(removed.eventIDs) == ["sale:a:1", "sale:a:2"])
            #expect(try await store.storedEvents(source: nil, limit: 10).map(\.eventID) == ["sale:b:1"])
            // And the shop's delivery keys went with it: the same webhook is stored again
            #expect(try await store.ingest(sale("sale:a:1", source: "shop-a", email: nil)) == .stored([.accepted]))
            #expect(try await store.eraseSource("shop-z") == SourceHoldings())
        }
    }
}
