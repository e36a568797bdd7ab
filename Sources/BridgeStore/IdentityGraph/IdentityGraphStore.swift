import BridgeCore

/// The identity graph's storage: which hashed identifiers appeared together
/// (one person), and each person's customer fields as each platform hashes
/// them. Digests only, never a raw value. Implemented by `SQLiteStore` and
/// `PostgresStore` (same rules, same results); the prepare stage's
/// `recordPreparation` also learns the observations carried by
/// `PreparedEvent`, in the same transaction as the deliveries.
public protocol IdentityGraphStore: Sendable {
    /// The person the strongest of `keys` belongs to (external id, then
    /// e-mail, phone; click and browser ids only for an event without any of
    /// those: `IdentityGraphLimits.lookupKeys`), with their attributes; `nil`
    /// when no key is known.
    func identityProfile(for keys: [IdentityLinkKey]) async throws(StoreError) -> IdentityProfile?

    /// Records observations outside a preparation (imports, tests).
    func learnIdentities(_ observations: [IdentityObservation]) async throws(StoreError)

    /// Deletes every graph entry of each person any of `digests` belongs to
    /// (SHA-256 hex of Meta-normalized e-mail, phone or external id — see
    /// `IdentityDigests.linkDigest`), and any entry holding one of the digests;
    /// returns how many entries were deleted.
    func eraseIdentityGraph(digests: [String]) async throws(StoreError) -> Int
}

/// Bounds of the identity graph.
public enum IdentityGraphLimits {
    /// Link keys one person may hold; beyond it, new keys are not attached
    /// and people are not merged (a shared device or a forwarded link would
    /// otherwise grow one "person" without bound).
    public static let maxKeysPerPerson = 32

    /// The keys a lookup may use, strongest first: when the event has an
    /// e-mail, phone or external id, only those (a click or browser id shared
    /// by two people must not fill one's fields into the other's event);
    /// otherwise its click and browser ids.
    public static func lookupKeys(_ keys: [IdentityLinkKey]) -> [IdentityLinkKey] {
        let strong = keys.filter(\.mayMerge)
        return (strong.isEmpty ? keys : strong).sorted()
    }
}
