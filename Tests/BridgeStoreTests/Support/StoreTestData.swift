import BridgeCore
import BridgeStore
import Foundation

/// Events, requests and prepared deliveries for the store suites.
protocol StoreTestCase {
    var sealer: IdentifierSealer { get }
}

extension StoreTestCase {
    /// When the fixtures' events arrive.
    var receivedAt: Timestamp { Timestamp(secondsSinceEpoch: 1_767_268_805) }

    func purchase(_ id: String, email: String? = "noah@example.de", value: String = "19.90") -> IngestEvent {
        var event = ConversionEvent(
            eventID: id, eventName: .purchase, eventTime: Timestamp(secondsSinceEpoch: 1_767_268_800), source: "backend",
            orderID: "1001", value: Money(amount: Money.Amount(value)!, currency: Currency(code: "EUR")!))
        event.customer.fill(.email, with: email)
        return IngestEvent(event: event)
    }

    func request(_ events: [IngestEvent], keys: [String] = [], source: String = "backend", receivedAt: Timestamp? = nil) -> IngestRequest {
        IngestRequest(
            source: source, deliveryKeys: keys, records: events.map { OutboxRecord($0, sealer: sealer) },
            receivedAt: receivedAt ?? self.receivedAt)
    }

    /// What seeded events keep as their sealed send context (opaque to the store).
    var sealedContext: [UInt8] { Array("sealed-send-context".utf8) }

    /// A pending delivery for `destination` with a payload of `payloadBytes` bytes.
    func pending(_ destination: String, payloadBytes: Int = 10) -> NewDelivery {
        NewDelivery(
            destination: destination, state: .pending, payload: Array(repeating: UInt8(ascii: "x"), count: payloadBytes),
            consentAction: "send", consentReason: "granted",
            identifiers: IdentifierSet(mask: 0b101))
    }

    /// Ingests `count` events (`prefix:0`, `prefix:1`, …) and prepares each
    /// into the deliveries `deliveries` makes for it, at `now`.
    /// - Returns: the events' outbox sequence numbers, in order.
    @discardableResult
    func seed(
        _ store: any StoreBackend, count: Int, prefix: String = "sale", at now: Timestamp,
        deliveries: (Int) -> [NewDelivery] = { _ in [] }, context: ((StoredEvent) -> [UInt8])? = nil
    ) async throws -> [Int64] {
        for index in 0..<count {
            _ = try await store.ingest(request([purchase("\(prefix):\(index)")], keys: ["\(prefix)-webhook:\(index)"]))
        }
        let claimed = try await store.claimForPreparation(limit: count, owner: "seeder", leaseUntil: now.advanced(by: .seconds(60)), now: now)
        let prepared = claimed.enumerated().map { index, event in
            PreparedEvent(eventSequence: event.sequence, deliveries: deliveries(index), clientSealed: context?(event) ?? sealedContext)
        }
        try await store.recordPreparation(prepared, owner: "seeder", now: now)
        return claimed.map(\.sequence)
    }

    /// Ingests `count` events and prepares each into one pending delivery per
    /// destination with payloads of `payloadBytes` bytes.
    @discardableResult
    func seedPending(
        _ store: any StoreBackend, count: Int, destinations: [String] = ["meta"], payloadBytes: Int = 10, prefix: String = "sale",
        at now: Timestamp
    ) async throws -> [Int64] {
        try await seed(store, count: count, prefix: prefix, at: now) { _ in
            destinations.map { pending($0, payloadBytes: payloadBytes) }
        }
    }
}

extension EventStore {
    /// Untyped-throwing forms: `#expect(try await …)` does not yet handle typed throws.
    func ingestUntyped(_ request: IngestRequest) async throws -> IngestResult { try await ingest(request) }
    func countEventsUntyped() async throws -> [String: Int] { try await countEvents() }
}
