import BridgeCore

/// The prepare and deliver stages' view of the store: claims under leases
/// (a crashed worker's claims return to the queue when the lease expires),
/// outcomes, dead letters and queue statistics.
public protocol DeliveryStore: Sendable {
    /// Claims up to `limit` events not yet prepared and not leased by another
    /// worker, leasing them to `owner` until `leaseUntil`.
    func claimForPreparation(limit: Int, owner: String, leaseUntil: Timestamp, now: Timestamp) async throws(StoreError) -> [StoredEvent]

    /// Stores the deliveries of prepared events and erases their sealed
    /// identifiers, in one transaction. Events whose lease `owner` lost are
    /// left alone (another worker prepares them).
    func recordPreparation(_ prepared: [PreparedEvent], owner: String, now: Timestamp) async throws(StoreError)

    /// In one transaction: finds the pending deliveries of the destination that
    /// are due, in order, and — unless the batcher's wait says not yet — leases
    /// the longest prefix that fits the request's limits to its owner.
    func claim(_ request: DeliveryClaimRequest) async throws(StoreError) -> DeliveryClaim

    /// How many deliveries of `destination` are due (counting at most
    /// `limit`) and when the oldest became ready, for the batcher's maximum wait.
    func dueDeliveries(destination: String, now: Timestamp, limit: Int) async throws(StoreError) -> (count: Int, oldestReadyAt: Timestamp?)

    /// Applies outcomes (only to deliveries still leased by `owner`).
    func complete(_ outcomes: [DeliveryOutcome], owner: String, now: Timestamp) async throws(StoreError)

    /// Dead letters matching `filter`, newest first.
    func deadLetters(_ filter: DeadLetterFilter, limit: Int) async throws(StoreError) -> [DeadLetter]

    /// Puts matching dead letters back in the queue with the same event ids;
    /// returns how many.
    func replayDeadLetters(_ filter: DeadLetterFilter, now: Timestamp) async throws(StoreError) -> Int

    /// Deletes matching dead letters; returns how many.
    func purgeDeadLetters(_ filter: DeadLetterFilter) async throws(StoreError) -> Int

    /// Queue statistics per destination.
    func queueStats(now: Timestamp) async throws(StoreError) -> [String: QueueStats]
}

extension DeliveryStore {
    /// Claims up to `limit` pending deliveries of `destination` that are due,
    /// in order, whose payloads fit in `maxBytes` together, leasing them.
    public func claimDeliveries(
        destination: String, limit: Int, maxBytes: Int, owner: String, leaseUntil: Timestamp, now: Timestamp
    ) async throws(StoreError) -> [ClaimedDelivery] {
        try await claim(DeliveryClaimRequest(destination: destination, limit: limit, maxBytes: maxBytes, owner: owner, leaseUntil: leaseUntil, now: now))
            .deliveries
    }
}

/// Everything the bridge needs from a store. Both stores (`SQLiteStore`,
/// `PostgresStore`) implement all of it, so a component says in its
/// initializer which parts it needs (`any ReportStore`, `any StoreBackend`)
/// and never finds a capability by a runtime cast.
public typealias StoreBackend = EventStore & DeliveryStore & PrivacyStore & LeaseStore & DestinationControlStore & ReportStore
    & IdentityGraphStore & HealthStore & JourneyStore & SourcePrivacyStore & ReconciliationStore & PlatformFeedbackStore & ReportRollupStore
