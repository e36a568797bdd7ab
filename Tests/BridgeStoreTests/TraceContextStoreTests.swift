import BridgeCore
import BridgeStore
import Foundation
import Testing

/// The trace context stored with each event (`events.trace_parent`), on every available store.
@Suite("Trace context in the store")
struct TraceContextStoreTests: StoreTestCase {
    let sealer = IdentifierSealer.ephemeral()
    static let trace = TraceParent(header: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")

    func traced(_ events: [IngestEvent], key: String, trace: TraceParent?) -> IngestRequest {
        let plain = request(events, keys: [key])
        return IngestRequest(source: plain.source, deliveryKeys: plain.deliveryKeys, records: plain.records, receivedAt: plain.receivedAt, traceParent: trace)
    }

    @Test("an event's trace context comes back when it is listed, claimed for preparation and claimed for delivery", arguments: StoreKind.available)
    func roundTrip(_ kind: StoreKind) async throws {
        let trace = try #require(Self.trace)
        try await withStore(kind) { store throws in
            #expect(try await store.ingestUntyped(traced([purchase("sale:1"), purchase("sale:2")], key: "webhook:t1", trace: trace)) == .stored([.accepted, .accepted]))
            #expect(try await store.storedEvents(source: "backend", limit: 10).map(\.traceParent) == [trace, trace])
            let now = receivedAt
            let claimed = try await store.claimForPreparation(limit: 10, owner: "A", leaseUntil: now.advanced(by: .seconds(60)), now: now)
            #expect(claimed.map(\.traceParent) == [trace, trace])
            try await store.recordPreparation(
                claimed.map { PreparedEvent(eventSequence: $0.sequence, deliveries: [pending("meta")], clientSealed: sealedContext) }, owner: "A", now: now)
            let deliveries = try await store.claimDeliveries(
                destination: "meta", limit: 10, maxBytes: 10_000, owner: "A", leaseUntil: now.advanced(by: .seconds(60)), now: now)
            #expect(deliveries.count == 2)
            #expect(deliveries.allSatisfy { $0.traceParent == trace })
        }
    }

    @Test("an event stored without a trace context (as before this version) is listed, prepared and claimed without one", arguments: StoreKind.available)
    func withoutTrace(_ kind: StoreKind) async throws {
        let trace = try #require(Self.trace)
        try await withStore(kind) { store throws in
            _ = try await store.ingestUntyped(traced([purchase("sale:old")], key: "webhook:old", trace: nil))
            _ = try await store.ingestUntyped(traced([purchase("sale:new")], key: "webhook:new", trace: trace))
            let now = receivedAt
            let claimed = try await store.claimForPreparation(limit: 10, owner: "A", leaseUntil: now.advanced(by: .seconds(60)), now: now)
            #expect(claimed.map(\.eventID) == ["sale:old", "sale:new"])
            #expect(claimed.map(\.traceParent) == [nil, trace])
            #expect(try claimed[0].restore(with: sealer).customer[.email]?.rawValue == "noah@example.de")
            try await store.recordPreparation(
                claimed.map { PreparedEvent(eventSequence: $0.sequence, deliveries: [pending("meta")], clientSealed: sealedContext) }, owner: "A", now: now)
            let deliveries = try await store.claimDeliveries(
                destination: "meta", limit: 10, maxBytes: 10_000, owner: "A", leaseUntil: now.advanced(by: .seconds(60)), now: now)
            #expect(Dictionary(uniqueKeysWithValues: deliveries.map { ($0.eventID, $0.traceParent) }) == ["sale:old": nil, "sale:new": trace])
        }
    }
}
