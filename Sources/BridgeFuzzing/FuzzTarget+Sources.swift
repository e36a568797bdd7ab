import BridgeCore
import BridgeSources

extension FuzzTarget {
    /// The secrets the source targets sign with (fuzzing only).
    enum Secret {
        static let shopify = "shpss_fuzz0000000000000000000000000000"
        static let stripe = "whsec_fuzzStripeSecret000000000000"
        static let wooCommerce = "fuzz-woocommerce-secret"
        static let standardWebhooks = "whsec_iq8V8DDGvRY0GdNy110G+bqXJv3hMq7xvkeY/JcD/+A="
    }

    /// Every input is signed at this time and handled five seconds later.
    static let signedAt: Int64 = 1_767_268_800
    static let now = Timestamp(secondsSinceEpoch: signedAt + 5)

    static let shopifyTopics = [
        "orders/create", "orders/paid", "orders/updated", "refunds/create", "customers/redact", "shop/redact", "customers/data_request",
        "orders/cancelled",
    ]
    static let wooCommerceTopics = ["order.created", "order.updated", "order.deleted", "order.restored", "action.woocommerce_order_refunded"]

    /// The topic picked by the first byte, and the body after it.
    static func split(_ bytes: [UInt8], topics: [String]) -> (topic: String, body: [UInt8]) {
        guard let first = bytes.first else { return (topics[0], []) }
        return (topics[Int(first) % topics.count], Array(bytes.dropFirst()))
    }

    func source(_ bytes: [UInt8]) {
        let settings: SourceSettings
        let request: WebhookRequest
        let adapter: any WebhookSource
        switch self {
        case .shopify:
            let (topic, body) = Self.split(bytes, topics: Self.shopifyTopics)
            settings = SourceSettings(name: "fuzz-shop", secrets: [Secret.shopify])
            adapter = ShopifySource(settings: settings)
            request = WebhookRequest(
                headers: HeaderFields([
                    ("X-Shopify-Hmac-Sha256", ShopifySignature.sign(secret: Secret.shopify, body: body)), ("X-Shopify-Topic", topic),
                    ("X-Shopify-Shop-Domain", "fuzz.myshopify.com"), ("X-Shopify-Webhook-Id", "fuzz-webhook"),
                ]), body: body)
        case .stripe:
            settings = SourceSettings(name: "fuzz-stripe", secrets: [Secret.stripe])
            adapter = StripeSource(settings: settings)
            let header = StripeSignature.sign(secrets: [Secret.stripe], timestamp: Self.signedAt, body: bytes)
            request = WebhookRequest(headers: HeaderFields([("Stripe-Signature", header)]), body: bytes)
        case .woocommerce:
            let (topic, body) = Self.split(bytes, topics: Self.wooCommerceTopics)
            settings = SourceSettings(name: "fuzz-woo", secrets: [Secret.wooCommerce])
            adapter = WooCommerceSource(settings: settings)
            request = WebhookRequest(
                headers: HeaderFields([
                    ("X-WC-Webhook-Signature", WooCommerceSignature.sign(secret: Secret.wooCommerce, body: body)), ("X-WC-Webhook-Topic", topic),
                    ("X-WC-Webhook-Resource", "order"), ("X-WC-Webhook-Delivery-ID", "fuzz-delivery"),
                ]), body: body)
        default:
            settings = SourceSettings(name: "fuzz-backend", secrets: [Secret.standardWebhooks])
            adapter = StandardWebhooksSource(settings: settings)
            let signature = StandardWebhooksSigner.sign(key: Self.standardWebhooksKey, id: "msg_fuzz", timestamp: Self.signedAt, body: bytes)
            request = WebhookRequest(
                headers: HeaderFields([
                    ("webhook-id", "msg_fuzz"), ("webhook-timestamp", String(Self.signedAt)), ("webhook-signature", signature),
                ]), body: bytes)
        }
        do {
            _ = try adapter.handle(request, now: Self.now)
        } catch {
            // The input was signed: a signature error means the harness, not the adapter, is wrong.
            if case .signature = error { preconditionFailure("\(self.rawValue): a correctly signed input failed verification") }
        }
    }

    /// The key inside `Secret.standardWebhooks` (base64 after `whsec_`).
    static let standardWebhooksKey: [UInt8] = SignatureSupport.decodeBase64(String(Secret.standardWebhooks.dropFirst(6))) ?? []
}
