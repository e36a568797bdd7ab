/// How one notification to one alert sink (Slack, Teams, a webhook) is
/// retried: a few times, then given up, so a sink that is down never holds
/// up the monitor or the other sinks, and never piles up work.
///
/// After attempt *n* (1-based) the answer decides:
///
/// | answer | verdict |
/// |---|---|
/// | 2xx | sent |
/// | no answer (connection refused, timeout), 408, 425, 429, 5xx, with *n* ≤ `delays.count` | retry after `delays[n-1]`, or the sink's `Retry-After` when longer (at most `maxRetryAfter`) |
/// | the same, with *n* > `delays.count` | give up |
/// | any other status (a 3xx: redirects are not followed; a 4xx: a wrong URL or a payload the sink refuses) | give up at once |
///
/// Default delays: 2 s, 10 s, 60 s — four attempts over about 72 s, enough
/// for a proxy restart, short enough that a later alert is not stuck behind
/// them. `Retry-After` is honoured up to 120 s.
public struct AlertSinkRetryPolicy: Sendable, Hashable {
    /// The pause before each retry; its count is the number of retries.
    public var delays: [Duration]
    /// The longest `Retry-After` honoured.
    public var maxRetryAfter: Duration

    public init(delays: [Duration] = [.seconds(2), .seconds(10), .seconds(60)], maxRetryAfter: Duration = .seconds(120)) {
        self.delays = delays
        self.maxRetryAfter = maxRetryAfter
    }

    /// What to do after an attempt.
    public enum Verdict: Sendable, Hashable {
        case sent
        case retry(after: Duration)
        /// With why, for the log: `HTTP 404`, `no answer after 4 attempts`.
        case giveUp(reason: String)
    }

    /// The verdict after attempt number `attempt` (1-based) got `status`
    /// (`nil`: no answer) and, possibly, a `Retry-After` in seconds.
    public func verdict(afterAttempt attempt: Int, status: Int?, retryAfterSeconds: Int? = nil) -> Verdict {
        if let status, (200..<300).contains(status) { return .sent }
        let retryable = status.map { [408, 425, 429].contains($0) || (500..<600).contains($0) } ?? true
        let answer = status.map { "HTTP \($0)" } ?? "no answer"
        guard retryable else { return .giveUp(reason: answer) }
        guard attempt >= 1, attempt <= delays.count else { return .giveUp(reason: "\(answer) after \(max(attempt, 1)) attempts") }
        var delay = delays[attempt - 1]
        if let seconds = retryAfterSeconds, seconds > 0 {
            delay = max(delay, min(.seconds(seconds), maxRetryAfter))
        }
        return .retry(after: delay)
    }
}
