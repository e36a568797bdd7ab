import BridgeCore

/// Shopify order and refund webhooks (`shopify.md`).
///
/// - `orders/create` counts when `financial_status` is in the option
///   `count_financial_statuses` (default `paid`, `partially_paid`);
///   `orders/paid` always. Both give the same event id, `sale:<source>:<order
///   id>`, so the sale is counted once. A cancelled or voided order never counts.
/// - `refunds/create` gives a Refund, `refund:<source>:<order id>:<refund id>`.
/// - The mandatory compliance topics `customers/redact`, `shop/redact` and
///   `customers/data_request` give a `PrivacyRequest` (`ShopifyPrivacyMapping`).
/// - Any other topic is verified and ignored.
///
/// Delivery keys: `webhook:<shop domain>:<webhook id>` and
/// `shopify-event:<shop domain>:<event id>` when those headers are present
/// (classic `X-Shopify-*` or events-style `shopify-*` names).
public struct ShopifySource: WebhookSource {
    public let name: String
    let signature: ShopifySignature
    /// `financial_status` values for which `orders/create` is a purchase.
    let countFinancialStatuses: Set<String>

    public init(settings: SourceSettings) {
        self.name = settings.name
        self.signature = ShopifySignature(secrets: settings.secrets)
        self.countFinancialStatuses = SourceMapping.option(
            "count_financial_statuses", in: settings.options, default: ["paid", "partially_paid"])
    }

    public func handle(_ request: WebhookRequest, now: Timestamp) throws(SourceError) -> WebhookOutcome {
        do { try signature.verify(headers: request.headers, body: request.body) } catch { throw .signature(error) }
        let headers = ShopifyHeaders(request.headers)
        guard headers.declaresJSON else {
            throw .payload(.invalid(.root, "the body must be JSON; set the webhook's format to JSON"))
        }
        guard let topic = headers.topic else {
            throw .payload(.invalid(.root, "the X-Shopify-Topic header is missing"))
        }
        let mapping = ShopifyMapping(source: name, now: now)
        switch topic {
        case "orders/create", "orders/paid":
            let order = try SourceMapping.object(request.body)
            if let reason = reasonNotToCount(order, topic: topic) { return .ignored(reason: reason) }
            let event = try mapping.purchase(order)
            return .accepted(IngestBatch(events: [IngestEvent(event: event)], deliveryKeys: headers.deliveryKeys))
        case "customers/redact", "shop/redact", "customers/data_request":
            let payload = try SourceMapping.object(request.body)
            return .privacy(try ShopifyPrivacyMapping.request(topic: topic, payload: payload, shopDomain: headers.shopDomain))
        case "refunds/create":
            let refund = try SourceMapping.object(request.body)
            guard let event = try mapping.refund(refund) else {
                return .ignored(reason: "the refund has no successful refund transaction")
            }
            return .accepted(IngestBatch(events: [IngestEvent(event: event)], deliveryKeys: headers.deliveryKeys))
        default:
            return .ignored(reason: "topic \(SourceMapping.describe(topic)) is not a conversion")
        }
    }

    /// Why an order webhook is not a purchase, or `nil` when it is one.
    func reasonNotToCount(_ order: JSONValue, topic: String) -> String? {
        if let cancelled = order["cancelled_at"], !cancelled.isNull, cancelled.stringValue?.trimmingWhitespace().isEmpty != true {
            return "the order is cancelled"
        }
        let status = order["financial_status"]?.stringValue
        if status == "voided" { return "the order is voided" }
        if topic == "orders/create", !countFinancialStatuses.contains(status ?? "") {
            let shown = status.map(SourceMapping.describe) ?? "(none)"
            return "orders/create with financial_status \(shown) is not counted"
        }
        return nil
    }
}

/// The Shopify headers the adapter reads, under either naming scheme.
struct ShopifyHeaders {
    let headers: HeaderFields

    init(_ headers: HeaderFields) { self.headers = headers }

    /// The events-style `shopify-<name>` value, else the classic `X-Shopify-<name>`.
    func value(_ name: String) -> String? {
        headers["shopify-" + name] ?? headers["x-shopify-" + name]
    }

    var topic: String? {
        guard let topic = value("topic")?.trimmingWhitespace(), !topic.isEmpty else { return nil }
        return topic
    }

    /// The shop's `*.myshopify.com` domain, lower-cased; `-` when absent.
    var shopDomain: String { SourceMapping.headerToken(value("shop-domain"))?.lowercased() ?? "-" }

    var deliveryKeys: [String] {
        var keys: [String] = []
        if let id = SourceMapping.headerToken(value("webhook-id")) { keys.append("webhook:\(shopDomain):\(id)") }
        if let id = SourceMapping.headerToken(value("event-id")) { keys.append("shopify-event:\(shopDomain):\(id)") }
        return keys
    }

    /// False when a `Content-Type` names something other than JSON (a shop
    /// webhook set to XML in the admin).
    var declaresJSON: Bool {
        guard let contentType = headers["content-type"] else { return true }
        let mediaType = (contentType.split(separator: ";").first.map(String.init) ?? "").trimmingWhitespace().lowercased()
        return mediaType.isEmpty || mediaType == "application/json" || mediaType == "text/json" || mediaType.hasSuffix("+json")
    }
}
