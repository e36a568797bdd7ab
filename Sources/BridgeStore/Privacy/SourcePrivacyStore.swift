import BridgeCore

/// Privacy requests scoped to one source (one shop): what a platform's
/// compliance webhooks ask (`customers/redact`, `shop/redact`,
/// `customers/data_request`). Implemented by `SQLiteStore` and
/// `PostgresStore` with the same results.
public protocol SourcePrivacyStore: Sendable {
    /// Deletes the events of `source` that `match` finds (and all their
    /// deliveries and index entries), in one transaction.
    func erase(source: String, matching match: SourceEventMatch) async throws(StoreError) -> ErasureResult

    /// Deletes everything stored for `source`: its events, their deliveries
    /// and index entries, its delivery keys and refund totals, in one
    /// transaction; returns what was there.
    func eraseSource(_ source: String) async throws(StoreError) -> SourceHoldings

    /// What the store holds for the events of `source` that `match` finds.
    func holdings(source: String, matching match: SourceEventMatch) async throws(StoreError) -> SourceHoldings
}

/// How a privacy request finds a person's events within one source: by
/// keyed digests of their identifiers (`ErasureKeys.lookupKeys`, every key
/// of the ring), or by event id (an order's events, found even when they
/// carry no identifier).
public struct SourceEventMatch: Sendable, Equatable {
    public var keys: [ErasureKeys.Key]
    /// Exact event ids (`sale:<source>:<order id>`).
    public var eventIDs: [String]
    /// Event-id prefixes (`refund:<source>:<order id>:`).
    public var eventIDPrefixes: [String]

    public init(keys: [ErasureKeys.Key] = [], eventIDs: [String] = [], eventIDPrefixes: [String] = []) {
        self.keys = keys
        self.eventIDs = eventIDs
        self.eventIDPrefixes = eventIDPrefixes
    }

    public var isEmpty: Bool { keys.isEmpty && eventIDs.isEmpty && eventIDPrefixes.isEmpty }
}

/// Counts of what the store holds (or held) for some events: never a value,
/// so they can go into alerts and audit entries.
public struct SourceHoldings: Sendable, Equatable {
    public var events = 0
    /// Events whose sealed identifiers or browser context are still stored
    /// (not yet prepared, or waiting for delivery).
    public var eventsWithSealedData = 0
    public var pendingDeliveries = 0
    public var deliveredDeliveries = 0
    public var deadLetters = 0
    /// Deliveries skipped or suppressed by consent (nothing was sent).
    public var unsentDeliveries = 0
    /// Event ids (not personal data), at most `SourceHoldings.eventIDLimit`.
    public var eventIDs: [String] = []

    /// The most event ids listed.
    public static let eventIDLimit = 100

    public init() {}

    /// Counts one delivery by its stored state.
    public mutating func countDelivery(state: String) {
        switch state {
        case DeliveryState.pending.rawValue: pendingDeliveries += 1
        case DeliveryState.delivered.rawValue: deliveredDeliveries += 1
        case DeliveryState.dead.rawValue: deadLetters += 1
        default: unsentDeliveries += 1
        }
    }

    public var deliveries: Int { pendingDeliveries + deliveredDeliveries + deadLetters + unsentDeliveries }
}
