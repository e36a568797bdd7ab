/// How old (and how far in the future) an event's own time may be for a
/// platform to accept it, and the check made before every send.
///
/// An event is sendable while
///
///     eventTime − futureTolerance ≤ now ≤ eventTime + maxAge − safetyMargin
///
/// The right-hand side is also the last instant `RetryPolicy` schedules a
/// retry for, so the two never disagree.
///
/// Meta (`EventAgeLimit.meta`): `maxAge` 7 days, because an `event_time` older
/// than 7 days makes Meta reject the **whole request** (subcode 2804003);
/// `safetyMargin` 1 hour, which covers what can pass between our check and
/// Meta's (waiting for the rate limiter, a lease expiring after a crash, the
/// request's own retries, clock skew) and costs 1/168 of the window;
/// `futureTolerance` 5 minutes, the skew Reddit documents and a generous
/// bound for a source's clock running ahead of ours (Meta rejects future
/// times without documenting a tolerance, so its destination file should send
/// `min(eventTime, now)`).
public struct EventAgeLimit: Sendable, Hashable {
    /// The oldest event time the platform accepts, measured from the send.
    public var maxAge: Duration
    /// Taken off `maxAge` to allow for delays between deciding and arriving.
    public var safetyMargin: Duration
    /// How far ahead of `now` an event time may be before it is refused.
    public var futureTolerance: Duration

    /// - Throws: `DeliveryPolicyError` unless `maxAge` > `safetyMargin` ≥ 0 and
    ///   `futureTolerance` ≥ 0.
    public init(maxAge: Duration, safetyMargin: Duration, futureTolerance: Duration) throws(DeliveryPolicyError) {
        guard safetyMargin >= .zero else { throw .outOfRange(setting: "event_age_safety_margin", allowed: "zero or more") }
        guard maxAge > safetyMargin else {
            throw .outOfRange(setting: "max_event_age", allowed: "longer than event_age_safety_margin")
        }
        guard futureTolerance >= .zero else { throw .outOfRange(setting: "future_tolerance", allowed: "zero or more") }
        self.init(unchecked: maxAge, safetyMargin, futureTolerance)
    }

    private init(unchecked maxAge: Duration, _ safetyMargin: Duration, _ futureTolerance: Duration) {
        self.maxAge = maxAge
        self.safetyMargin = safetyMargin
        self.futureTolerance = futureTolerance
    }

    /// Meta Conversions API: 7 days, 1 hour margin, 5 minutes into the future.
    public static let meta = EventAgeLimit(unchecked: .seconds(7 * 86_400), .seconds(3600), .seconds(300))

    /// The last instant at which an event that happened at `eventTime` may
    /// still be sent: `eventTime + maxAge − safetyMargin`.
    public func latestSendTime(forEventAt eventTime: Timestamp) -> Timestamp {
        eventTime.advanced(by: maxAge - safetyMargin)
    }

    /// Whether an event that happened at `eventTime` may be sent at `now`.
    /// Pure; call it before putting the event into a request.
    public func check(eventTime: Timestamp, now: Timestamp) -> EventAgeVerdict {
        if now > latestSendTime(forEventAt: eventTime) {
            return .tooOld(age: now.duration(since: eventTime), limit: maxAge - safetyMargin)
        }
        let ahead = eventTime.duration(since: now)
        if ahead > futureTolerance {
            return .inFuture(ahead: ahead, tolerance: futureTolerance)
        }
        return .sendable
    }
}

/// The answer of `EventAgeLimit.check(eventTime:now:)`.
public enum EventAgeVerdict: Sendable, Hashable {
    /// Within the platform's window: send it.
    case sendable
    /// Older than the platform accepts (minus the safety margin): dead letter
    /// it without sending, or it would sink the whole request.
    case tooOld(age: Duration, limit: Duration)
    /// Further ahead of our clock than the tolerance: dead letter it.
    case inFuture(ahead: Duration, tolerance: Duration)

    /// The dead-letter reason for a refused event; `nil` when sendable.
    public var deadLetterReason: DeadLetterReason? {
        switch self {
        case .sendable:
            return nil
        case .tooOld(let age, let limit):
            return DeadLetterReason(
                code: .eventTooOld,
                message: "event time is \(DurationText.describe(age)) old; the limit is \(DurationText.describe(limit))")
        case .inFuture(let ahead, let tolerance):
            return DeadLetterReason(
                code: .eventInFuture,
                message: "event time is \(DurationText.describe(ahead)) in the future; the tolerance is \(DurationText.describe(tolerance))")
        }
    }
}
