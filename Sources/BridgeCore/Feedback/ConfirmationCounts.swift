/// What became of one destination's deliveries after the platform's 200,
/// where the platform confirms asynchronously (Data Manager): sent
/// (acknowledged), still awaiting the status lookup, confirmed, rejected
/// later (rows the status counted as failed), and unconfirmed (no final
/// status before the age bound, or the lookup refused).
public struct ConfirmationCounts: Sendable, Equatable {
    /// Deliveries acknowledged by the platform (HTTP 2xx).
    public var sent = 0
    public var awaiting = 0
    public var confirmed = 0
    /// Rows the platform rejected after accepting the request: the dead
    /// letters of failed requests plus the counted rows of partly rejected ones.
    public var rejectedLater = 0
    /// Deliveries of partly rejected requests (which rows failed is not known).
    public var inPartlyRejectedRequests = 0
    public var unconfirmed = 0

    public init(sent: Int = 0, awaiting: Int = 0, confirmed: Int = 0, rejectedLater: Int = 0, inPartlyRejectedRequests: Int = 0, unconfirmed: Int = 0) {
        self.sent = sent
        self.awaiting = awaiting
        self.confirmed = confirmed
        self.rejectedLater = rejectedLater
        self.inPartlyRejectedRequests = inPartlyRejectedRequests
        self.unconfirmed = unconfirmed
    }

    /// `sent 5  confirmed 3  rejected later 2  awaiting 0  unconfirmed 0`.
    public var line: String {
        var text = "sent \(sent)  confirmed \(confirmed)  rejected later \(rejectedLater)  awaiting \(awaiting)  unconfirmed \(unconfirmed)"
        if inPartlyRejectedRequests > 0 { text += "  (in partly rejected requests \(inPartlyRejectedRequests))" }
        return text
    }
}

/// The state of a delivery after its 200 where the platform confirms later
/// (`deliveries.confirmation`; `nil` on rows of platforms that do not, and
/// on rows written before this column existed).
public enum DeliveryConfirmation: String, Sendable, CaseIterable {
    case awaiting
    case confirmed
    /// The platform rejected this row after accepting the request (a dead letter).
    case rejectedLater = "rejected_later"
    /// The row's request was partly rejected; which rows is not known.
    case partlyRejected = "partly_rejected"
    /// No final status before the age bound, or the lookup was refused.
    case unconfirmed
}
