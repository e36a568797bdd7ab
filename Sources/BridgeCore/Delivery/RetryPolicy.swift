/// When to try a failed delivery again, and when to stop trying.
///
/// Exponential backoff with full jitter: after the n-th consecutive failed
/// attempt (n ≥ 1) the delay is drawn uniformly, to the millisecond, from
///
///     0 … min(cap, base · factor^(n − 1))
///
/// With the defaults (base 1 s, factor 2, cap 600 s) the ceiling of the draw,
/// its mean, and the mean total time spent waiting so far are:
///
///     failures | ceiling | mean delay | mean total waited
///     ---------+---------+------------+------------------
///         1    |    1 s  |    0.5 s   |     0.5 s
///         2    |    2 s  |      1 s   |     1.5 s
///         3    |    4 s  |      2 s   |     3.5 s
///         4    |    8 s  |      4 s   |     7.5 s
///         5    |   16 s  |      8 s   |    15.5 s
///         6    |   32 s  |     16 s   |    31.5 s
///         7    |   64 s  |     32 s   |  ~1.1 min
///         8    |  128 s  |     64 s   |  ~2.1 min
///         9    |  256 s  |    128 s   |  ~4.3 min
///        10    |  512 s  |    256 s   |  ~8.5 min
///       11+    |  600 s  |    300 s   |  +5 min per failure (cap)
///
/// so a destination that stays down is tried about every 5 minutes, around
/// 290 times before the 24 h horizon (the circuit breaker usually gates far
/// fewer real requests). Full jitter rather than "equal" or ±3 % jitter
/// because many batches fail together when a platform goes down: spreading
/// each retry over the whole interval is what stops them all returning at
/// once.
///
/// Floors and cut-offs, applied in this order:
/// 1. A `Retry-After` from the platform is a floor: never retry before it,
///    even past the cap.
/// 2. Give up with `retry_horizon_exceeded` when the next attempt would be
///    later than `state.since + horizon` (default 24 h from the first attempt
///    or from receipt, the caller's choice).
/// 3. Give up with `event_too_old` when it would be later than
///    `EventAgeLimit.latestSendTime(forEventAt: state.oldestEventTime)`
///    (Meta: 7 days − 1 hour), since the platform would reject it anyway.
/// When both cut-offs are passed, the earlier one names the reason.
public struct RetryPolicy: Sendable, Hashable {
    /// The first ceiling (after one failure).
    public var base: Duration
    /// How much the ceiling grows per further failure.
    public var factor: Double
    /// The largest ceiling.
    public var cap: Duration
    /// How long after `RetryState.since` retries stop.
    public var horizon: Duration
    /// The platform's event-age window, if it has one.
    public var eventAge: EventAgeLimit?

    /// - Throws: `DeliveryPolicyError` unless `base` > 0, `factor` ≥ 1,
    ///   `cap` ≥ `base` and `horizon` > 0.
    public init(
        base: Duration = .seconds(1), factor: Double = 2, cap: Duration = .seconds(600),
        horizon: Duration = .seconds(24 * 3600), eventAge: EventAgeLimit? = nil
    ) throws(DeliveryPolicyError) {
        guard base > .zero else { throw .notPositive(setting: "retry_base") }
        guard factor >= 1, factor.isFinite else { throw .outOfRange(setting: "retry_factor", allowed: "1 or more") }
        guard cap >= base else { throw .outOfRange(setting: "retry_cap", allowed: "at least retry_base") }
        guard horizon > .zero else { throw .notPositive(setting: "retry_horizon") }
        self.base = base
        self.factor = factor
        self.cap = cap
        self.horizon = horizon
        self.eventAge = eventAge
    }

    /// The defaults: 1 s · 2^(n−1) capped at 600 s, 24 h horizon, no age limit.
    public static var standard: RetryPolicy {
        RetryPolicy(unchecked: ())
    }

    private init(unchecked: Void) {
        (base, factor, cap, horizon, eventAge) = (.seconds(1), 2, .seconds(600), .seconds(24 * 3600), nil)
    }

    /// The upper bound of the jittered delay after `failures` consecutive
    /// failed attempts: `min(cap, base · factor^(failures − 1))`.
    public func ceiling(afterFailures failures: Int) -> Duration {
        let capMillis = Double(cap.wholeMilliseconds)
        var raw = Double(base.wholeMilliseconds)
        // Multiply step by step and stop at the cap, so a huge failure count
        // neither loops long nor overflows the conversion back to Int64.
        var step = 1
        while step < failures, raw < capMillis, factor > 1 {
            raw *= factor
            step += 1
        }
        return .milliseconds(Int64(min(raw, capMillis)))
    }

    /// Decides what happens to a delivery that has just failed.
    ///
    /// - Parameters:
    ///   - state: The delivery's retry history, `failures` already counting
    ///     the attempt that just failed.
    ///   - now: When the failure was observed.
    ///   - retryAfter: The instant the platform asked us to wait for, if any.
    ///   - generator: The source of jitter; tests pass a seeded one.
    public func decide(
        after state: RetryState, now: Timestamp, retryAfter: Timestamp? = nil,
        using generator: inout some RandomNumberGenerator
    ) -> RetryDecision {
        let ceilingMillis = ceiling(afterFailures: state.failures).wholeMilliseconds
        let jitter = Int64.random(in: 0...ceilingMillis, using: &generator)
        var next = now.advanced(by: .milliseconds(jitter))
        if let retryAfter, retryAfter > next { next = retryAfter }

        var exceeded: [(deadline: Timestamp, reason: DeadLetterReason)] = []
        let horizonEnd = state.since.advanced(by: horizon)
        if next > horizonEnd {
            exceeded.append(
                (horizonEnd,
                 DeadLetterReason(
                    code: .retryHorizonExceeded,
                    message: "gave up after \(state.failures) failed attempts: the next one would pass the "
                        + "\(DurationText.describe(horizon)) retry horizon that ended at \(horizonEnd)")))
        }
        if let eventAge, let oldest = state.oldestEventTime {
            let latest = eventAge.latestSendTime(forEventAt: oldest)
            if next > latest {
                exceeded.append(
                    (latest,
                     DeadLetterReason(
                        code: .eventTooOld,
                        message: "gave up after \(state.failures) failed attempts: the next one would pass \(latest), "
                            + "the last time the platform accepts the oldest event "
                            + "(\(DurationText.describe(eventAge.maxAge)) minus a \(DurationText.describe(eventAge.safetyMargin)) margin)")))
            }
        }
        if let first = exceeded.min(by: { $0.deadline < $1.deadline }) {
            return .giveUp(first.reason)
        }
        return .retry(at: next)
    }
}

/// What `RetryPolicy` needs to know about a delivery's past attempts; the
/// store keeps it with the delivery.
public struct RetryState: Sendable, Hashable {
    /// Consecutive failed attempts, including the one just observed (≥ 1).
    public var failures: Int
    /// Where the retry horizon is measured from: the first attempt, or the
    /// event's receipt.
    public var since: Timestamp
    /// The oldest event time in the batch (the one the age limit bites
    /// first); `nil` to skip the age cut-off.
    public var oldestEventTime: Timestamp?

    public init(failures: Int, since: Timestamp, oldestEventTime: Timestamp? = nil) {
        self.failures = failures
        self.since = since
        self.oldestEventTime = oldestEventTime
    }
}

/// The action `RetryPolicy.decide` returns.
public enum RetryDecision: Sendable, Hashable {
    /// Make the delivery claimable again at this instant.
    case retry(at: Timestamp)
    /// Stop: dead letter the delivery with this reason.
    case giveUp(DeadLetterReason)
}
