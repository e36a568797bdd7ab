import BridgeCore
import BridgeSources

/// Where a reconciliation reads the source of truth: a shop's or payment
/// provider's own API, or a backend's export. Implementations:
/// `ShopifyOrdersClient`, `StripeListClient`, `WooCommerceOrdersClient`,
/// `OrdersEndpointClient`, `OrderFileSource`.
public protocol OrderSource: Sendable {
    /// What it reads, for reports (`shopify`, `stripe`, `woocommerce`, `orders-endpoint`, `orders-file`).
    var description: String { get }
    /// Whether its orders carry what the event needs (the buyer's details),
    /// so a missing order can be backfilled. A backend's export does not.
    var canBackfill: Bool { get }
    /// Custom backends are joined on the events' `order_id`.
    var joinsOnOrderID: Bool { get }

    /// The paid orders in `[since, until)`.
    /// - Throws: `SourceClientError` when the source cannot be read to the end
    ///   (a partial list would report paid orders as missing).
    func orders(since: Timestamp, until: Timestamp) async throws(SourceClientError) -> FetchedOrders
}

/// What a source listed: the orders, the events their webhooks would have
/// produced (for a backfill; they hold personal data, in memory only), and
/// the orders that could not be read.
public struct FetchedOrders: Sendable {
    public var orders: [SourceOrder]
    /// By event id.
    public var events: [String: ConversionEvent]
    /// Orders in the answer that could not be mapped, with why (no values).
    public var unreadable: [BackfillSummary.Failure]

    public init(orders: [SourceOrder] = [], events: [String: ConversionEvent] = [:], unreadable: [BackfillSummary.Failure] = []) {
        self.orders = orders
        self.events = events
        self.unreadable = unreadable
    }

    /// Adds a listed order; one already there (the same sale listed twice,
    /// a Checkout Session and its PaymentIntent) keeps the first.
    mutating func add(_ listed: ListedOrder) {
        guard let id = listed.order.eventID, events[id] == nil else { return }
        events[id] = listed.event
        orders.append(listed.order)
    }
}
