import BridgeCore

/// WooCommerce core order webhooks (`woocommerce.md`).
///
/// - `order.created` and `order.updated` give a Purchase when the order's
///   status is in the option `purchase_statuses` (default `processing`,
///   `completed`), and one Refund per `refunds[]` entry; an order with neither
///   (`pending`, `on-hold`, …) is ignored. See `WooCommerceMapping`.
/// - Other topics are verified and ignored; the unsigned activation ping
///   (`webhook_id=<digits>`) answers `.ping`.
///
/// Delivery key: `body:<sha256 hex of the raw body>`. The
/// `X-WC-Webhook-Delivery-ID` header is derived from the webhook id and the
/// current second, so two different deliveries can share it; it is not used.
public struct WooCommerceSource: WebhookSource {
    public let name: String
    let signature: WooCommerceSignature
    let purchaseStatuses: Set<String>

    public init(settings: SourceSettings) {
        self.name = settings.name
        self.signature = WooCommerceSignature(secrets: settings.secrets)
        self.purchaseStatuses = SourceMapping.option(
            "purchase_statuses", in: settings.options, default: ["processing", "completed"])
    }

    public func handle(_ request: WebhookRequest, now: Timestamp) throws(SourceError) -> WebhookOutcome {
        let verdict: WooCommerceSignature.Verdict
        do { verdict = try signature.verify(headers: request.headers, body: request.body) } catch { throw .signature(error) }
        if verdict == .ping { return .ping }
        guard let topic = request.headers["X-WC-Webhook-Topic"]?.trimmingWhitespace(), !topic.isEmpty else {
            throw .payload(.invalid(.root, "the X-WC-Webhook-Topic header is missing"))
        }
        guard topic == "order.created" || topic == "order.updated" else {
            return .ignored(reason: "topic \(SourceMapping.describe(topic)) is not a conversion")
        }
        let order = try SourceMapping.object(request.body)
        let mapping = WooCommerceMapping(source: name, now: now, purchaseStatuses: purchaseStatuses)
        return try mapping.outcome(order, deliveryKeys: ["body:" + SignatureSupport.sha256Hex(request.body)])
    }
}
