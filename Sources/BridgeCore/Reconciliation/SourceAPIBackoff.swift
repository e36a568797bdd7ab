/// When to try a source API request again after a throttling or transient
/// answer (HTTP 429, 5xx, a connection error): Stripe's and WooCommerce's
/// list endpoints.
///
/// The server's own word wins: `Retry-After` (seconds or an HTTP date) is
/// waited for in full, up to `maximumWait`. Without it, exponential
/// backoff: `base × 2^(attempt−1)`, capped at `cap`.
///
/// | attempt | no Retry-After | Retry-After: 7 |
/// |---|---|---|
/// | 1 | 1 s | 7 s |
/// | 2 | 2 s | 7 s |
/// | 3 | 4 s | 7 s |
/// | 5 | 16 s | 7 s |
/// | 6 | give up | give up |
public struct SourceAPIBackoff: Sendable, Hashable {
    public var base: Duration
    public var cap: Duration
    public var maxAttempts: Int
    /// The longest `Retry-After` honoured; a longer one gives up (the run fails
    /// and says so, rather than hang for hours).
    public var maximumWait: Duration

    public init(base: Duration = .seconds(1), cap: Duration = .seconds(30), maxAttempts: Int = 6, maximumWait: Duration = .seconds(300)) {
        self.base = base
        self.cap = cap
        self.maxAttempts = maxAttempts
        self.maximumWait = maximumWait
    }

    /// The wait before attempt `attempt + 1` after attempt `attempt` (1-based)
    /// failed; `nil` to give up.
    /// - Parameter retryAfter: the instant the server asked to wait for, if any.
    public func delay(afterAttempt attempt: Int, retryAfter: Timestamp?, now: Timestamp) -> Duration? {
        guard attempt < maxAttempts else { return nil }
        if let retryAfter {
            let wait = max(.zero, retryAfter.duration(since: now))
            return wait <= maximumWait ? wait : nil
        }
        var delay = base
        for _ in 1..<max(attempt, 1) where delay < cap { delay = delay * 2 }
        return min(delay, cap)
    }
}
