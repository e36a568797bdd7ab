import BridgeCore

/// WooCommerce's REST `GET /wp-json/wc/v3/orders`, for reconciliation: the
/// query of one page, and the mapping of one listed order (the same resource
/// the `order.*` webhooks carry) by the webhook's own code
/// (`WooCommerceMapping`), so the event id (`sale:<source>:<order id>`) agrees.
///
/// Counted: orders whose `status` is one of the source's `purchase_statuses`
/// (default `processing`, `completed`), the same option the webhook path reads.
public enum WooCommerceOrderListing {
    /// Orders per page (WooCommerce's maximum).
    public static let pageSize = 100

    /// The statuses asked for: the source's `purchase_statuses`.
    public static func statuses(_ settings: SourceSettings) -> [String] {
        WooCommerceSource(settings: settings).purchaseStatuses.sorted()
    }

    /// The query of page `page` (1-based): orders created in `[since, until)`
    /// (GMT dates), with the counted statuses.
    public static func query(since: Timestamp, until: Timestamp, page: Int, settings: SourceSettings) -> [(String, String)] {
        [
            ("after", since.rfc3339), ("before", until.rfc3339), ("dates_are_gmt", "true"),
            ("status", statuses(settings).joined(separator: ",")), ("orderby", "date"), ("order", "asc"),
            ("page", String(page)), ("per_page", String(pageSize)),
        ]
    }

    /// The sale one listed order stands for, or `nil` when its status is not counted.
    /// - Throws: `SourceError.payload` naming the member when the order is malformed.
    public static func order(_ json: JSONValue, settings: SourceSettings, now: Timestamp) throws(SourceError) -> ListedOrder? {
        guard case .object = json else { throw SourceMapping.invalid(.root, "a listed order must be an object") }
        let source = WooCommerceSource(settings: settings)
        guard let status = json["status"]?.stringValue, source.purchaseStatuses.contains(status) else { return nil }
        let mapping = WooCommerceMapping(source: settings.name, now: now, purchaseStatuses: source.purchaseStatuses)
        guard case .accepted(let batch) = try mapping.outcome(json, deliveryKeys: []),
            let event = batch.events.first(where: { $0.event.eventName == .purchase })?.event
        else { return nil }
        return ListedOrder(event: event)
    }
}
