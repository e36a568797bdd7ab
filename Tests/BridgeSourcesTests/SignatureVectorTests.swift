import BridgeCore
import BridgeSources
import Testing

/// Every vector of `fixtures/sources/test-vectors.json`, through the signature
/// type and through the adapter: "accept" means no signature error.
@Suite("Signature test vectors")
struct SignatureVectorTests {
    @Test("the vector file holds every section")
    func counts() {
        #expect(SignatureVector.load("standard_webhooks").count == 17)
        #expect(SignatureVector.load("stripe").count == 15)
        #expect(SignatureVector.load("shopify").count == 8)
        #expect(SignatureVector.load("woocommerce").count == 8)
        #expect(SignedFixture.load().count == 21)
    }

    @Test("Standard Webhooks vectors", arguments: SignatureVector.load("standard_webhooks"))
    func standardWebhooks(_ vector: SignatureVector) throws {
        let signature = try #require(StandardWebhooksSignature(secrets: vector.secrets))
        let verified = Result { () throws(SignatureError) in
            try signature.verify(headers: vector.request.headers, body: vector.body, now: vector.now)
        }
        #expect(((try? verified.get()) != nil) == vector.expectAccept)
        let source = StandardWebhooksSource(settings: SourceSettings(name: "custom", secrets: vector.secrets))
        #expect(run(source, vector.request, now: vector.now).isSignatureError == !vector.expectAccept)
    }

    @Test("Stripe vectors", arguments: SignatureVector.load("stripe"))
    func stripe(_ vector: SignatureVector) {
        let signature = StripeSignature(secrets: vector.secrets)
        let verified = Result { () throws(SignatureError) in
            try signature.verify(headers: vector.request.headers, body: vector.body, now: vector.now)
        }
        #expect(((try? verified.get()) != nil) == vector.expectAccept)
        let source = StripeSource(settings: SourceSettings(name: "stripe-us", secrets: vector.secrets))
        let outcome = run(source, vector.request, now: vector.now)
        #expect(outcome.isSignatureError == !vector.expectAccept)
        if vector.expectAccept {
            #expect(outcome.batch?.events.first?.event.eventID == "sale:stripe-us:pi_3QvTestVec0rLkdIwHu7ix01")
        }
    }

    @Test("Shopify vectors", arguments: SignatureVector.load("shopify"))
    func shopify(_ vector: SignatureVector) {
        let signature = ShopifySignature(secrets: vector.secrets)
        let verified = Result { () throws(SignatureError) in try signature.verify(headers: vector.request.headers, body: vector.body) }
        #expect(((try? verified.get()) != nil) == vector.expectAccept)
        var headers = vector.request.headers
        headers.add("X-Shopify-Topic", "orders/paid")
        let source = ShopifySource(settings: SourceSettings(name: "shop", secrets: vector.secrets))
        let outcome = run(source, WebhookRequest(headers: headers, body: vector.body))
        #expect(outcome.isSignatureError == !vector.expectAccept)
        if vector.expectAccept {
            #expect(outcome.batch?.events.first?.event.eventID == "sale:shop:820982911946154508")
        }
    }

    @Test("WooCommerce vectors", arguments: SignatureVector.load("woocommerce"))
    func wooCommerce(_ vector: SignatureVector) {
        let signature = WooCommerceSignature(secrets: vector.secrets)
        let verified = Result { () throws(SignatureError) in try signature.verify(headers: vector.request.headers, body: vector.body) }
        #expect(((try? verified.get()) != nil) == vector.expectAccept)
        var headers = vector.request.headers
        headers.add("X-WC-Webhook-Topic", "order.created")
        let source = WooCommerceSource(settings: SourceSettings(name: "wc", secrets: vector.secrets))
        let outcome = run(source, WebhookRequest(headers: headers, body: vector.body))
        #expect(outcome.isSignatureError == !vector.expectAccept)
        if vector.expectAccept, vector.headers.isEmpty {
            #expect(outcome.isPing)
        } else if vector.expectAccept {
            #expect(outcome.batch?.events.first?.event.eventID == "sale:wc:4821")
        }
    }

    @Test("the WooCommerce ping needs the exact form body", arguments: ["webhook_id=", "webhook_id=27\n", "webhook_id=2x7", "{}", ""])
    func notAPing(_ body: String) {
        let source = WooCommerceSource(settings: SourceSettings(name: "wc", secrets: [Fixtures.Secret.wooCommerce]))
        let outcome = run(source, WebhookRequest(headers: HeaderFields(), body: Array(body.utf8)))
        #expect(outcome.error == .signature(.unsigned))
    }

    @Test("Stripe refuses a timestamp beyond the configured tolerance in either direction")
    func stripeTolerance() {
        let body = Array(#"{"id":"evt_1","type":"customer.created","data":{"object":{}}}"#.utf8)
        let source = Adapters.stripe(toleranceSeconds: 60)
        let request = Requests.stripe(body)
        #expect(run(source, request, now: Timestamp(secondsSinceEpoch: Fixtures.signedAt + 60)).ignoredReason != nil)
        #expect(
            run(source, request, now: Timestamp(secondsSinceEpoch: Fixtures.signedAt + 61)).error
                == .signature(.timestampOutsideTolerance(skewSeconds: 61, toleranceSeconds: 60)))
        #expect(
            run(source, request, now: Timestamp(secondsSinceEpoch: Fixtures.signedAt - 61)).error
                == .signature(.timestampOutsideTolerance(skewSeconds: -61, toleranceSeconds: 60)))
    }

    @Test("no configured secret verifies nothing")
    func noSecrets() {
        let body = Array("{}".utf8)
        let shopify = ShopifySource(settings: SourceSettings(name: "s", secrets: [""]))
        #expect(run(shopify, Requests.shopify(body, topic: "orders/paid")).error == .signature(.noSecretMatched(triedSecrets: 0)))
        let stripe = StripeSource(settings: SourceSettings(name: "s", secrets: []))
        #expect(run(stripe, Requests.stripe(body)).error == .signature(.noSecretMatched(triedSecrets: 0)))
    }

    @Test("a missing signature header names the header")
    func missingHeaders() {
        let body = Array("{}".utf8)
        #expect(
            run(Adapters.shopify(), WebhookRequest(headers: HeaderFields(), body: body)).error
                == .signature(.missingHeader("X-Shopify-Hmac-Sha256")))
        #expect(
            run(Adapters.stripe(), WebhookRequest(headers: HeaderFields(), body: body)).error
                == .signature(.missingHeader("Stripe-Signature")))
    }

    @Test("Shopify accepts the events-style header names")
    func shopifyEventsHeaders() throws {
        let body = try Fixtures.bytes("shopify/orders-paid.json")
        let request = WebhookRequest(
            headers: HeaderFields([
                ("shopify-hmac-sha256", ShopifySignature.sign(secret: Fixtures.Secret.shopify, body: body)),
                ("shopify-topic", "orders/paid"), ("shopify-shop-domain", Requests.shopDomain),
                ("shopify-webhook-id", "w-2"), ("shopify-event-id", "e-2"),
            ]),
            body: body)
        let batch = try #require(run(Adapters.shopify(), request).batch)
        #expect(batch.deliveryKeys == ["webhook:\(Requests.shopDomain):w-2", "shopify-event:\(Requests.shopDomain):e-2"])
    }
}
