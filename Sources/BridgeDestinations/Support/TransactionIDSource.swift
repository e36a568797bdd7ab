import BridgeCore

/// What a platform's transaction / order id is taken from (the
/// `transaction_id` key of Google, Google Ads and GA4): the event id by
/// default (`docs/event-ids.md`: the browser pixel can send the same), or the
/// order id.
enum TransactionIDSource: String, Sendable, CaseIterable {
    case eventID = "event_id"
    case orderID = "order_id"

    /// The id for `event`: its order id with `.orderID` (the event id when it
    /// has none), else its event id.
    func value(for event: ConversionEvent) -> String {
        if self == .orderID, let order = event.orderID?.trimmingWhitespace(), !order.isEmpty { return order }
        return event.eventID
    }
}

extension SettingsReader {
    /// The `transaction_id` key: `event_id` (default) or `order_id`.
    mutating func transactionIDSource() throws(DestinationConfigError) -> TransactionIDSource {
        let text = try string("transaction_id") ?? TransactionIDSource.eventID.rawValue
        guard let source = TransactionIDSource(rawValue: text) else { throw invalid("transaction_id", "must be event_id or order_id") }
        return source
    }
}
