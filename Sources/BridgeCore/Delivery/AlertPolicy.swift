/// Turns a stream of observations into one alert when a condition starts and
/// one "resolved" when it ends: never one per event, never a repeat while
/// the condition lasts.
///
/// Per subject (destination, source, pipeline) and condition, a small state
/// machine:
///
/// - `inactive` → `active` when the condition is observed: emits `.raise`.
/// - `active` → `clearing` when it is first observed clear: emits nothing.
/// - `clearing` → `active` when it is observed again before `clearAfter`:
///   emits nothing (a flapping condition stays one alert).
/// - `clearing` → `inactive` once it has been observed clear for
///   `clearAfter`: emits `.resolve`.
///
/// Defaults: dead letters above 100 (single rejected events are expected
/// and go to the report; a hundred means a systematic problem such as a
/// mapping bug); oldest undelivered event older than 1 hour (Meta asks for
/// events within the hour, and it is far inside the 7-day limit);
/// `clearAfter` 5 minutes.
public struct AlertPolicy: Sendable {
    public struct Configuration: Sendable, Hashable {
        /// Dead letters strictly above this raise the alert.
        public var deadLetterThreshold: Int
        /// An oldest undelivered event strictly older than this raises it.
        public var oldestUndeliveredThreshold: Duration
        /// How long a condition must stay clear before it is resolved.
        public var clearAfter: Duration

        /// - Throws: `DeliveryPolicyError` for a negative value.
        public init(
            deadLetterThreshold: Int = 100, oldestUndeliveredThreshold: Duration = .seconds(3600),
            clearAfter: Duration = .seconds(300)
        ) throws(DeliveryPolicyError) {
            guard deadLetterThreshold >= 0 else { throw .outOfRange(setting: "dead_letter_threshold", allowed: "zero or more") }
            guard oldestUndeliveredThreshold > .zero else { throw .notPositive(setting: "oldest_undelivered_threshold") }
            guard clearAfter >= .zero else { throw .outOfRange(setting: "alert_clear_after", allowed: "zero or more") }
            self.deadLetterThreshold = deadLetterThreshold
            self.oldestUndeliveredThreshold = oldestUndeliveredThreshold
            self.clearAfter = clearAfter
        }

        public static var standard: Configuration { Configuration(uncheckedDefaults: ()) }

        private init(uncheckedDefaults: Void) {
            (deadLetterThreshold, oldestUndeliveredThreshold, clearAfter) = (100, .seconds(3600), .seconds(300))
        }
    }

    private struct Key: Hashable, Sendable {
        let subject: AlertSubject
        let condition: AlertCondition
    }

    private enum State: Sendable {
        case active(Alert)
        case clearing(Alert, clearSince: Timestamp)
    }

    public let configuration: Configuration
    private var states: [Key: State] = [:]

    public init(configuration: Configuration = .standard) {
        self.configuration = configuration
    }

    /// The alerts raised and not yet resolved (including those clear for
    /// less than `clearAfter`), ordered by subject and condition.
    public var active: [Alert] {
        states.values.map { state -> Alert in
            switch state {
            case .active(let alert), .clearing(let alert, _): return alert
            }
        }.sorted { ($0.subject, $0.condition.rawValue) < ($1.subject, $1.condition.rawValue) }
    }

    /// Whether an alert for `condition` about `subject` is raised and not yet resolved.
    public func isActive(_ condition: AlertCondition, about subject: AlertSubject) -> Bool {
        states[Key(subject: subject, condition: condition)] != nil
    }

    /// Feeds one observation of a destination; returns the alerts to send,
    /// in the order of `AlertCondition.observedPerDestination`.
    public mutating func observe(_ observation: AlertObservation, now: Timestamp) -> [AlertAction] {
        observe(
            AlertCondition.observedPerDestination.map { condition in
                AlertFinding(
                    subject: .destination(observation.destination), condition: condition, detail: detail(condition, observation, now: now))
            }, now: now)
    }

    /// Feeds verdicts on any conditions and subjects; returns the alerts to
    /// send, in the order of `findings`.
    public mutating func observe(_ findings: [AlertFinding], now: Timestamp) -> [AlertAction] {
        var actions: [AlertAction] = []
        for finding in findings {
            let key = Key(subject: finding.subject, condition: finding.condition)
            let condition = finding.condition
            switch (states[key], finding.detail) {
            case (nil, let detail?):
                let alert = Alert(subject: finding.subject, condition: condition, startedAt: now, detail: detail)
                states[key] = .active(alert)
                actions.append(.raise(alert))
            case (nil, nil), (.active, _?):
                break
            case (.active(let alert), nil):
                if configuration.clearAfter <= .zero {
                    states[key] = nil
                    actions.append(.resolve(alert, at: now))
                } else {
                    states[key] = .clearing(alert, clearSince: now)
                }
            case (.clearing(let alert, _), _?):
                states[key] = .active(alert)
            case (.clearing(let alert, let clearSince), nil):
                if now.duration(since: clearSince) >= configuration.clearAfter {
                    states[key] = nil
                    actions.append(.resolve(alert, at: now))
                }
            }
        }
        return actions
    }

    /// The alert detail when `condition` holds in `observation`, else `nil`.
    private func detail(_ condition: AlertCondition, _ observation: AlertObservation, now: Timestamp) -> String? {
        switch condition {
        case .authFailed:
            return observation.authFailure.map {
                "the platform refused the credentials (\(PersonalDataScanner().redacting(String($0.prefix(200))))); "
                    + "deliveries are paused until the destination is resumed"
            }
        case .circuitOpen:
            return observation.circuitOpen ? "requests keep failing; the breaker is probing the destination" : nil
        case .deadLettersAboveThreshold:
            guard observation.deadLetters > configuration.deadLetterThreshold else { return nil }
            return "\(observation.deadLetters) dead letters (threshold \(configuration.deadLetterThreshold))"
        case .oldestUndeliveredTooOld:
            guard let oldest = observation.oldestUndeliveredAt else { return nil }
            let age = now.duration(since: oldest)
            guard age > configuration.oldestUndeliveredThreshold else { return nil }
            return "oldest undelivered event is \(AlertText.roughAge(age)) old (threshold "
                + "\(DurationText.describe(configuration.oldestUndeliveredThreshold)))"
        case .auditUnwritable:
            guard let since = observation.auditFailingSince else { return nil }
            return "audit entries have failed to be written for \(AlertText.roughAge(now.duration(since: since))); "
                + "deliveries stay pending until the audit log is writable (check disk space and permissions of audit.dir)"
        case .sourceSilent, .signatureFailureBurst, .prepareBacklogGrowing, .deliverySLOBreached, .errorRateSpike, .reconciliationGap,
            .validationMessages:
            // Not read from a destination's queue: these arrive as findings.
            return nil
        }
    }
}

/// Rounded durations for alert texts ("2 h 5 min", "3 d 4 h").
enum AlertText {
    static func roughAge(_ duration: Duration) -> String {
        let minutes = max(0, duration.wholeMilliseconds / 60_000)
        if minutes < 60 { return "\(minutes) min" }
        if minutes < 24 * 60 { return "\(minutes / 60) h \(minutes % 60) min" }
        return "\(minutes / 1440) d \(minutes % 1440 / 60) h"
    }
}
