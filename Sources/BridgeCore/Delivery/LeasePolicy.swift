/// How long a worker's claim on events or deliveries lasts and how often a
/// live worker renews it.
///
/// A claim is leased to its worker until `now + duration`. While the worker
/// prepares or sends, it renews the lease every `renewEvery` (a third of the
/// duration), so a slow send never outlives its lease and is never taken over
/// by another worker. A worker that dies stops renewing: its claims return to
/// the queue at most `duration` after its last renewal. A restarted process
/// that owns its store releases its previous incarnation's leases at once
/// (`LeaseStore.releaseLeases(ownedBy:)`), so nothing waits at all there.
///
/// With the default 15 s:
///
///     event                                  | lease runs until
///     ---------------------------------------+------------------
///     claim at t = 0                         | t = 15 s
///     renewed at t = 5, 10, 15 … while busy  | t = 20, 25, 30 …
///     worker killed at t = 12 (renewed at 10)| t = 25: taken over then
///     outcome recorded at t = 7              | released at once
///
/// The renewal interval leaves two chances to renew before expiry even when
/// one renewal is delayed by a slow database.
public struct LeasePolicy: Sendable, Hashable {
    /// How long a claim lasts without renewal.
    public let duration: Duration

    /// The standard policy: 15 s leases.
    public static let standard = LeasePolicy(uncheckedDuration: .seconds(15))

    /// - Throws: `DeliveryPolicyError` unless `duration` is positive.
    public init(duration: Duration) throws(DeliveryPolicyError) {
        guard duration > .zero else { throw .notPositive(setting: "lease_seconds") }
        self.duration = duration
    }

    /// A policy of `duration`, raised to at least one millisecond (for
    /// settings already validated, and tests).
    public static func lasting(_ duration: Duration) -> LeasePolicy {
        LeasePolicy(uncheckedDuration: max(duration, .milliseconds(1)))
    }

    private init(uncheckedDuration: Duration) {
        self.duration = uncheckedDuration
    }

    /// How often a busy worker renews its leases: a third of the duration.
    public var renewEvery: Duration { duration / 3 }

    /// The lease end of a claim or renewal made at `now`.
    public func leaseUntil(from now: Timestamp) -> Timestamp { now.advanced(by: duration) }
}
