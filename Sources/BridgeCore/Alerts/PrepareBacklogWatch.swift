import DequeModule

/// Watches the events waiting to be prepared (the backlog every destination
/// waits behind) and says when preparation is falling behind: pure, fed one
/// sample per monitor round.
///
/// The condition `prepare_backlog_growing` holds when both:
///
/// 1. the oldest event waiting to be prepared was received more than
///    `threshold` ago (the prepare stage takes events in arrival order, so
///    while it keeps up the oldest waiting event is seconds old), and
/// 2. the backlog has not shrunk over the last `threshold`: the count now
///    is at least the count of the newest sample taken `threshold` or more
///    ago.
///
/// So a stuck prepare stage (the count stays, the oldest ages) and one
/// slower than ingest (the count grows) raise the alert, while a large
/// import being worked off (old events, but fewer each round) does not.
/// Until a sample `threshold` old exists (the first `threshold` after the
/// monitor starts) the second part cannot be judged and the condition does
/// not hold.
///
/// | samples (age → count), threshold 10 min | oldest waiting | holds |
/// |---|---|---|
/// | 10 min → 40, now → 90 | 12 min | yes: grew |
/// | 10 min → 90, now → 90 | 25 min | yes: stuck |
/// | 10 min → 900, now → 300 | 30 min | no: shrinking |
/// | 10 min → 50, now → 60 | 20 s | no: keeping up |
/// | (none 10 min old), now → 500 | 15 min | no: not yet judged |
///
/// Default threshold: 10 minutes.
public struct PrepareBacklogWatch: Sendable {
    public let threshold: Duration
    /// Samples, oldest first; at most one older than `threshold` is kept.
    private var samples: Deque<(at: Timestamp, count: Int)> = []

    /// - Throws: `DeliveryPolicyError` when `threshold` is not above zero.
    public init(threshold: Duration = .seconds(600)) throws(DeliveryPolicyError) {
        guard threshold > .zero else { throw .notPositive(setting: "prepare_backlog_minutes") }
        self.threshold = threshold
    }

    /// Records a sample and judges the condition.
    /// - Parameters:
    ///   - unprepared: events waiting to be prepared now (all instances).
    ///   - oldestReceivedAt: when the oldest of them was received, `nil` when none waits.
    public mutating func observe(unprepared: Int, oldestReceivedAt: Timestamp?, now: Timestamp) -> AlertFinding {
        samples.append((now, unprepared))
        let cutoff = now.advanced(by: .zero - threshold)
        // Keep the newest sample at or before the cutoff as the reference, drop older ones.
        while samples.count >= 2, samples[1].at <= cutoff { samples.removeFirst() }
        var detail: String?
        if let oldest = oldestReceivedAt, unprepared > 0, now.duration(since: oldest) > threshold,
            let reference = samples.first, reference.at <= cutoff, unprepared >= reference.count
        {
            let trend = unprepared > reference.count
                ? "it grew from \(reference.count) to \(unprepared)" : "it did not shrink (\(unprepared))"
            detail = "\(unprepared) events wait to be prepared, the oldest for \(AlertText.roughAge(now.duration(since: oldest))); "
                + "over the last \(DurationText.describe(threshold)) \(trend); check that a prepare worker is running and the store answers"
        }
        return AlertFinding(subject: .pipeline, condition: .prepareBacklogGrowing, detail: detail)
    }
}
