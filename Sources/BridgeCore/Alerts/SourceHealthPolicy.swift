/// Decides whether a source is healthy from what every instance recorded
/// about it (`SourceHealthPolicy.Observation`): pure, no clock read.
///
/// | condition | holds when |
/// |---|---|
/// | `source_silent` | the source has `expect_events_within` set, and no verified webhook (or events-API request) arrived for strictly longer than that: since the last one any instance recorded, or, when none was ever recorded, since monitoring began |
/// | `signature_failure_burst` | at least `signatureFailureThreshold` requests to the source failed verification (bad or missing signature, stale timestamp; a bad bearer token on the events API) within the last `signatureFailureWindow` |
///
/// Every request whose signature checked out counts as verified, whatever
/// became of it (stored, duplicate, ignored, ping): a source that still
/// posts is not silent, even when it posts only duplicates. Defaults: 10
/// failures within 5 minutes (a sender retries a refused webhook a few
/// times; ten refusals in five minutes is a secret rotated on one side, not
/// a stray request).
public struct SourceHealthPolicy: Sendable, Hashable {
    /// At least this many failures in the window raise the alert.
    public var signatureFailureThreshold: Int
    /// The window failures are counted in.
    public var signatureFailureWindow: Duration

    /// - Throws: `DeliveryPolicyError` for a threshold below 1 or a window not above zero.
    public init(signatureFailureThreshold: Int = 10, signatureFailureWindow: Duration = .seconds(300)) throws(DeliveryPolicyError) {
        guard signatureFailureThreshold >= 1 else { throw .outOfRange(setting: "signature_failure_threshold", allowed: "1 or more") }
        guard signatureFailureWindow > .zero else { throw .notPositive(setting: "signature_failure_window_minutes") }
        self.signatureFailureThreshold = signatureFailureThreshold
        self.signatureFailureWindow = signatureFailureWindow
    }

    /// The defaults (10 failures within 5 minutes).
    public static var standard: SourceHealthPolicy { SourceHealthPolicy(unchecked: 10, .seconds(300)) }

    private init(unchecked threshold: Int, _ window: Duration) {
        (signatureFailureThreshold, signatureFailureWindow) = (threshold, window)
    }

    /// What is known about one source.
    public struct Observation: Sendable, Hashable {
        public var source: String
        /// `expect_events_within`; `nil`: silence is never an alert.
        public var expectEventsWithin: Duration?
        /// The last verified request any instance recorded, if any.
        public var lastEventAt: Timestamp?
        /// When this monitor began watching (silence of a source never seen
        /// is measured from here).
        public var watchingSince: Timestamp
        /// Verification failures within `signatureFailureWindow`, all instances.
        public var signatureFailures: Int

        public init(source: String, expectEventsWithin: Duration?, lastEventAt: Timestamp?, watchingSince: Timestamp, signatureFailures: Int) {
            self.source = source
            self.expectEventsWithin = expectEventsWithin
            self.lastEventAt = lastEventAt
            self.watchingSince = watchingSince
            self.signatureFailures = signatureFailures
        }
    }

    /// One finding per condition (`source_silent`, `signature_failure_burst`).
    public func findings(_ observation: Observation, now: Timestamp) -> [AlertFinding] {
        let subject = AlertSubject.source(observation.source)
        var silence: String?
        if let expected = observation.expectEventsWithin {
            let since = observation.lastEventAt ?? observation.watchingSince
            let quiet = now.duration(since: since)
            if quiet > expected {
                let last = observation.lastEventAt.map { "the last arrived at \($0.rfc3339)" } ?? "none recorded since monitoring began"
                silence = "no verified webhook for \(AlertText.roughAge(quiet)) (expected within \(DurationText.describe(expected))); \(last)"
            }
        }
        var burst: String?
        if observation.signatureFailures >= signatureFailureThreshold {
            burst = "\(observation.signatureFailures) requests failed signature verification in the last "
                + "\(DurationText.describe(signatureFailureWindow)) (threshold \(signatureFailureThreshold)); "
                + "check that the source's secret matches the sender's"
        }
        return [
            AlertFinding(subject: subject, condition: .sourceSilent, detail: silence),
            AlertFinding(subject: subject, condition: .signatureFailureBurst, detail: burst),
        ]
    }
}
