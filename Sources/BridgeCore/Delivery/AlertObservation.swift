/// One reading of a destination's health, taken periodically by the
/// delivery service from its breaker and its store.
public struct AlertObservation: Sendable, Hashable {
    public var destination: String
    /// Why the destination is paused after an auth failure, or `nil`.
    public var authFailure: String?
    /// Whether the breaker is open or half-open.
    public var circuitOpen: Bool
    /// Events currently in the destination's dead-letter queue.
    public var deadLetters: Int
    /// When the oldest event still waiting for this destination became ready.
    public var oldestUndeliveredAt: Timestamp?
    /// Since when the destination's audit entries fail to be written, or `nil`.
    public var auditFailingSince: Timestamp?

    public init(
        destination: String, authFailure: String?, circuitOpen: Bool, deadLetters: Int, oldestUndeliveredAt: Timestamp?,
        auditFailingSince: Timestamp? = nil
    ) {
        self.auditFailingSince = auditFailingSince
        self.destination = destination
        self.authFailure = authFailure
        self.circuitOpen = circuitOpen
        self.deadLetters = deadLetters
        self.oldestUndeliveredAt = oldestUndeliveredAt
    }

    /// An observation whose auth and circuit parts come from a breaker status.
    public init(
        destination: String, breaker: CircuitBreaker.Status, deadLetters: Int, oldestUndeliveredAt: Timestamp?, auditFailingSince: Timestamp? = nil
    ) {
        var authFailure: String?
        var circuitOpen = false
        switch breaker {
        case .closed: break
        case .open, .halfOpen: circuitOpen = true
        case .paused(let reason): authFailure = reason
        }
        self.init(
            destination: destination, authFailure: authFailure, circuitOpen: circuitOpen, deadLetters: deadLetters,
            oldestUndeliveredAt: oldestUndeliveredAt, auditFailingSince: auditFailingSince)
    }
}
