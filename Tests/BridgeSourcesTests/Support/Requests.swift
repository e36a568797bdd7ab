import BridgeCore
import BridgeSources
import Testing

/// Adapters configured as in the fixtures, and signed requests for them.
enum Adapters {
    static func shopify(options: [String: [String]] = [:]) -> ShopifySource {
        ShopifySource(settings: SourceSettings(name: "shop-us", secrets: [Fixtures.Secret.shopify], options: options))
    }

    static func stripe(toleranceSeconds: Int64 = 300) -> StripeSource {
        StripeSource(settings: SourceSettings(name: "stripe-us", secrets: [Fixtures.Secret.stripe], toleranceSeconds: toleranceSeconds))
    }

    static func wooCommerce(options: [String: [String]] = [:]) -> WooCommerceSource {
        WooCommerceSource(settings: SourceSettings(name: "shop-de", secrets: [Fixtures.Secret.wooCommerce], options: options))
    }
}

/// Requests signed with the fixtures' secrets, carrying the headers each
/// sender adds.
enum Requests {
    static let shopDomain = "northwind-outfitters.myshopify.com"

    static func shopify(
        _ body: [UInt8], topic: String, webhookID: String? = "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043",
        eventID: String? = "98880550-7158-44d4-b7cd-2c97c8a091b5", extra: [(String, String)] = []
    ) -> WebhookRequest {
        var pairs: [(String, String)] = [
            ("X-Shopify-Hmac-Sha256", ShopifySignature.sign(secret: Fixtures.Secret.shopify, body: body)),
            ("X-Shopify-Topic", topic),
            ("X-Shopify-Shop-Domain", shopDomain),
            ("X-Shopify-API-Version", "2026-01"),
            ("Content-Type", "application/json"),
        ]
        if let webhookID { pairs.append(("X-Shopify-Webhook-Id", webhookID)) }
        if let eventID { pairs.append(("X-Shopify-Event-Id", eventID)) }
        return WebhookRequest(headers: HeaderFields(pairs + extra), body: body)
    }

    static func stripe(_ body: [UInt8], signedAt: Int64 = Fixtures.signedAt) -> WebhookRequest {
        let header = StripeSignature.sign(secrets: [Fixtures.Secret.stripe], timestamp: signedAt, body: body)
        return WebhookRequest(headers: HeaderFields([("Stripe-Signature", header)]), body: body)
    }

    static func wooCommerce(_ body: [UInt8], topic: String) -> WebhookRequest {
        let event = String(topic.split(separator: ".").last ?? "")
        return WebhookRequest(
            headers: HeaderFields([
                ("X-WC-Webhook-Signature", WooCommerceSignature.sign(secret: Fixtures.Secret.wooCommerce, body: body)),
                ("X-WC-Webhook-Topic", topic),
                ("X-WC-Webhook-Resource", "order"),
                ("X-WC-Webhook-Event", event),
                ("X-WC-Webhook-Source", "https://shop.example.com/"),
                ("X-WC-Webhook-Delivery-ID", "0f6b7a3c9e2d4b1a8c5e7f9d0a2b4c6e"),
            ]),
            body: body)
    }
}

/// Runs `handle`, turning its typed error into a value.
func run(_ source: some WebhookSource, _ request: WebhookRequest, now: Timestamp = Fixtures.now) -> Result<WebhookOutcome, SourceError> {
    Result { () throws(SourceError) -> WebhookOutcome in try source.handle(request, now: now) }
}

extension Result where Success == WebhookOutcome, Failure == SourceError {
    /// The accepted batch, or `nil`.
    var batch: IngestBatch? {
        if case .success(.accepted(let batch)) = self { return batch }
        return nil
    }

    /// The reason of an ignored delivery, or `nil`.
    var ignoredReason: String? {
        if case .success(.ignored(let reason)) = self { return reason }
        return nil
    }

    var isPing: Bool {
        if case .success(.ping) = self { return true }
        return false
    }

    /// The error, or `nil`.
    var error: SourceError? {
        if case .failure(let error) = self { return error }
        return nil
    }

    /// True when the signature was refused.
    var isSignatureError: Bool {
        if case .failure(.signature) = self { return true }
        return false
    }

    /// True when the payload was refused after a valid signature.
    var isPayloadError: Bool {
        if case .failure(.payload) = self { return true }
        return false
    }
}

/// Expects `event` to pass the server's canonical check (schema plus the
/// currency rules), as every ingested event must, and to survive the round
/// trip through its canonical JSON unchanged.
func expectCanonical(_ event: ConversionEvent, sourceLocation: SourceLocation = #_sourceLocation) {
    do {
        let decoded = try ConversionEvent.decode(
            canonical: event.canonicalJSON(), source: event.source, schema: CanonicalEventSchema.compiled)
        #expect(decoded == event, "event \(event.eventID) changes through its canonical JSON", sourceLocation: sourceLocation)
    } catch {
        Issue.record("event \(event.eventID) is not canonical: \(error)", sourceLocation: sourceLocation)
    }
}
