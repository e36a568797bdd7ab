/// A condition worth waking someone for, about one subject (a destination,
/// a source, or the pipeline as a whole: `subjectKind`).
public enum AlertCondition: String, CaseIterable, Sendable, Hashable {
    /// The platform refused our credentials; the destination is paused.
    case authFailed = "auth_failed"
    /// The circuit breaker is open or probing.
    case circuitOpen = "circuit_open"
    /// The dead-letter queue holds more events than the threshold.
    case deadLettersAboveThreshold = "dead_letters_above_threshold"
    /// The oldest undelivered event has waited longer than the threshold.
    case oldestUndeliveredTooOld = "oldest_undelivered_too_old"
    /// Audit entries cannot be written (full disk, read-only file system):
    /// nothing is recorded as delivered until they can.
    case auditUnwritable = "audit_unwritable"
    /// A reconciliation found orders missing in the bridge, or undelivered
    /// value, above its thresholds (per source; `ReconciliationAlertPolicy`).
    case reconciliationGap = "reconciliation_gap"
    /// A source sent no verified webhook for longer than its
    /// `expect_events_within` (`SourceHealthPolicy`).
    case sourceSilent = "source_silent"
    /// A burst of webhooks whose signature did not verify on one source
    /// (a secret rotated on one side only; `SourceHealthPolicy`).
    case signatureFailureBurst = "signature_failure_burst"
    /// Events wait to be prepared longer than the threshold and the backlog
    /// does not shrink (`PrepareBacklogWatch`).
    case prepareBacklogGrowing = "prepare_backlog_growing"
    /// A destination's delivery success rate is below its SLO (`DeliverySLOPolicy`).
    case deliverySLOBreached = "delivery_slo_breached"
    /// A destination's share of failed delivery attempts spiked (`DeliverySLOPolicy`).
    case errorRateSpike = "error_rate_spike"
    /// A copy of a sampled request sent to the platform's validation
    /// endpoint (GA4 `/debug/mp/collect`) came back with validation messages.
    case validationMessages = "validation_messages"

    /// The conditions `AlertPolicy` derives from a destination's
    /// `AlertObservation` (the others arrive as `AlertFinding`s).
    public static let observedPerDestination: [AlertCondition] = [
        .authFailed, .circuitOpen, .deadLettersAboveThreshold, .oldestUndeliveredTooOld, .auditUnwritable,
    ]

    /// What the condition is about: `destination`, `source` or `pipeline`.
    public var subjectKind: AlertSubject.Kind {
        switch self {
        case .sourceSilent, .signatureFailureBurst, .reconciliationGap: return .source
        case .prepareBacklogGrowing: return .pipeline
        default: return .destination
        }
    }

    /// A short title for messages ("Circuit open").
    public var title: String {
        switch self {
        case .authFailed: return "Authentication failed"
        case .circuitOpen: return "Circuit open"
        case .deadLettersAboveThreshold: return "Dead letters above threshold"
        case .oldestUndeliveredTooOld: return "Delivery falling behind"
        case .auditUnwritable: return "Audit log not writable"
        case .reconciliationGap: return "Orders not reaching the platforms"
        case .sourceSilent: return "Source silent"
        case .signatureFailureBurst: return "Signature failures"
        case .prepareBacklogGrowing: return "Preparation falling behind"
        case .deliverySLOBreached: return "Delivery SLO breached"
        case .errorRateSpike: return "Error rate spike"
        case .validationMessages: return "Validation messages"
        }
    }
}

/// A raised alert: which condition, about what, since when, and a detail
/// made only of names, counts, rates, durations and thresholds (plus a
/// redacted platform message for auth failures), never personal data.
public struct Alert: Sendable, Hashable {
    /// What the alert is about.
    public var subject: AlertSubject
    public var condition: AlertCondition
    public var startedAt: Timestamp
    public var detail: String

    public init(subject: AlertSubject, condition: AlertCondition, startedAt: Timestamp, detail: String) {
        self.subject = subject
        self.condition = condition
        self.startedAt = startedAt
        self.detail = detail
    }

    /// An alert about a destination.
    public init(destination: String, condition: AlertCondition, startedAt: Timestamp, detail: String) {
        self.init(subject: .destination(destination), condition: condition, startedAt: startedAt, detail: detail)
    }

    /// The subject's name: the destination or source name, `pipeline` for the pipeline.
    public var destination: String { subject.name }
}

/// What `AlertPolicy` asks the service to send to the alert sinks.
public enum AlertAction: Sendable, Hashable {
    /// The condition started.
    case raise(Alert)
    /// The condition has stayed clear for `clearAfter`.
    case resolve(Alert, at: Timestamp)

    /// Whether the condition started (rather than cleared).
    public var isRaise: Bool {
        if case .raise = self { return true }
        return false
    }

    /// The alert raised or resolved.
    public var alert: Alert {
        switch self {
        case .raise(let alert), .resolve(let alert, _): return alert
        }
    }
}
