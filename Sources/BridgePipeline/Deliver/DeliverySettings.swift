import BridgeCore

/// How one destination's workers send: concurrency, pacing, batching,
/// retries, circuit breaking. YAML keys (on the destination entry):
/// `concurrency`, `rate_limit_per_second`, `rate_limit_burst`, `max_wait_ms`,
/// `timeout_ms`, `retry_base_ms`, `retry_cap_seconds`, `retry_horizon_hours`.
public struct DeliverySettings: Sendable {
    /// Requests in flight at once (default 2).
    public var concurrency = 2
    /// Requests per second (token bucket); `nil` for no limit.
    public var requestsPerSecond: Double?
    public var burst = 5
    /// The longest a partial batch waits for more events (default 1 s).
    public var maxWait: Duration = .seconds(1)
    /// Per-request deadline (default 10 s).
    public var timeout: Duration = .seconds(10)
    /// Backoff and give-up rules.
    public var retry: RetryPolicy = .standard
    public var breaker: CircuitBreaker.Configuration = .standard
    /// How long a claim lasts without renewal; busy workers renew it (`LeasePolicy`).
    public var lease: LeasePolicy = .standard
    /// How often an idle worker looks for due deliveries.
    public var idlePoll: Duration = .milliseconds(50)
    /// When accepted requests of a platform that confirms later are looked up (`confirmation:`).
    public var confirmation = ConfirmationSchedule()

    public init() {}
}
