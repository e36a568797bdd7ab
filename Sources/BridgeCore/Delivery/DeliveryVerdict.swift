/// What one answer from a platform means for the batch that was sent: the
/// vocabulary shared by every destination. Destination files map the HTTP
/// status and body to a verdict (see `DeliveryVerdict.classify(status:...)`
/// for endpoints where the status says everything); the delivery service acts
/// on it.
///
/// What the service does with each verdict, and how the circuit breaker
/// counts it (`CircuitBreaker.record(_:now:)`):
///
/// | verdict        | events                                   | breaker  | other                    |
/// |----------------|------------------------------------------|----------|--------------------------|
/// | `delivered`    | marked delivered                         | success  |                          |
/// | `retry`        | rescheduled by `RetryPolicy`             | failure  |                          |
/// | `throttled`    | rescheduled by `RetryPolicy` (floor)     | success  | `TokenBucket.hold(until:)` |
/// | `deadLetter`   | one event: dead letter; more: bisect     | success  |                          |
/// | `authFailure`  | dead letter `auth_failed`, no bisecting  | paused   | alert                    |
/// | `partial`      | per item, in batch order                 | success  |                          |
///
/// A batch-level `deadLetter` for a batch of several events usually means one
/// bad event made the platform reject them all (Meta, TikTok, LinkedIn,
/// Reddit): the service splits the batch with `BatchBisection` before dead
/// lettering anything.
public enum DeliveryVerdict: Sendable, Hashable {
    /// The platform accepted every event of the batch.
    case delivered
    /// Nothing was accepted; try the whole batch again later, no earlier than
    /// `after` when the platform said so (Retry-After).
    case retry(after: Timestamp?, reason: RetryReason)
    /// The platform asked us to slow down (429, Meta codes 4/17/32/613/80004,
    /// TikTok 40100). Not a sign of ill health: the destination is held until
    /// `after` (or by the backoff when `nil`) and the batch is retried.
    case throttled(after: Timestamp?)
    /// The batch was refused for good: retrying the same bytes cannot succeed.
    case deadLetter(DeadLetterReason)
    /// The platform refused our credentials: dead letter the batch and pause
    /// the destination until an operator fixes the token and resumes it.
    case authFailure(message: String)
    /// The platform judged each event separately (Pinterest, Google Ads
    /// partial-failure mode, Snap): one verdict per item, in batch order.
    case partial([ItemVerdict])

    /// A verdict for a request that never got an HTTP answer.
    public static func transportFailure(_ reason: RetryReason) -> DeliveryVerdict {
        .retry(after: nil, reason: reason)
    }

    /// A `partial` verdict for a batch of `itemCount` items in which only the
    /// listed indices did not succeed; indices outside the batch are ignored.
    /// Collapses to `delivered` when nothing failed.
    public static func partial(itemCount: Int, failures: [Int: ItemVerdict]) -> DeliveryVerdict {
        let relevant = failures.filter { (0..<itemCount).contains($0.key) && $0.value != .delivered }
        if relevant.isEmpty { return .delivered }
        return .partial((0..<itemCount).map { relevant[$0] ?? .delivered })
    }

    /// The reason to record when this verdict dead-letters the batch: the
    /// `deadLetter` reason, or `auth_failed` for an auth failure; `nil` otherwise.
    public var deadLetterReason: DeadLetterReason? {
        switch self {
        case .deadLetter(let reason): return reason
        case .authFailure(let message): return DeadLetterReason(code: .authFailed, message: message)
        default: return nil
        }
    }

    /// A small fixed set for metrics labels: `delivered`, `retry`, `throttled`,
    /// `dead_letter`, `auth_failure`, `partial`.
    public var label: String {
        switch self {
        case .delivered: return "delivered"
        case .retry: return "retry"
        case .throttled: return "throttled"
        case .deadLetter: return "dead_letter"
        case .authFailure: return "auth_failure"
        case .partial: return "partial"
        }
    }
}

/// The outcome for one event inside a `partial` verdict.
public enum ItemVerdict: Sendable, Hashable {
    /// Accepted.
    case delivered
    /// Not accepted this time; reschedule this event alone, not before
    /// `after` when the platform says when (Google Ads: a click too recent
    /// to attribute, at least 6 h).
    case retry(RetryReason, after: Timestamp? = nil)
    /// Refused for good; dead letter this event alone.
    case deadLetter(DeadLetterReason)
}
