import BridgeCore
import BridgeStore

extension DestinationStatus {
    /// A status report from a breaker state; a pause's reason (the
    /// platform's message) is redacted of anything that looks personal.
    public init(instance: String, destination: String, breaker: CircuitBreaker.Status, reportedAt: Timestamp) {
        let (state, detail): (String, String?)
        switch breaker {
        case .closed: (state, detail) = ("closed", nil)
        case .open(let until): (state, detail) = ("open", "probing again at \(until.rfc3339)")
        case .halfOpen: (state, detail) = ("half_open", nil)
        case .paused(let reason): (state, detail) = ("paused", PersonalDataScanner().redacting(String(reason.prefix(300))))
        }
        self.init(instance: instance, destination: destination, state: state, detail: detail, reportedAt: reportedAt)
    }
}
