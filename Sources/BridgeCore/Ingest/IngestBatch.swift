/// The events one delivery produced, with its idempotency keys: what a
/// source adapter hands over and a store commits atomically.
public struct IngestBatch: Sendable {
    public var events: [IngestEvent]
    /// Delivery-level idempotency keys, already scoped by the adapter where a
    /// source can carry several shops (`webhook:<shop>:<id>`). The store scopes
    /// them by source name.
    public var deliveryKeys: [String]
    /// JSON pointers (into the request body) of members the canonical schema
    /// does not declare, ignored under the default unknown-properties policy
    /// (at most 100 listed); empty for sources that map their own format.
    public var ignoredProperties: [JSONPointer]

    public init(events: [IngestEvent], deliveryKeys: [String], ignoredProperties: [JSONPointer] = []) {
        self.events = events
        self.deliveryKeys = deliveryKeys
        self.ignoredProperties = ignoredProperties
    }
}
