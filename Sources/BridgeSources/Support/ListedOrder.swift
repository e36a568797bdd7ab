import BridgeCore

/// A paid order read from a source's own API for reconciliation: what the
/// comparison needs (`order`: ids, time, value; no personal data) and the
/// event its webhook would have produced (`event`, built by the same
/// adapter code as the webhook path, so the ids agree), which a backfill
/// stores. The event holds the buyer's identifiers: keep it in memory only.
public struct ListedOrder: Sendable {
    public let order: SourceOrder
    public let event: ConversionEvent

    public init(order: SourceOrder, event: ConversionEvent) {
        self.order = order
        self.event = event
    }

    /// Pairs `event` with its order: `orderID` is the sale id that follows
    /// `sale:<source>:` in the event id (Shopify's and WooCommerce's order id,
    /// Stripe's PaymentIntent, invoice or session id).
    init(event: ConversionEvent) {
        let prefix = "sale:\(event.source):"
        let saleID = event.eventID.hasPrefix(prefix) ? String(event.eventID.dropFirst(prefix.count)) : event.eventID
        self.init(
            order: SourceOrder(orderID: saleID, eventID: event.eventID, paidAt: event.eventTime, value: event.value, isTest: event.isTest),
            event: event)
    }
}
