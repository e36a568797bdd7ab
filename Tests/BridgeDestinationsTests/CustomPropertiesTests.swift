import BridgeCore
import BridgeDestinations
import Testing

/// `custom_properties` reach the platforms that take custom parameters
/// (Meta `custom_data`, TikTok `properties`, GA4 event `params`, the webhook
/// destination) and no other; the bridge's own parameters always win.
@Suite("Custom properties in platform payloads")
struct CustomPropertiesTests {
    /// The fixture purchase with three custom properties, one of them named
    /// like a parameter the platforms set themselves (`value`).
    static func purchase() throws -> ConversionEvent {
        var event = try DestinationFixtures.purchase()
        event.customProperties = CustomProperties([
            "loyalty_tier": .string("gold"), "first_order": .bool(true), "basket_size": .number("3"), "value": .string("999"),
        ])
        return event
    }

    @Test("Meta: custom_data carries the custom properties after its own members (golden request)")
    func meta() throws {
        let meta = try DestinationFixtures.meta()
        let item = try DestinationFixtures.item(meta, try Self.purchase())
        let request = meta.makeRequest(items: [item], batchID: "batch-1", now: DestinationFixtures.sentAt)
        try GoldenFile.check(request.auditPayload, against: "meta-purchase-custom.json")
        let data = try #require(item["custom_data"])
        #expect(data["loyalty_tier"] == .string("gold"))
        #expect(data["first_order"] == .bool(true))
        #expect(data["basket_size"] == .number("3"))
        #expect(data["value"] == .number("129.90"), "the order's value wins over a custom property named value")
        #expect(try JSONParser.parse(request.body) == request.auditPayload)
    }

    @Test("TikTok: properties carries the custom properties (golden request)")
    func tiktok() throws {
        let tiktok = try TikTokFixtures.destination()
        let item = try DestinationFixtures.item(tiktok, try Self.purchase())
        let request = tiktok.makeRequest(items: [item], batchID: "batch-1", now: DestinationFixtures.sentAt)
        try GoldenFile.check(request.auditPayload, against: "tiktok-purchase-custom.json")
        let properties = try #require(item["properties"])
        #expect(properties["loyalty_tier"] == .string("gold"))
        #expect(properties["basket_size"] == .number("3"))
        #expect(properties["value"] == .number("129.90"))
    }

    @Test("GA4: event params carry the custom properties, within GA4's 25 parameters (golden request)")
    func ga4() throws {
        let ga4 = try GA4Fixtures.ga4()
        let item = try GA4Fixtures.item(ga4, try Self.purchase())
        let request = ga4.makeRequest(items: [item], batchID: "batch-1", now: DestinationFixtures.sentAt)
        try GoldenFile.check(request.auditPayload, against: "ga4-purchase-custom.json")
        let params = try #require(item["events"]?[0]?["params"])
        #expect(params["loyalty_tier"] == .string("gold"))
        #expect(params["value"] == .number("129.90"))
        // Given fifty custom properties, GA4 gets no more than 25 parameters in all
        var many = try DestinationFixtures.purchase()
        many.customProperties = CustomProperties(Dictionary(uniqueKeysWithValues: (0..<50).map { ("p\($0)", CustomValue.string("v")) }))
        let crowded = try GA4Fixtures.item(ga4, many)
        let count = try #require(crowded["events"]?[0]?["params"]?.objectValue?.count)
        #expect(count == 25)
    }

    @Test("the webhook destination forwards every custom property and the campaign attribution (golden request)")
    func webhook() throws {
        let webhook = try WebhookDestination(
            DestinationSettings(
                name: "hook", kind: "webhook",
                settings: ["url": .string("https://receiver.example.com/hooks"), "secret": .string(DestinationFixtures.webhookSecret)]))
        var event = try Self.purchase()
        event.attribution = CampaignAttribution([.source: "newsletter", .campaign: "spring-sale"])
        let item = try DestinationFixtures.item(webhook, event)
        let request = webhook.makeRequest(items: [item], batchID: "batch_01HZX", now: DestinationFixtures.sentAt)
        try GoldenFile.check(request.auditPayload, against: "webhook-purchase-custom.json")
        #expect(item["custom_properties"]?["value"] == .string("999"), "the webhook receiver gets the properties as they are")
        #expect(item["attribution"] == .object(["utm_source": .string("newsletter"), "utm_campaign": .string("spring-sale")]))
    }

    @Test("Snapchat, Pinterest, Reddit and LinkedIn never receive custom properties")
    func notForwarded() throws {
        let event = try Self.purchase()
        let destinations: [any Destination] = [
            try SnapFixtures.destination(), try PinterestFixtures.destination(), try RedditFixtures.destination(),
            try LinkedInDestination(LinkedInFixtures.settings()),
        ]
        for destination in destinations {
            let outcome = destination.makeItem(
                event, identifiers: DestinationFixtures.identifiers(event, for: destination.platform), consent: DestinationFixtures.granted,
                now: ItemTestSupport.farFuture)
            guard case .item(let item) = outcome else {
                Issue.record("\(destination.platform): expected an item")
                continue
            }
            let text = JSONWriter.string(item.json)
            #expect(!text.contains("loyalty_tier") && !text.contains("gold") && !text.contains("basket_size"), "\(destination.platform): \(text)")
        }
    }
}
