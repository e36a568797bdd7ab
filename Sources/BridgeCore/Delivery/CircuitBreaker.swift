import DequeModule

/// Stops sending to a destination that keeps failing, lets one probe through
/// after a cool-down, and closes again once the probe succeeds; also holds a
/// destination paused after an auth failure until an operator resumes it.
///
/// A pure state machine: the delivery worker asks `shouldAttempt(now:)`
/// before each request and reports each outcome with `requestSucceeded(now:)`,
/// `requestFailed(now:)` or `authFailed(_:now:)` (or `record(_:now:)` with a
/// `DeliveryVerdict`); it performs the returned `Action` itself.
///
/// States and their valid transitions:
///
/// - `closed`: requests flow (`.proceed`). Transitions to
///   - `open` after `consecutiveFailures` failures in a row, or when at least
///     `minimumRequests` outcomes in the last `window` include a share of
///     failures of at least `failureRatio`;
///   - `paused` on an auth failure.
/// - `open(until:)`: requests wait (`.wait(until:)`). Transitions to
///   - `halfOpen` on the first `shouldAttempt` at or after `until`, which
///     returns `.probe`;
///   - `paused` on an auth failure.
///   Outcomes reported while open (requests sent before it opened) are
///   ignored.
/// - `halfOpen`: exactly one request, the probe, is in flight; others wait
///   until the probe's deadline (`probeTimeout`, after which a lost probe is
///   replaced by a new one). The next outcome reported is taken as the
///   probe's, so a worker sending concurrently reports only the probe's
///   outcome while half-open. Transitions to
///   - `closed` when the probe succeeds (counters and cool-down reset);
///   - `open` when it fails, with the cool-down multiplied by
///     `coolDownFactor` up to `maxCoolDown` (30 s, 60 s, 120 s, … 10 min);
///   - `paused` on an auth failure.
/// - `paused(reason:)`: nothing is sent (`.paused(reason)`) and outcomes are
///   ignored. Transitions to `closed` only through `resume(now:)`: an
///   operator's command or a configuration reload with a new credential.
public struct CircuitBreaker: Sendable {
    /// The breaker's thresholds and timings.
    public struct Configuration: Sendable, Hashable {
        /// Failures in a row that open the breaker (default 5).
        public var consecutiveFailures: Int
        /// Share of failures in the window that opens it (default 0.5).
        public var failureRatio: Double
        /// Outcomes the window must hold before the ratio counts (default 20).
        public var minimumRequests: Int
        /// How far back the ratio looks (default 60 s).
        public var window: Duration
        /// The first cool-down (default 30 s).
        public var coolDown: Duration
        /// Growth of the cool-down after each failed probe (default 2).
        public var coolDownFactor: Double
        /// The longest cool-down (default 10 min, the retry cap).
        public var maxCoolDown: Duration
        /// How long a probe may stay unanswered before another is allowed
        /// (default 60 s; keep it above the request timeout).
        public var probeTimeout: Duration

        /// - Throws: `DeliveryPolicyError` for a non-positive count or
        ///   duration, a ratio outside (0, 1], a factor below 1, or a
        ///   maximum cool-down shorter than the first.
        public init(
            consecutiveFailures: Int = 5, failureRatio: Double = 0.5, minimumRequests: Int = 20,
            window: Duration = .seconds(60), coolDown: Duration = .seconds(30), coolDownFactor: Double = 2,
            maxCoolDown: Duration = .seconds(600), probeTimeout: Duration = .seconds(60)
        ) throws(DeliveryPolicyError) {
            guard consecutiveFailures > 0 else { throw .notPositive(setting: "breaker_consecutive_failures") }
            guard failureRatio > 0, failureRatio <= 1 else {
                throw .outOfRange(setting: "breaker_failure_ratio", allowed: "above 0 and at most 1")
            }
            guard minimumRequests > 0 else { throw .notPositive(setting: "breaker_minimum_requests") }
            guard window > .zero else { throw .notPositive(setting: "breaker_window") }
            guard coolDown > .zero else { throw .notPositive(setting: "breaker_cool_down") }
            guard coolDownFactor >= 1, coolDownFactor.isFinite else {
                throw .outOfRange(setting: "breaker_cool_down_factor", allowed: "1 or more")
            }
            guard maxCoolDown >= coolDown else {
                throw .outOfRange(setting: "breaker_max_cool_down", allowed: "at least breaker_cool_down")
            }
            guard probeTimeout > .zero else { throw .notPositive(setting: "breaker_probe_timeout") }
            self.consecutiveFailures = consecutiveFailures
            self.failureRatio = failureRatio
            self.minimumRequests = minimumRequests
            self.window = window
            self.coolDown = coolDown
            self.coolDownFactor = coolDownFactor
            self.maxCoolDown = maxCoolDown
            self.probeTimeout = probeTimeout
        }

        /// The defaults listed on each property.
        public static var standard: Configuration { Configuration(uncheckedDefaults: ()) }

        private init(uncheckedDefaults: Void) {
            (consecutiveFailures, failureRatio, minimumRequests, window) = (5, 0.5, 20, .seconds(60))
            (coolDown, coolDownFactor, maxCoolDown, probeTimeout) = (.seconds(30), 2, .seconds(600), .seconds(60))
        }
    }

    /// What the worker should do before sending.
    public enum Action: Sendable, Hashable {
        /// Send normally.
        case proceed
        /// Send this one request as the probe; report its outcome.
        case probe
        /// Do not send before this instant.
        case wait(until: Timestamp)
        /// Do not send until an operator resumes the destination.
        case paused(String)
    }

    /// The visible state, for metrics, `/health` and `AlertPolicy`.
    public enum Status: Sendable, Hashable {
        case closed
        case open(until: Timestamp)
        case halfOpen
        case paused(reason: String)
    }

    /// A state change caused by an event, for logging and alerting.
    public enum Change: Sendable, Hashable {
        /// Nothing changed.
        case none
        /// The breaker opened (or re-opened after a failed probe) until then.
        case opened(until: Timestamp)
        /// The breaker closed after a successful probe or a resume.
        case closed
        /// The destination was paused.
        case paused(reason: String)
    }

    private enum State: Sendable {
        case closed(consecutiveFailures: Int)
        case open(until: Timestamp, coolDown: Duration)
        case halfOpen(probeDeadline: Timestamp, coolDown: Duration)
        case paused(reason: String)
    }

    private struct Sample: Sendable {
        let at: Timestamp
        let failed: Bool
    }

    /// Most outcomes the ratio window keeps; older ones are dropped first.
    static let maxSamples = 1024

    public let configuration: Configuration
    private var state: State = .closed(consecutiveFailures: 0)
    private var samples: Deque<Sample> = []
    private var failuresInWindow = 0

    /// A closed breaker.
    public init(configuration: Configuration = .standard) {
        self.configuration = configuration
    }

    /// The current state.
    public var status: Status {
        switch state {
        case .closed: return .closed
        case .open(let until, _): return .open(until: until)
        case .halfOpen: return .halfOpen
        case .paused(let reason): return .paused(reason: reason)
        }
    }

    /// Asks whether a request may be sent at `now`; may move `open` to
    /// `halfOpen` (answering `.probe`) and marks the probe as in flight.
    public mutating func shouldAttempt(now: Timestamp) -> Action {
        switch state {
        case .closed:
            return .proceed
        case .open(let until, let coolDown):
            guard now >= until else { return .wait(until: until) }
            state = .halfOpen(probeDeadline: now.advanced(by: configuration.probeTimeout), coolDown: coolDown)
            return .probe
        case .halfOpen(let deadline, let coolDown):
            if now < deadline { return .wait(until: deadline) }
            state = .halfOpen(probeDeadline: now.advanced(by: configuration.probeTimeout), coolDown: coolDown)
            return .probe
        case .paused(let reason):
            return .paused(reason)
        }
    }

    /// Reports a request the destination answered coherently.
    @discardableResult
    public mutating func requestSucceeded(now: Timestamp) -> Change {
        switch state {
        case .closed:
            addSample(failed: false, now: now)
            state = .closed(consecutiveFailures: 0)
            return .none
        case .halfOpen:
            resetCounters()
            state = .closed(consecutiveFailures: 0)
            return .closed
        case .open, .paused:
            return .none
        }
    }

    /// Reports a request that failed in a way that counts against the
    /// destination's health (network error, timeout, 5xx).
    @discardableResult
    public mutating func requestFailed(now: Timestamp) -> Change {
        switch state {
        case .closed(let consecutive):
            addSample(failed: true, now: now)
            let failures = consecutive + 1
            if failures >= configuration.consecutiveFailures || ratioExceeded {
                return open(now: now, coolDown: configuration.coolDown)
            }
            state = .closed(consecutiveFailures: failures)
            return .none
        case .halfOpen(_, let coolDown):
            let longer = Duration.milliseconds(
                Int64(min(Double(coolDown.wholeMilliseconds) * configuration.coolDownFactor,
                          Double(configuration.maxCoolDown.wholeMilliseconds))))
            return open(now: now, coolDown: longer)
        case .open, .paused:
            return .none
        }
    }

    /// Reports that the destination refused our credentials: pauses it, from
    /// any state, until `resume(now:)`.
    @discardableResult
    public mutating func authFailed(_ reason: String, now: Timestamp) -> Change {
        if case .paused = state { return .none }
        state = .paused(reason: reason)
        resetCounters()
        return .paused(reason: reason)
    }

    /// Clears a pause (or any other state) after an operator's resume or a
    /// configuration reload: the breaker starts closed with fresh counters.
    @discardableResult
    public mutating func resume(now: Timestamp) -> Change {
        if case .closed = state { return .none }
        state = .closed(consecutiveFailures: 0)
        resetCounters()
        return .closed
    }

    /// Reports an outcome as a verdict: `retry` is a failure, `authFailure`
    /// pauses, everything else (the platform answered) is a success.
    @discardableResult
    public mutating func record(_ verdict: DeliveryVerdict, now: Timestamp) -> Change {
        switch verdict {
        case .retry: return requestFailed(now: now)
        case .authFailure(let message): return authFailed(message, now: now)
        case .delivered, .throttled, .deadLetter, .partial: return requestSucceeded(now: now)
        }
    }

    private mutating func open(now: Timestamp, coolDown: Duration) -> Change {
        let until = now.advanced(by: coolDown)
        state = .open(until: until, coolDown: coolDown)
        resetCounters()
        return .opened(until: until)
    }

    private var ratioExceeded: Bool {
        samples.count >= configuration.minimumRequests
            && Double(failuresInWindow) >= configuration.failureRatio * Double(samples.count)
    }

    private mutating func addSample(failed: Bool, now: Timestamp) {
        let windowStart = now.advanced(by: .zero - configuration.window)
        while let first = samples.first, first.at <= windowStart || samples.count >= Self.maxSamples {
            if first.failed { failuresInWindow -= 1 }
            samples.removeFirst()
        }
        samples.append(Sample(at: now, failed: failed))
        if failed { failuresInWindow += 1 }
    }

    private mutating func resetCounters() {
        samples.removeAll()
        failuresInWindow = 0
    }
}
