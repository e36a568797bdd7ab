import BridgeCore
import BridgeSources
import Testing

/// Every shared fixture, signed with the headers published in the `fixtures`
/// section of `test-vectors.json`, verifies and maps without error.
@Suite("Signed fixtures")
struct FixtureSignatureTests {
    @Test("every fixture verifies with its published signature and maps", arguments: SignedFixture.load())
    func verifiesAndMaps(_ fixture: SignedFixture) throws {
        let body = try Fixtures.bytes(fixture.path)
        var headers = HeaderFields(fixture.headers.map { ($0.key, $0.value) })
        let source: any WebhookSource
        let settings = SourceSettings(name: "fx", secrets: [fixture.secret])
        switch fixture.source {
        case "shopify":
            headers.add("X-Shopify-Topic", Self.shopifyTopic(fixture.path))
            headers.add("X-Shopify-Webhook-Id", "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043")
            source = ShopifySource(settings: settings)
        case "stripe":
            source = StripeSource(settings: settings)
        case "woocommerce":
            headers.add("X-WC-Webhook-Topic", fixture.path.contains("order-updated") ? "order.updated" : "order.created")
            source = WooCommerceSource(settings: settings)
        default:
            source = StandardWebhooksSource(settings: settings)
        }
        let outcome = run(source, WebhookRequest(headers: headers, body: body), now: Timestamp(secondsSinceEpoch: fixture.verifyAt))
        #expect(outcome.error == nil, "\(String(describing: outcome.error))")
        if fixture.path.hasSuffix("pending-payment.json") {
            #expect(outcome.ignoredReason != nil)
        } else {
            let batch = try #require(outcome.batch)
            #expect(!batch.events.isEmpty)
            #expect(!batch.deliveryKeys.isEmpty)
            for event in batch.events { expectCanonical(event.event) }
        }
    }

    @Test("a fixture edited by one byte no longer verifies", arguments: SignedFixture.load().filter { $0.source != "standard-webhooks" })
    func tamperedFixture(_ fixture: SignedFixture) throws {
        var body = try Fixtures.bytes(fixture.path)
        body.append(UInt8(ascii: " "))
        let settings = SourceSettings(name: "fx", secrets: [fixture.secret])
        let headers = HeaderFields(fixture.headers.map { ($0.key, $0.value) })
        let source: any WebhookSource =
            switch fixture.source {
            case "shopify": ShopifySource(settings: settings)
            case "stripe": StripeSource(settings: settings)
            default: WooCommerceSource(settings: settings)
            }
        let outcome = run(source, WebhookRequest(headers: headers, body: body), now: Timestamp(secondsSinceEpoch: fixture.verifyAt))
        #expect(outcome.error == .signature(.noSecretMatched(triedSecrets: 1)))
    }

    static func shopifyTopic(_ path: String) -> String {
        if path.contains("orders-paid") { return "orders/paid" }
        if path.contains("refunds-create") { return "refunds/create" }
        return "orders/create"
    }
}
