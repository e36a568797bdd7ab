import BridgeCore
import Foundation

/// The bundled source fixtures (`fixtures/sources/`), each signed the way its
/// sender signs (with the development secrets of `config/bridge.yaml`): for
/// the demo and the whole-pipeline tests.
public struct SourceFixture: Sendable {
    /// The configured source name it is posted to (`shop`, `stripe`, `woo`, `backend`).
    public let source: String
    /// Path under `fixtures/sources/`.
    public let file: String
    let headers: [(String, String)]

    /// The request headers for `body`, signed at `now` (Unix seconds).
    public func signedHeaders(body: [UInt8], now: Int64, secrets: FixtureSecrets = FixtureSecrets()) -> [(String, String)] {
        var headers = self.headers
        switch source {
        case "shop":
            let mac = SignatureSupport.hmacSHA256(key: Array(secrets.shopify.utf8), message: body)
            headers.append(("X-Shopify-Hmac-Sha256", SignatureSupport.base64(mac)))
        case "stripe":
            let mac = SignatureSupport.hmacSHA256(key: Array(secrets.stripe.utf8), message: Array("\(now).".utf8) + body)
            headers.append(("Stripe-Signature", "t=\(now),v1=\(SignatureSupport.hex(mac))"))
        case "woo":
            if !file.hasSuffix(".form") {
                let mac = SignatureSupport.hmacSHA256(key: Array(secrets.woocommerce.utf8), message: body)
                headers.append(("X-WC-Webhook-Signature", SignatureSupport.base64(mac)))
            }
        default:
            let id = "msg_demo_" + file.replacingOccurrences(of: ".json", with: "")
            let key = SignatureSupport.decodeBase64(String(secrets.standardWebhooks.dropFirst(6))) ?? []
            headers.append(("webhook-id", id))
            headers.append(("webhook-timestamp", String(now)))
            headers.append(("webhook-signature", StandardWebhooksSigner.sign(key: key, id: id, timestamp: now, body: body)))
        }
        return headers
    }

    static func shopify(_ file: String, topic: String, webhookID: String) -> SourceFixture {
        SourceFixture(
            source: "shop", file: "shopify/" + file,
            headers: [
                ("Content-Type", "application/json"), ("X-Shopify-Topic", topic),
                ("X-Shopify-Shop-Domain", "northwind-outfitters.myshopify.com"), ("X-Shopify-Webhook-Id", webhookID),
                ("X-Shopify-API-Version", "2026-01"),
            ])
    }

    static func stripe(_ file: String) -> SourceFixture {
        SourceFixture(source: "stripe", file: "stripe/" + file, headers: [("Content-Type", "application/json; charset=utf-8")])
    }

    static func woo(_ file: String, topic: String) -> SourceFixture {
        SourceFixture(
            source: "woo", file: "woocommerce/" + file,
            headers: [
                ("Content-Type", "application/json"), ("X-WC-Webhook-Topic", topic),
                ("X-WC-Webhook-Source", "https://shop.example.com/"),
            ])
    }

    static func backend(_ file: String) -> SourceFixture {
        SourceFixture(source: "backend", file: "standard-webhooks/" + file, headers: [("Content-Type", "application/json")])
    }

    /// Every bundled fixture, in an order that shows dedupe at work
    /// (orders/paid after orders/create, the payment intent after the session).
    public static let all: [SourceFixture] = [
        .shopify("orders-create.json", topic: "orders/create", webhookID: "wh-demo-1"),
        .shopify("orders-paid.json", topic: "orders/paid", webhookID: "wh-demo-2"),
        .shopify("refunds-create.json", topic: "refunds/create", webhookID: "wh-demo-3"),
        .shopify("orders-create-test.json", topic: "orders/create", webhookID: "wh-demo-4"),
        .shopify("orders-create-guest-pos.json", topic: "orders/create", webhookID: "wh-demo-5"),
        .stripe("checkout-session-completed.json"),
        .stripe("payment-intent-succeeded.json"),
        .stripe("charge-refunded.json"),
        .stripe("invoice-paid.json"),
        .stripe("checkout-session-completed-test.json"),
        .stripe("payment-intent-succeeded-guest.json"),
        .woo("order-created-processing.json", topic: "order.created"),
        .woo("order-updated-completed.json", topic: "order.updated"),
        .woo("order-updated-refund-partial.json", topic: "order.updated"),
        .woo("order-created-test-mode.json", topic: "order.created"),
        .woo("order-created-guest-email-only.json", topic: "order.created"),
        .woo("order-created-pending-payment.json", topic: "order.created"),
        SourceFixture(source: "woo", file: "woocommerce/ping.form", headers: [("Content-Type", "application/x-www-form-urlencoded")]),
        .backend("purchase.json"),
        .backend("refund.json"),
        .backend("purchase-test.json"),
        .backend("purchase-guest-no-identifiers.json"),
    ]
}

/// The development secrets of `config/bridge.yaml`.
public struct FixtureSecrets: Sendable {
    public init() {}

    public var shopify = "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"
    public var stripe = "whsec_N7kQ2vR8xT4mW9pL3sY6zB1cF5hJ0dG8"
    public var woocommerce = "dev-woocommerce-secret"
    public var standardWebhooks = "whsec_iq8V8DDGvRY0GdNy110G+bqXJv3hMq7xvkeY/JcD/+A="
}
