/// The events one delivery produced, with its idempotency keys: what a
/// source adapter hands over and a store commits atomically.
public struct IngestBatch: Sendable {
    public var events: [IngestEvent]
    /// Delivery-level idempotency keys, already scoped by the adapter where a
    /// source can carry several shops (`webhook:<shop>:<id>`). The store scopes
    /// them by source name.
    public var deliveryKeys: [String]

    public init(events: [IngestEvent], deliveryKeys: [String]) {
        self.events = events
        self.deliveryKeys = deliveryKeys
    }
}
