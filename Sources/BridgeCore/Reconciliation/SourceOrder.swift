/// One sale as the source of truth lists it (Shopify, Stripe, WooCommerce
/// or a backend's own export), reduced to what reconciliation compares. No
/// personal data: the buyer's details stay in the `ConversionEvent` a
/// backfill is built from, which is never stored with a reconciliation.
public struct SourceOrder: Sendable, Equatable {
    /// The source's id of the sale (Shopify's numeric order id, Stripe's sale
    /// id, WooCommerce's order id, a backend's `order_id`).
    public var orderID: String
    /// The id of the event its webhook would have produced (`sale:<source>:<id>`,
    /// from the same adapter code), or `nil` for custom backends, which are
    /// joined on the event's `order_id` instead.
    public var eventID: String?
    /// When it was paid (Shopify `processedAt`, Stripe `created`, WooCommerce
    /// `date_paid_gmt`, a backend's `paid_at`).
    public var paidAt: Timestamp
    /// Its value and currency, as the source states it now.
    public var value: Money?
    /// A test order (Shopify `test`, Stripe `livemode: false`, WooPayments test mode).
    public var isTest: Bool

    public init(orderID: String, eventID: String? = nil, paidAt: Timestamp, value: Money?, isTest: Bool = false) {
        self.orderID = orderID
        self.eventID = eventID
        self.paidAt = paidAt
        self.value = value
        self.isTest = isTest
    }

    /// The key it is joined on: the event id when it has one, else the order id.
    public var joinKey: String { eventID ?? orderID }
}
