import BridgeCore
import BridgeDestinations
import Testing

@Suite("Reddit item and request")
struct RedditPayloadTests {
    @Test("the fixture purchase renders as the golden request body")
    func goldenPurchase() throws {
        let reddit = try RedditFixtures.destination()
        let item = try DestinationFixtures.item(reddit, try DestinationFixtures.purchase())
        let request = reddit.makeRequest(items: [item], batchID: "batch-1", now: DestinationFixtures.sentAt)
        try GoldenFile.check(request.auditPayload, against: "reddit-purchase.json")
        #expect(try JSONParser.parse(request.body) == request.auditPayload)
    }

    @Test("POST /api/v3/pixels/{pixel}/conversion_events with a bearer token and our own user agent; no token in audit output")
    func request() throws {
        let reddit = try RedditFixtures.destination()
        let item = try DestinationFixtures.item(reddit, try DestinationFixtures.purchase())
        let request = reddit.makeRequest(items: [item], batchID: "b", now: DestinationFixtures.sentAt)
        #expect(request.method == "POST")
        #expect(request.url == "https://ads-api.reddit.com/api/v3/pixels/t2_abc123/conversion_events")
        #expect(request.auditURL == request.url)
        #expect(request.headers.contains(HeaderPair("authorization", "Bearer " + RedditFixtures.token)))
        #expect(request.headers.contains(HeaderPair("user-agent", RedditDestination.userAgent)))
        #expect(request.auditPayload["data"]?["events"]?.arrayValue?.count == 1)
        #expect(request.auditPayload["data"]?["test_id"] == nil)
        for text in [JSONWriter.string(request.auditPayload), request.auditURL, String(decoding: request.body, as: UTF8.self), "\(reddit)", String(reflecting: reddit)] {
            #expect(!text.contains(RedditFixtures.token), "token leaked")
        }
    }

    @Test("test_id and partner go into data; base_url is honoured")
    func testMode() throws {
        let reddit = try RedditFixtures.destination([
            "test_id": .string("t2_testevents"), "partner": .string("CAPIBRIDGE"), "base_url": .string("http://127.0.0.1:8099/"),
        ])
        let request = reddit.makeRequest(items: [], batchID: "b", now: DestinationFixtures.sentAt)
        #expect(request.url == "http://127.0.0.1:8099/api/v3/pixels/t2_abc123/conversion_events")
        #expect(request.auditPayload["data"]?["test_id"] == .string("t2_testevents"))
        #expect(request.auditPayload["data"]?["partner"] == .string("CAPIBRIDGE"))
    }

    @Test("event fields: event_at in milliseconds, WEBSITE, PURCHASE, conversion_id = event id unhashed")
    func eventFields() throws {
        let item = try DestinationFixtures.item(try RedditFixtures.destination(), try DestinationFixtures.purchase())
        #expect(item["event_at"] == .number("1773500712000"), "milliseconds")
        #expect(item["action_source"] == .string("WEBSITE"))
        #expect(item["type"] == .object(["tracking_type": .string("PURCHASE")]))
        #expect(item["metadata"]?["conversion_id"] == .string("sale:acme-books:7K2M9Q"))
        #expect(item["event_source_url"]?.stringValue?.hasPrefix("https://books.example.de/") == true)
    }

    @Test("user: Reddit-canonical e-mail, +E.164 phone, external id and IP hashed; user agent clear")
    func user() throws {
        let item = try DestinationFixtures.item(try RedditFixtures.destination(), try DestinationFixtures.purchase())
        let user = try #require(item["user"]?.objectValue)
        #expect(user["email"] == .string(IdentifierHasher.sha256Hex("noahschmidt@example.de")))
        #expect(user["phone_number"] == .string(IdentifierHasher.sha256Hex("+4917612345678")))
        #expect(user["external_id"] == .string(IdentifierHasher.sha256Hex("cust_10442")))
        #expect(user["ip_address"] == .string(IdentifierHasher.sha256Hex("198.51.100.61")), "Reddit rules hash the IP")
        #expect(user["user_agent"]?.stringValue?.hasPrefix("Mozilla/5.0") == true)
        #expect(user["data_processing_options"] == nil)
        let text = JSONWriter.string(item)
        for raw in DestinationFixtures.rawIdentifiers + ["198.51.100.61"] { #expect(!text.contains(raw), "raw identifier leaked") }
    }

    @Test("the shared vectors: John.Doe+tag@GMail.com and +1 (650) 555-1234")
    func vectors() throws {
        var event = try DestinationFixtures.purchase()
        event.customer = CustomerIdentifiers([.email: "  John.Doe+tag@GMail.com ", .phone: "+1 (650) 555-1234"])
        let item = try DestinationFixtures.item(try RedditFixtures.destination(), event)
        #expect(item["user"]?["email"] == .string("06a240d11cc201676da976f7b49341181fd180da37cbe40a77432c0a366c80c3"))
        #expect(item["user"]?["phone_number"] == .string("a2996076d3ad4af5dc818b908b3d8e354f26ededf7df0e0aa6ac354143805ee0"))
    }

    @Test("the rdt_cid click id is sent in clear as click_id")
    func clickID() throws {
        var event = try DestinationFixtures.purchase()
        event.client = ClientContext(clickIDs: [.rdtCID: "t3_clk_9f8e"])
        let item = try DestinationFixtures.item(try RedditFixtures.destination(), event)
        #expect(item["click_id"] == .string("t3_clk_9f8e"))
    }

    @Test("metadata: exact value as a number, currency, item count and products")
    func metadata() throws {
        let item = try DestinationFixtures.item(try RedditFixtures.destination(), try DestinationFixtures.purchase())
        let metadata = try #require(item["metadata"])
        #expect(metadata["value"] == .number("129.90"))
        #expect(metadata["currency"] == .string("EUR"))
        #expect(metadata["item_count"] == .number("3"))
        #expect(metadata["products"]?[1] == .object([
            "id": .string("BK-2040"), "name": .string("Leselampe Messing"),
        ]))
    }

    @Test("values keep every digit and the currency's minor unit", arguments: [
        ("JPY", "4980", "4980"), ("KWD", "12.345", "12.345"), ("EUR", "1234567890123.45", "1234567890123.45"), ("USD", "0.1", "0.10"),
    ])
    func exactValues(currency: String, value: String, expected: String) throws {
        var event = try DestinationFixtures.purchase()
        let code = try #require(Currency(code: currency))
        event.value = Money(amount: try #require(Money.Amount(value)).rescaled(to: code.minorUnit), currency: code)
        let item = try DestinationFixtures.item(try RedditFixtures.destination(), event)
        #expect(item["metadata"]?["value"] == .number(expected))
    }

    @Test("tracking types; events without a Reddit type are CUSTOM with their name", arguments: [
        (EventName.addToCart, "ADD_TO_CART", nil as String?), (.completeRegistration, "SIGN_UP", nil), (.viewContent, "VIEW_CONTENT", nil),
        (.search, "SEARCH", nil), (.lead, "LEAD", nil), (.startTrial, "CUSTOM", "StartTrial"),
    ])
    func trackingTypes(name: EventName, type: String, custom: String?) throws {
        var event = try DestinationFixtures.purchase()
        event.eventName = name
        let item = try DestinationFixtures.item(try RedditFixtures.destination(), event)
        #expect(item["type"]?["tracking_type"] == .string(type))
        #expect(item["type"]?["custom_event_name"]?.stringValue == custom)
        let carriesValue = ["ADD_TO_CART", "SIGN_UP", "LEAD", "CUSTOM"].contains(type)
        #expect((item["metadata"]?["value"] != nil) == carriesValue)
        #expect((item["metadata"]?["currency"] != nil) == carriesValue)
    }

    @Test("refunds, suppressed events and events without any identifier are skipped")
    func skips() throws {
        let reddit = try RedditFixtures.destination()
        let refund = try DestinationFixtures.event("refund.json")
        #expect(reddit.makeItem(refund, identifiers: DestinationFixtures.identifiers(refund, for: .reddit), consent: DestinationFixtures.granted)
            == .skip(reason: "refund_not_supported"))
        var bare = try DestinationFixtures.purchase()
        #expect(reddit.makeItem(bare, identifiers: DestinationFixtures.identifiers(bare, for: .reddit), consent: .suppress(.deniedConsentMode))
            == .skip(reason: "consent_suppressed"))
        bare.customer = CustomerIdentifiers()
        bare.client = ClientContext()
        #expect(reddit.makeItem(bare, identifiers: DestinationFixtures.identifiers(bare, for: .reddit), consent: DestinationFixtures.granted)
            == .skip(reason: "no_identifiers"))
    }

    @Test("a future event_at is lowered to the send time")
    func clampsFuture() throws {
        let reddit = try RedditFixtures.destination()
        var event = try DestinationFixtures.purchase()
        event.eventTime = DestinationFixtures.sentAt.advanced(by: .seconds(120))
        let request = reddit.makeRequest(items: [try DestinationFixtures.item(reddit, event, now: DestinationFixtures.sentAt)], batchID: "b", now: DestinationFixtures.sentAt)
        #expect(request.auditPayload["data"]?["events"]?[0]?["event_at"] == .number(String(DestinationFixtures.sentAt.millisecondsSinceEpoch)))
    }

    @Test("clear fields and the items pointer: the hashed IP is not a clear field")
    func clearFields() throws {
        let reddit = try RedditFixtures.destination()
        var event = try DestinationFixtures.purchase()
        event.client[clickID: .rdtCID] = "t3_clk_9f8e"
        let (request, audited) = try reddit.audited(event)
        for path in ["/user/user_agent", "/click_id", "/event_source_url"] {
            let inBody = try #require(JSONPointer(parsing: "/data/events/0" + path))
            let sent = try #require(inBody.resolve(in: request.json)?.stringValue, "\(path)")
            #expect(inBody.resolve(in: audited) == .string("hmac-sha256:\(sent.count)"), "\(path)")
        }
        let agent = try #require(request.json["data"]?["events"]?[0]?["user"]?["user_agent"]?.stringValue)
        #expect(audited["data"]?["events"]?[0]?["user"]?["user_agent"] == .string("hmac-sha256:\(agent.count)"))
        #expect(audited["data"]?["events"]?[0]?["user"]?["ip_address"] == request.json["data"]?["events"]?[0]?["user"]?["ip_address"], "hashed: kept")
    }

    @Test("the item's clear spans are exactly the values Reddit takes unhashed: page URL, rdt_cid, user agent (not the hashed IP)")
    func clearSpans() throws {
        // Given the fixture purchase with an rdt_cid
        var event = try DestinationFixtures.purchase()
        event.client[clickID: .rdtCID] = "t3_clk_9f8e"
        let outcome = try RedditFixtures.destination().makeItem(
            event, identifiers: DestinationFixtures.identifiers(event, for: .reddit), consent: DestinationFixtures.granted)
        let item = try #require(outcome.item)
        // Then exactly those values are marked clear, in the order they are written
        let client = event.client
        let expected = [client.landingURL, client[clickID: .rdtCID], client.userAgent].map { $0?.rawValue }
        #expect(expected.allSatisfy { $0 != nil }, "the fixture carries every clear field")
        #expect(try item.encoded().clearSpans.map(\.value) == expected.compactMap { $0 })
        #expect(item["user"]?["ip_address"]?.stringValue?.count == 64, "the IP is sent hashed")
    }
}

@Suite("Reddit Limited Data Use")
struct RedditLimitedDataUseTests {
    func item(_ limited: LimitedDataUse, action: ConsentDecision.Action = .sendLimited) throws -> JSONValue {
        let consent = ConsentDecision(action: action, reason: .gpcOptOut, limitedDataUse: limited)
        return try DestinationFixtures.item(try RedditFixtures.destination(), try DestinationFixtures.purchase(), consent: consent)
    }

    @Test("California opt-out: modes LDU, country US, region US-CA")
    func california() throws {
        let item = try item(LimitedDataUse(restrictedProcessing: true, country: "US", state: "CA"))
        #expect(item["user"]?["data_processing_options"] == .object([
            "modes": .array([.string("LDU")]), "country": .string("US"), "region": .string("US-CA"),
        ]))
    }

    @Test("region unknown: LDU with the country only; nothing known: LDU alone (Reddit locates the user)")
    func partialRegion() throws {
        #expect(try item(LimitedDataUse(restrictedProcessing: true, country: "US"))["user"]?["data_processing_options"]
            == .object(["modes": .array([.string("LDU")]), "country": .string("US")]))
        #expect(try item(LimitedDataUse(restrictedProcessing: true))["user"]?["data_processing_options"]
            == .object(["modes": .array([.string("LDU")])]))
    }

    @Test("no restriction: no data_processing_options")
    func unrestricted() throws {
        #expect(try item(LimitedDataUse(country: "US", state: "CA"), action: .send)["user"]?["data_processing_options"] == nil)
    }

    @Test("attribution-only has no Reddit field: the event is skipped, never sent unrestricted")
    func attributionOnlySkipped() throws {
        let purchase = try DestinationFixtures.purchase()
        let consent = ConsentDecision(
            action: .sendLimited, reason: .deniedAdPersonalization, limitedDataUse: LimitedDataUse(attributionOnly: true))
        let outcome = try RedditFixtures.destination().makeItem(
            purchase, identifiers: DestinationFixtures.identifiers(purchase, for: .reddit), consent: consent)
        #expect(outcome == .skip(reason: "consent_suppressed"))
    }
}

@Suite("Reddit configuration")
struct RedditConfigTests {
    func error(_ extra: [String: JSONValue]) -> DestinationConfigError? {
        do {
            _ = try DestinationRegistry.make(RedditFixtures.settings(extra))
            return nil
        } catch {
            return error
        }
    }

    @Test("the registry builds kind reddit")
    func registry() throws {
        #expect(DestinationRegistry.kinds.contains("reddit"))
        #expect(try DestinationRegistry.make(RedditFixtures.settings()).kind == "reddit")
    }

    @Test("key problems name the key and never repeat the value", arguments: [
        (["pixel_id": JSONValue.null], "pixel_id", DestinationConfigError.Code.missingKey),
        (["pixel_id": .string("t2/../x")], "pixel_id", .invalidValue),
        (["access_token": .string("")], "access_token", .missingKey),
        (["base_url": .string("ads-api.reddit.com")], "base_url", .invalidValue),
        (["action_source": .string("website")], "action_source", .invalidValue),
        (["max_events_per_request": .number("2000")], "max_events_per_request", .invalidValue),
        (["test_mode": .bool(true)], "test_mode", .unknownKey),
    ])
    func problems(extra: [String: JSONValue], key: String, code: DestinationConfigError.Code) {
        let failure = error(extra)
        #expect(failure?.code == code)
        #expect(failure?.keyPath == key)
        #expect(failure.map { !"\($0)".contains(RedditFixtures.token) } ?? false)
    }

    @Test("limits: 1,000 events, 168 hours, 5 minutes ahead; batch size and timeout configurable")
    func limits() throws {
        let reddit = try RedditFixtures.destination()
        #expect(reddit.limits.maxEventsPerRequest == 1000)
        #expect(reddit.limits.maxEventAgeSeconds == 168 * 3600)
        #expect(reddit.limits.maxFutureSkewSeconds == 300)
        let tuned = try RedditFixtures.destination(["max_events_per_request": .string("100"), "timeout_ms": .number("900")])
        #expect(tuned.limits.maxEventsPerRequest == 100)
        #expect(tuned.limits.requestTimeout == .milliseconds(900))
    }

    @Test("configured action_source is sent")
    func actionSource() throws {
        let item = try DestinationFixtures.item(try RedditFixtures.destination(["action_source": .string("PHYSICAL_STORE")]), try DestinationFixtures.purchase())
        #expect(item["action_source"] == .string("PHYSICAL_STORE"))
    }
}
