import BridgeCore
import BridgeSources
import Foundation
import Testing

/// Every source adapter reads the campaign (`utm_*`) from where its sender
/// keeps the landing URL, and never keeps a value that looks personal.
@Suite("Campaign attribution read by every source adapter")
struct CampaignAttributionSourceTests {
    static func event(_ outcome: Result<WebhookOutcome, SourceError>) throws -> ConversionEvent {
        try #require(outcome.batch?.events.first?.event)
    }

    @Test("Shopify: landing_site's utm parameters")
    func shopify() throws {
        let event = try Self.event(run(Adapters.shopify(), Requests.shopify(try Fixtures.bytes("shopify/orders-create.json"), topic: "orders/create")))
        #expect(event.attribution == CampaignAttribution([.source: "facebook", .medium: "paid", .campaign: "spring_launch"]))
    }

    @Test("WooCommerce: the order-attribution meta, then the session entry's query")
    func wooCommerce() throws {
        let body = try Fixtures.bytes("woocommerce/order-created-processing.json")
        let event = try Self.event(run(Adapters.wooCommerce(), Requests.wooCommerce(body, topic: "order.created")))
        #expect(event.attribution == CampaignAttribution([.source: "facebook", .medium: "paid_social", .campaign: "fruehling"]))
    }

    @Test("Stripe: utm metadata keys; a value that looks like an e-mail address is left out")
    func stripe() throws {
        let original = try JSONParser.parse(try Fixtures.bytes("stripe/checkout-session-completed.json"))
        guard case .object(var root) = original, case .object(var data)? = root["data"], case .object(var object)? = data["object"],
            case .object(var metadata)? = object["metadata"]
        else {
            Issue.record("the fixture has data.object.metadata")
            return
        }
        metadata["utm_source"] = .string("google")
        metadata["utm_campaign"] = .string(" brand ")
        metadata["utm_content"] = .string("buyer@example.com")
        object["metadata"] = .object(metadata)
        data["object"] = .object(object)
        root["data"] = .object(data)
        let event = try Self.event(run(Adapters.stripe(), Requests.stripe(JSONWriter.bytes(.object(root)))))
        #expect(event.attribution == CampaignAttribution([.source: "google", .campaign: "brand"]))
    }

    @Test("canonical events: the attribution object first, then the landing URL's query fills the rest")
    func canonical() {
        var attribution = CampaignAttribution()
        attribution.fill(.campaign, with: "explicit")
        attribution.fill(fromURL: "https://shop.example/p?utm_campaign=from-url&utm_term=shoes&utm_source=&utm_medium=%2B49%20151%2023456789")
        #expect(attribution == CampaignAttribution([.campaign: "explicit", .term: "shoes"]))
    }
}
