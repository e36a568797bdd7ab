/// When to look up a request's status again: first after `firstPollAfter`
/// (Google suggests 30 minutes), then with exponential backoff from
/// `firstPollAfter` doubling up to `maxInterval`; a request not final by
/// `giveUpAfter` since it was sent stays unconfirmed. Pure.
public struct ConfirmationSchedule: Sendable, Equatable {
    public var firstPollAfter: Duration
    public var maxInterval: Duration
    public var giveUpAfter: Duration

    public init(firstPollAfter: Duration = .seconds(1800), maxInterval: Duration = .seconds(6 * 3600), giveUpAfter: Duration = .seconds(72 * 3600)) {
        self.firstPollAfter = firstPollAfter
        self.maxInterval = maxInterval
        self.giveUpAfter = giveUpAfter
    }

    /// The first lookup of a request sent at `sentAt`.
    public func firstPoll(sentAt: Timestamp) -> Timestamp { sentAt.advanced(by: firstPollAfter) }

    /// The deadline of a request sent at `sentAt`.
    public func deadline(sentAt: Timestamp) -> Timestamp { sentAt.advanced(by: giveUpAfter) }

    /// The next lookup after `polls` lookups that were not final, never
    /// later than `deadline` (the last lookup happens at the deadline).
    public func nextPoll(after polls: Int, now: Timestamp, deadline: Timestamp) -> Timestamp {
        var wait = max(firstPollAfter, .milliseconds(10))
        for _ in 0..<min(max(polls - 1, 0), 30) where wait < maxInterval { wait = wait * 2 }
        wait = min(wait, max(maxInterval, .milliseconds(10)))
        return min(now.advanced(by: wait), deadline)
    }
}
