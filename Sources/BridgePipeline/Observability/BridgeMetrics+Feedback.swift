import BridgeCore
import CoreMetrics

/// Metrics of what the platforms report back: mismatched acknowledgements,
/// validation samples, confirmations, rows rejected after acceptance and
/// score fetches. Labels are configured names and platform codes.
extension BridgeMetrics {
    static let feedbackHelp: [String: String] = [
        "capi_bridge_events_received_mismatch_total": "Requests whose acknowledged event count (Meta events_received) differed from the events sent, by destination",
        "capi_bridge_validation_samples_total": "Sampled copies sent to a validation endpoint (GA4 /debug/mp/collect), by destination and outcome (valid, messages, failed)",
        "capi_bridge_validation_messages_total": "Validation messages for sampled requests, by destination and validation code",
        "capi_bridge_confirmation_polls_total": "Status lookups of accepted requests, by destination and outcome",
        "capi_bridge_deliveries_confirmed_total": "Deliveries the platform confirmed after accepting them, by destination",
        "capi_bridge_deliveries_rejected_later_total": "Rows a platform rejected after accepting the request, by destination and the platform's reason",
        "capi_bridge_platform_score_fetches_total": "Fetches of a platform's own quality score, by destination and availability",
    ]

    public func eventsReceivedMismatch(destination: String) {
        counter("capi_bridge_events_received_mismatch_total", [("destination", destination)]).increment()
    }

    public func validationSample(destination: String, outcome: String) {
        counter("capi_bridge_validation_samples_total", [("destination", destination), ("outcome", outcome)]).increment()
    }

    public func validationMessage(destination: String, code: String) {
        counter("capi_bridge_validation_messages_total", [("destination", destination), ("code", code)]).increment()
    }

    public func confirmationPoll(destination: String, outcome: String) {
        counter("capi_bridge_confirmation_polls_total", [("destination", destination), ("outcome", outcome)]).increment()
    }

    public func deliveriesConfirmed(destination: String, count: Int) {
        counter("capi_bridge_deliveries_confirmed_total", [("destination", destination)]).increment(by: count)
    }

    public func deliveriesRejectedLater(destination: String, reason: String, count: Int) {
        counter("capi_bridge_deliveries_rejected_later_total", [("destination", destination), ("reason", reason)]).increment(by: count)
    }

    public func platformScoreFetch(destination: String, availability: String) {
        counter("capi_bridge_platform_score_fetches_total", [("destination", destination), ("availability", availability)]).increment()
    }
}
