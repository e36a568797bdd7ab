/// A purchase event the bridge holds, with each destination's outcome, as
/// the store reports it for a reconciliation (no personal data).
public struct ReconciliationEvent: Sendable, Equatable {
    public var eventID: String
    /// The merchant's order id carried by the event, if any (custom backends
    /// are joined on it).
    public var orderID: String?
    public var eventTime: Timestamp
    public var value: Money?
    public var isTest: Bool
    /// Whether the prepare stage has made its deliveries yet.
    public var prepared: Bool
    /// The reconciliation run that backfilled it, when it was backfilled.
    public var backfillRun: String?
    /// One entry per destination the event was prepared for.
    public var deliveries: [ReconciliationDelivery]

    public init(
        eventID: String, orderID: String?, eventTime: Timestamp, value: Money?, isTest: Bool = false, prepared: Bool,
        backfillRun: String? = nil, deliveries: [ReconciliationDelivery]
    ) {
        self.eventID = eventID
        self.orderID = orderID
        self.eventTime = eventTime
        self.value = value
        self.isTest = isTest
        self.prepared = prepared
        self.backfillRun = backfillRun
        self.deliveries = deliveries
    }
}

/// What became of an event at one destination.
public struct ReconciliationDelivery: Sendable, Equatable {
    public var destination: String
    public var outcome: ReconciliationOutcome
    /// The consent reason, skip reason or dead-letter code; `nil` when delivered.
    public var reason: String?

    public init(destination: String, outcome: ReconciliationOutcome, reason: String? = nil) {
        self.destination = destination
        self.outcome = outcome
        self.reason = reason
    }
}

/// The outcome of one order at one destination, as the report counts it.
public enum ReconciliationOutcome: String, Sendable, CaseIterable, Comparable {
    /// The platform acknowledged it.
    case delivered
    /// Consent forbade sending it: expected.
    case suppressed
    /// The destination does not take it (a test order, no usable identifier,
    /// an event the platform would refuse): expected.
    case skipped
    /// Waiting to be prepared or (re)sent.
    case pending
    /// Given up, with a dead-letter code.
    case deadLetter = "dead_letter"
    /// Prepared before this destination was configured: never routed to it.
    case notRouted = "not_routed"

    /// Suppressed by consent and skipped by policy are not losses.
    public var isExpected: Bool { self == .suppressed || self == .skipped }
    /// Delivered, or not sent on purpose.
    public var isSettled: Bool { self == .delivered || isExpected }

    public static func < (lhs: ReconciliationOutcome, rhs: ReconciliationOutcome) -> Bool {
        allCases.firstIndex(of: lhs) ?? 0 < allCases.firstIndex(of: rhs) ?? 0
    }

    /// The reason recorded for a not-yet-prepared event.
    public static let awaitingPreparation = "awaiting_preparation"
}
