/// A condition worth waking someone for, per destination.
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

    /// A short title for messages ("Circuit open").
    public var title: String {
        switch self {
        case .authFailed: return "Authentication failed"
        case .circuitOpen: return "Circuit open"
        case .deadLettersAboveThreshold: return "Dead letters above threshold"
        case .oldestUndeliveredTooOld: return "Delivery falling behind"
        case .auditUnwritable: return "Audit log not writable"
        case .reconciliationGap: return "Orders not reaching the platforms"
        }
    }

    /// What the alert's `destination` names: a destination, or a source.
    public var subjectKind: String { self == .reconciliationGap ? "source" : "destination" }
}

/// A raised alert: which condition, where, since when, and a detail made only
/// of counts, durations and thresholds (plus a redacted platform message for
/// auth failures), never personal data.
public struct Alert: Sendable, Hashable {
    public var destination: String
    public var condition: AlertCondition
    public var startedAt: Timestamp
    public var detail: String

    public init(destination: String, condition: AlertCondition, startedAt: Timestamp, detail: String) {
        self.destination = destination
        self.condition = condition
        self.startedAt = startedAt
        self.detail = detail
    }
}

/// What `AlertPolicy` asks the service to send to the alert webhook.
public enum AlertAction: Sendable, Hashable {
    /// The condition started.
    case raise(Alert)
    /// The condition has stayed clear for `clearAfter`.
    case resolve(Alert, at: Timestamp)
}
