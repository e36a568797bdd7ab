/// A per-destination rate limit: `rate` tokens per second refill a bucket of
/// `burst` tokens; a request (or event) takes tokens, or learns when enough
/// will be there.
///
/// Pure: time is a parameter, nothing sleeps. The bucket starts full.
/// Refill is continuous: after `t` seconds `min(burst, tokens + rate · t)`.
/// With `rate` 10/s and `burst` 20, for example:
///
///     t (s) | take | tokens before | decision
///     ------+------+---------------+---------------------
///       0   |  20  |     20        | granted (0 left)
///       0   |   5  |      0        | wait until t = 0.5
///      0.5  |   5  |      5        | granted (0 left)
///      10   |  30  |     20 (full) | granted, 10 owed
///      10   |   1  |    −10        | wait until t = 11.1
///
/// Taking more than `burst` at once is allowed only from a full bucket and
/// leaves a debt that later refills pay back, so an oversized request is
/// delayed, never refused for ever. `hold(until:)` empties the schedule until
/// an instant, for a platform's Retry-After on throttling.
public struct TokenBucket: Sendable, Hashable {
    /// What `take` decided.
    public enum Decision: Sendable, Hashable {
        /// The tokens were taken: go ahead.
        case granted
        /// Nothing was taken: ask again at this instant.
        case wait(until: Timestamp)
    }

    /// Tokens added per second.
    public let rate: Double
    /// The bucket's capacity.
    public let burst: Int

    private var tokens: Double
    private var refilledAt: Timestamp
    private var heldUntil: Timestamp?

    /// A full bucket at `now`.
    /// - Throws: `DeliveryPolicyError` unless `rate` > 0 and `burst` ≥ 1.
    public init(rate: Double, burst: Int, now: Timestamp) throws(DeliveryPolicyError) {
        guard rate > 0, rate.isFinite else { throw .notPositive(setting: "rate_limit_per_second") }
        guard burst >= 1 else { throw .notPositive(setting: "rate_limit_burst") }
        self.rate = rate
        self.burst = burst
        self.tokens = Double(burst)
        self.refilledAt = now
    }

    /// Tokens available at `now` (negative while a debt is being repaid).
    public func available(now: Timestamp) -> Double {
        let elapsed = Double(max(0, now.duration(since: refilledAt).wholeMilliseconds)) / 1000
        return min(Double(burst), tokens + elapsed * rate)
    }

    /// Takes `count` tokens at `now`, or says when to ask again.
    public mutating func take(_ count: Int, now: Timestamp) -> Decision {
        if let heldUntil {
            if now < heldUntil { return .wait(until: heldUntil) }
            self.heldUntil = nil
        }
        refill(now: now)
        guard count > 0 else { return .granted }
        let needed = Double(min(count, burst))
        // A tolerance for the rounding of continuous refill to milliseconds.
        if tokens + 1e-9 >= needed {
            tokens -= Double(count)
            return .granted
        }
        let millis = ((needed - tokens) / rate * 1000).rounded(.up)
        return .wait(until: now.advanced(by: .milliseconds(Int64(min(millis, 1e15)))))
    }

    /// What `take` would decide at `now`, taking nothing: a worker looks
    /// before it claims a batch, then `consume`s once it has one, so an empty
    /// claim costs no token.
    public func peek(_ count: Int, now: Timestamp) -> Decision {
        var copy = self
        return copy.take(count, now: now)
    }

    /// Takes `count` tokens at `now` whatever is left (a debt later refills
    /// repay): after a `peek` that granted, when concurrent workers may have
    /// taken the same tokens meanwhile. The overshoot is bounded by the
    /// number of workers.
    public mutating func consume(_ count: Int, now: Timestamp) {
        refill(now: now)
        tokens -= Double(max(0, count))
    }

    /// Refuses every `take` before `instant` (a throttling answer's
    /// Retry-After); the bucket keeps refilling meanwhile. A later hold
    /// replaces an earlier one only when it ends later.
    public mutating func hold(until instant: Timestamp) {
        if let heldUntil, heldUntil >= instant { return }
        heldUntil = instant
    }

    private mutating func refill(now: Timestamp) {
        // A clock that steps back must not mint tokens or move the origin back.
        guard now > refilledAt else { return }
        tokens = available(now: now)
        refilledAt = now
    }
}
