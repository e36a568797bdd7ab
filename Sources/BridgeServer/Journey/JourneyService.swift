import BridgeCore
import BridgePipeline
import BridgeStore
import Foundation

/// Finds one sale's journey (`EventJourney`): the store's records, with the
/// audit entries found in this process's `audit.dir`. Shared by `capi-bridge
/// events show` and `GET /v1/events/{id}`, so both say the same.
public struct JourneyService: Sendable {
    let store: any JourneyStore
    /// Source name → kind, the events API's included (`events-api`).
    let sourceKinds: [String: String]
    let eventsAPISource: String
    let auditDirectory: URL

    /// The longest event id or order id looked up.
    public static let maxIDBytes = 256

    public init(config: BridgeConfig, store: any JourneyStore) {
        self.store = store
        var kinds = Dictionary(config.sources.map { ($0.name, $0.kind) }, uniquingKeysWith: { first, _ in first })
        kinds[config.eventsAPI.sourceName] = "events-api"
        self.sourceKinds = kinds
        self.eventsAPISource = config.eventsAPI.sourceName
        self.auditDirectory = URL(fileURLWithPath: config.audit.dir)
    }

    /// The journeys of the events stored under `eventID` (several when
    /// sources share the id; only `source`'s when given).
    public func journeys(eventID: String, source: String? = nil) async throws(StoreError) -> [EventJourney] {
        let records = try await store.journeyRecords(eventID: eventID, source: source)
        return records.map(journey)
    }

    /// The journeys of one order: the sale each configured source would have
    /// stored for it (`sale:<source>:<order id>`, any age), and every event
    /// carrying it as `order_id` received since `since` (refunds, ids chosen
    /// by a backend).
    public func journeys(orderID: String, source: String? = nil, since: Timestamp, limit: Int = 50) async throws(StoreError) -> [EventJourney] {
        let sources = sourceKinds.keys.sorted().filter { source == nil || $0 == source }
        let lookup = OrderLookup(
            orderID: orderID, saleEventIDs: sources.map { SourceEventID(source: $0, eventID: "sale:\($0):\(orderID)") }, receivedSince: since,
            limit: limit)
        let records = try await store.journeyRecords(order: lookup)
        return records.filter { source == nil || $0.event.source == source }.map(journey)
    }

    func journey(_ record: JourneyRecord) -> EventJourney {
        let window = EventJourney.auditWindow(record)
        let audit = try? AuditLocator(directory: auditDirectory).locate(eventID: record.event.eventID, from: window.from, through: window.through)
        return EventJourney(record, sourceKinds: sourceKinds, eventsAPISource: eventsAPISource, audit: audit)
    }
}
