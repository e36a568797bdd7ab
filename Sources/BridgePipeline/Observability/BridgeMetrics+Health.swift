import BridgeCore
import CoreMetrics
import Metrics

/// The health and alert metrics. With a Prometheus registry each is
/// exported with its `# HELP` line (`DescribedMetrics`); labels are
/// configured names and the fixed condition set.
extension BridgeMetrics {
    /// Every health metric with its help text, by name.
    static let healthHelp: [String: String] = [
        "capi_bridge_alert_active":
            "1 while the alert for this condition and subject is raised and not yet resolved, else 0",
        "capi_bridge_source_last_event_age_seconds":
            "Seconds since the last verified request from this source (any instance); -1 when none was ever recorded",
        "capi_bridge_source_signature_failures":
            "Requests to this source that failed signature verification within the burst window (all instances)",
        "capi_bridge_destination_success_ratio":
            "Delivered / (delivered + dead-lettered) for this destination over the SLO window; -1 without a final outcome",
        "capi_bridge_destination_error_ratio":
            "Failed / all delivery attempts for this destination over the error-spike window; -1 without an attempt",
        "capi_bridge_outbox_oldest_unprepared_age_seconds":
            "Age of the oldest event waiting to be prepared; 0 when none waits",
        "capi_bridge_alert_notifications_total":
            "Alert notifications by sink and outcome (sent, retried, failed, dropped)",
    ]

    /// Whether the alert for `condition` about `subject` is raised.
    public func alertActive(_ condition: AlertCondition, subject: AlertSubject, active: Bool) {
        setHealthGauge(
            "capi_bridge_alert_active",
            [("condition", condition.rawValue), ("subject_kind", subject.kind.rawValue), ("subject", subject.name)], active ? 1 : 0)
    }

    /// A source's last sign of life and its recent signature failures.
    public func sourceHealth(source: String, lastEventAgeSeconds: Double?, signatureFailures: Int) {
        setHealthGauge("capi_bridge_source_last_event_age_seconds", [("source", source)], lastEventAgeSeconds ?? -1)
        setHealthGauge("capi_bridge_source_signature_failures", [("source", source)], Double(signatureFailures))
    }

    /// A destination's success ratio (SLO window) and error ratio (spike window).
    public func destinationHealth(destination: String, successRatio: Double?, errorRatio: Double?) {
        setHealthGauge("capi_bridge_destination_success_ratio", [("destination", destination)], successRatio ?? -1)
        setHealthGauge("capi_bridge_destination_error_ratio", [("destination", destination)], errorRatio ?? -1)
    }

    /// The age of the oldest event waiting to be prepared.
    public func oldestUnprepared(ageSeconds: Double) {
        setHealthGauge("capi_bridge_outbox_oldest_unprepared_age_seconds", [], ageSeconds)
    }

    /// One notification to an alert sink: `sent`, `retried`, `failed` (given
    /// up) or `dropped` (its queue was full).
    public func alertNotification(sink: String, outcome: String) {
        let name = "capi_bridge_alert_notifications_total"
        let labels = [("sink", sink), ("outcome", outcome)]
        if let described {
            described.increment(name, labels, help: Self.healthHelp[name] ?? "")
        } else {
            counter(name, labels).increment()
        }
    }

    private func setHealthGauge(_ name: String, _ labels: [(String, String)], _ value: Double) {
        if let described {
            described.set(name, labels, help: Self.healthHelp[name] ?? "", to: value)
        } else {
            gauge(name, labels).record(value)
        }
    }
}
