import BridgeCore
import BridgeDestinations
import Testing

@Suite("Google Ads click conversion and request")
struct GoogleAdsPayloadTests {
    @Test("the fixture purchase renders as the golden request body")
    func goldenPurchase() throws {
        let ads = try GoogleFixtures.ads(["login_customer_id": .string("987-654-3210")])
        let item = try GoogleFixtures.item(ads, try DestinationFixtures.purchase())
        let request = ads.makeRequest(items: [item], batchID: "batch-1", now: DestinationFixtures.sentAt)
        try GoldenFile.check(request.auditPayload, against: "google_ads-purchase.json")
        #expect(try JSONParser.parse(request.body) == request.auditPayload)
        #expect(request.url == "https://googleads.googleapis.com/v26/customers/1234567890:uploadClickConversions")
        #expect(request.headers.contains(HeaderPair("developer-token", GoogleFixtures.developerToken)))
        #expect(request.headers.contains(HeaderPair("login-customer-id", "9876543210")))
        #expect(request.auditPayload["partialFailure"] == .bool(true))
        #expect(request.auditPayload["validateOnly"] == .bool(false))
    }

    @Test("fields: resource name, date-time with offset, value, currency, orderId, hashed e-mail and +phone, adUserData only")
    func fields() throws {
        let item = try GoogleFixtures.item(try GoogleFixtures.ads(), try DestinationFixtures.purchase())
        #expect(item["conversionAction"] == .string("customers/1234567890/conversionActions/555111222"))
        #expect(item["conversionDateTime"] == .string("2026-03-14 15:05:12+00:00"))
        #expect(item["conversionValue"] == .number("129.90"))
        #expect(item["currencyCode"] == .string("EUR"))
        #expect(item["orderId"] == .string("sale:acme-books:7K2M9Q"))
        #expect(
            item["userIdentifiers"]
                == .array([
                    .object(["userIdentifierSource": .string("FIRST_PARTY"), "hashedEmail": .string(GooglePayloadTests.emailDigest)]),
                    .object(["userIdentifierSource": .string("FIRST_PARTY"), "hashedPhoneNumber": .string(GooglePayloadTests.phoneDigest)]),
                ]))
        #expect(item["consent"] == .object(["adUserData": .string("GRANTED")]))
        for key in ["gclid", "gbraid", "wbraid", "cartData", "userIpAddress"] { #expect(item[key] == nil) }
        let text = JSONWriter.string(item)
        for raw in DestinationFixtures.rawIdentifiers { #expect(!text.contains(raw), "raw identifier leaked") }
    }

    @Test("milliseconds are dropped from the date-time")
    func wholeSeconds() throws {
        var event = try DestinationFixtures.purchase()
        event.eventTime = Timestamp(millisecondsSinceEpoch: event.eventTime.millisecondsSinceEpoch + 381)
        #expect(try GoogleFixtures.item(try GoogleFixtures.ads(), event)["conversionDateTime"] == .string("2026-03-14 15:05:12+00:00"))
    }

    @Test("exactly one click id: gclid, else gbraid, else wbraid", arguments: [
        ([ClickIDKind.gclid, .gbraid, .wbraid], "gclid"), ([.gbraid, .wbraid], "gbraid"), ([.wbraid], "wbraid"),
    ])
    func oneClickID(kinds: [ClickIDKind], expected: String) throws {
        var event = try DestinationFixtures.purchase()
        event.client = ClientContext(ipAddress: "203.0.113.7", userAgent: "Mozilla/5.0")
        for kind in kinds { event.client[clickID: kind] = PersonalData("id-\(kind.rawValue)") }
        let item = try GoogleFixtures.item(try GoogleFixtures.ads(), event)
        let present = ["gclid", "gbraid", "wbraid"].filter { item[$0] != nil }
        #expect(present == [expected])
        #expect(item[expected] == .string("id-\(expected)"))
        // The Ads API takes no IP or user agent for click conversions (allowlisted only).
        #expect(!JSONWriter.string(item).contains("203.0.113.7"))
    }

    @Test("consent: adUserData from the decision; never adPersonalization")
    func consent() throws {
        let ads = try GoogleFixtures.ads()
        let event = try DestinationFixtures.purchase()
        let denied = ConsentDecision(
            action: .sendLimited, reason: .gpcOptOut, limitedDataUse: LimitedDataUse(restrictedProcessing: true, adUserData: .denied))
        #expect(try GoogleFixtures.item(ads, event, consent: denied)["consent"] == .object(["adUserData": .string("DENIED")]))
        #expect(try GoogleFixtures.item(ads, event, consent: DestinationFixtures.granted)["consent"] == nil)
    }

    @Test("skips: suppressed, refunds, neither click id nor e-mail or phone")
    func skips() throws {
        let ads = try GoogleFixtures.ads()
        var event = try DestinationFixtures.purchase()
        #expect(GoogleFixtures.outcome(ads, event, consent: .suppress(.deniedConsentMode)) == .skip(reason: "consent_suppressed"))
        #expect(GoogleFixtures.outcome(ads, try DestinationFixtures.event("refund.json")) == .skip(reason: "refunds_not_supported"))
        // Names and an address alone are not accepted by click-conversion uploads.
        event.customer = CustomerIdentifiers([.firstName: "Noah", .lastName: "Schmidt", .country: "DE", .postalCode: "20095"])
        event.client = ClientContext(ipAddress: "203.0.113.7")
        #expect(GoogleFixtures.outcome(ads, event) == .skip(reason: "no_click_id_or_identifiers"))
        event.client[clickID: .gclid] = "Cj0KCQiA"
        guard case .item(let item) = GoogleFixtures.outcome(ads, event) else {
            Issue.record("a click id alone is enough")
            return
        }
        #expect(item["userIdentifiers"] == nil)
    }

    @Test("validate_only, api_version, transaction_id and limits come from the configuration")
    func configuration() throws {
        let ads = try GoogleFixtures.ads([
            "validate_only": .bool(true), "api_version": .string("v25"), "transaction_id": .string("order_id"),
            "max_events_per_request": .number("100"), "max_event_age_days": .number("60"), "base_url": .string("http://127.0.0.1:9/"),
        ])
        let item = try GoogleFixtures.item(ads, try DestinationFixtures.purchase())
        #expect(item["orderId"] == .string("7K2M9Q"))
        let request = ads.makeRequest(items: [item], batchID: "b", now: DestinationFixtures.sentAt)
        #expect(request.auditPayload["validateOnly"] == .bool(true))
        #expect(request.url == "http://127.0.0.1:9/v25/customers/1234567890:uploadClickConversions")
        #expect(ads.limits.maxEventsPerRequest == 100)
        #expect(ads.limits.maxEventAgeSeconds == 60 * 86_400)
        let defaults = try GoogleFixtures.ads().limits
        #expect(defaults.maxEventsPerRequest == 2000)
        #expect(defaults.maxEventAgeSeconds == 90 * 86_400)
        #expect(!request.headers.contains { $0.name == "login-customer-id" })
    }

    @Test("clear values: only the click id")
    func clearFields() throws {
        let ads = try GoogleFixtures.ads()
        var event = try DestinationFixtures.purchase()
        event.client[clickID: .gclid] = "Cj0KCQiA-secret-click"
        event.client[clickID: .wbraid] = "wb-1"
        let item = try #require(GoogleFixtures.outcome(ads, event).item)
        #expect(try item.encoded().clearSpans.map(\.value) == ["Cj0KCQiA-secret-click"])
        event.client[clickID: .gclid] = nil
        #expect(try #require(GoogleFixtures.outcome(ads, event).item).encoded().clearSpans.map(\.value) == ["wb-1"])
        event.client[clickID: .gclid] = "Cj0KCQiA-secret-click"
        let (request, audited) = try ads.audited(event)
        #expect(request.json["conversions"]?[0]?["gclid"] == .string("Cj0KCQiA-secret-click"))
        #expect(audited["conversions"]?[0]?["gclid"] == .string("hmac-sha256:21"))
        #expect(audited["conversions"]?[0]?["userIdentifiers"]?[0]?["hashedEmail"] == .string(GooglePayloadTests.emailDigest))
    }

    @Test("a conversion time later than the send time is sent as the send time")
    func futureClamped() throws {
        var event = try DestinationFixtures.purchase()
        event.eventTime = DestinationFixtures.sentAt.advanced(by: .seconds(120))
        let ads = try GoogleFixtures.ads()
        let request = ads.makeRequest(items: [try GoogleFixtures.item(ads, event, now: DestinationFixtures.sentAt)], batchID: "b", now: DestinationFixtures.sentAt)
        #expect(request.auditPayload["conversions"]?[0]?["conversionDateTime"] == .string("2026-03-14 16:00:00+00:00"))
    }

    @Test("the developer token and OAuth secrets never reach the audit URL, payload or description")
    func noCredentialsInAudit() throws {
        let ads = try GoogleFixtures.ads()
        let request = ads.makeRequest(items: [try GoogleFixtures.item(ads, try DestinationFixtures.purchase())], batchID: "b", now: DestinationFixtures.sentAt)
        for text in [request.auditURL, JSONWriter.string(request.auditPayload), "\(ads)", String(reflecting: ads)] {
            #expect(!text.contains(GoogleFixtures.developerToken))
            #expect(!text.contains(GoogleFixtures.clientSecret))
            #expect(!text.contains(GoogleFixtures.refreshToken))
        }
    }
}
