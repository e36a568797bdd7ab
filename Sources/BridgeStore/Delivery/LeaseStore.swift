import BridgeCore

/// Which leases a store holds for work under way, so a crashed worker's
/// claims can be taken back within seconds: renewed by the worker while it
/// works (`LeaseHeartbeat`), released by a restarted process that owns them
/// (`releaseLeases(ownedBy:)`), and otherwise taken over once they run out.
public protocol LeaseStore: Sendable {
    /// Extends the leases `owner` still holds on `ids` of `kind` until
    /// `until`; returns how many it still held (a lease already taken over
    /// by another worker is not renewed).
    func renewLeases(_ kind: LeaseKind, ids: [Int64], owner: String, until: Timestamp) async throws(StoreError) -> Int

    /// Releases every lease whose owner `match` selects (a previous
    /// incarnation of this process); returns how many of each kind.
    func releaseLeases(ownedBy match: LeaseOwnerMatch) async throws(StoreError) -> ReleasedLeases
}

/// What a lease covers.
public enum LeaseKind: String, Sendable, CaseIterable {
    /// An event claimed for preparation (`events.sequence`).
    case preparation
    /// A delivery claimed for sending (`deliveries.id`).
    case delivery
}

/// Whose leases `releaseLeases(ownedBy:)` releases.
public enum LeaseOwnerMatch: Sendable, Equatable {
    /// Every lease: the store is owned by one process (SQLite, guarded by
    /// the serve lock), so any lease found at start-up is a dead incarnation's.
    case all
    /// Leases whose owner starts with `prefix` (`<instance id>/`): a restarted
    /// instance's own on a shared PostgreSQL database.
    case prefix(String)
}

/// How many leases a release freed.
public struct ReleasedLeases: Sendable, Equatable {
    public var preparation: Int
    public var delivery: Int

    public init(preparation: Int = 0, delivery: Int = 0) {
        self.preparation = preparation
        self.delivery = delivery
    }

    public var total: Int { preparation + delivery }
}
