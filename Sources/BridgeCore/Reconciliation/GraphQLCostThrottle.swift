/// Shopify's cost-based throttle for the GraphQL Admin API, from the
/// client's side: a bucket of `maximumAvailable` points that refills at
/// `restoreRate` points per second; a query needs its requested cost in the
/// bucket, or Shopify answers `THROTTLED` (HTTP 200, `errors[].extensions.code`).
///
/// Every answer carries `extensions.cost.throttleStatus`; the client feeds
/// it here (`observe`) and asks, before each query, how long to wait so
/// that enough points are restored (`delay(before:now:)`):
///
///     available(now) = min(maximum, observed + restoreRate × (now − observedAt))
///     wait           = max(0, (cost − available(now)) ÷ restoreRate)
///
/// After a `THROTTLED` answer (`throttled(requestedCost:attempt:now:)`) the
/// wait is the larger of that and an exponential backoff (1 s, 2 s, 4 s … at
/// most 60 s), in case the status was stale; after `maxAttempts` it gives up.
///
/// | restore rate | available | cost | wait |
/// |---|---|---|---|
/// | 50/s | 1000 | 112 | 0 |
/// | 50/s | 12 | 112 | 2 s |
/// | 100/s | 0 | 1000 | 10 s |
public struct GraphQLCostThrottle: Sendable, Equatable {
    /// One `throttleStatus` reading.
    public struct Status: Sendable, Equatable {
        public var maximumAvailable: Double
        public var currentlyAvailable: Double
        public var restoreRate: Double

        public init(maximumAvailable: Double, currentlyAvailable: Double, restoreRate: Double) {
            self.maximumAvailable = maximumAvailable
            self.currentlyAvailable = currentlyAvailable
            self.restoreRate = restoreRate
        }

        /// Reads `extensions.cost.throttleStatus` of an answer; `nil` when absent.
        public init?(answer: JSONValue) {
            guard let status = answer[path: "extensions", "cost", "throttleStatus"],
                let maximum = status["maximumAvailable"]?.numberText.flatMap(Double.init),
                let available = status["currentlyAvailable"]?.numberText.flatMap(Double.init),
                let rate = status["restoreRate"]?.numberText.flatMap(Double.init), maximum > 0, rate > 0
            else { return nil }
            self.init(maximumAvailable: maximum, currentlyAvailable: available, restoreRate: rate)
        }
    }

    /// Attempts of one query before giving up.
    public static let maxAttempts = 8

    private(set) var status: Status?
    private(set) var observedAt: Timestamp?

    public init() {}

    /// Records the status an answer reported at `now`.
    public mutating func observe(_ status: Status, at now: Timestamp) {
        self.status = status
        self.observedAt = now
    }

    /// Points available at `now`, as far as the last status tells; `nil` before any.
    public func available(at now: Timestamp) -> Double? {
        guard let status, let observedAt else { return nil }
        let elapsed = Double(max(0, now.millisecondsSinceEpoch - observedAt.millisecondsSinceEpoch)) / 1000
        return min(status.maximumAvailable, status.currentlyAvailable + status.restoreRate * elapsed)
    }

    /// How long to wait before sending a query of `cost` points at `now`.
    public func delay(before cost: Double, now: Timestamp) -> Duration {
        guard let status, let available = available(at: now), available < cost else { return .zero }
        // A query dearer than the whole bucket cannot wait its way in; Shopify refuses it (MAX_COST_EXCEEDED).
        let needed = min(cost, status.maximumAvailable) - available
        return .milliseconds(Int64((needed / status.restoreRate * 1000).rounded(.up)))
    }

    /// The wait after a `THROTTLED` answer to attempt `attempt` (1-based),
    /// or `nil` when the query should be given up.
    public func throttled(requestedCost: Double, attempt: Int, now: Timestamp) -> Duration? {
        guard attempt < Self.maxAttempts else { return nil }
        let backoff = Duration.seconds(Int64(1) << Int64(min(attempt - 1, 6)))
        return max(min(backoff, .seconds(60)), delay(before: requestedCost, now: now))
    }
}
