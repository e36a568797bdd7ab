import BridgeDestinations
import Testing

@testable import BridgeCore

@Suite("Snap item and request")
struct SnapPayloadTests {
    let purchase: ConversionEvent

    init() throws {
        purchase = try DestinationFixtures.purchase()
    }

    func outcome(_ event: ConversionEvent, _ extra: [String: JSONValue] = [:], consent: ConsentDecision = DestinationFixtures.granted) throws
        -> ItemOutcome
    {
        try SnapFixtures.destination(extra).makeItem(event, identifiers: DestinationFixtures.identifiers(event, for: .snapchat), consent: consent)
    }

    @Test("the fixture purchase renders as the golden request body")
    func goldenPurchase() throws {
        // Given the Standard Webhooks purchase fixture, prepared for Snap
        let snap = try SnapFixtures.destination()
        let item = try DestinationFixtures.item(snap, purchase)
        // When it is sent in a request
        let request = snap.makeRequest(items: [item], batchID: "batch-1", now: DestinationFixtures.sentAt)
        // Then the body is the golden file, and the bytes sent are that JSON
        try GoldenFile.check(request.auditPayload, against: "snapchat-purchase.json")
        #expect(try JSONParser.parse(request.body) == request.auditPayload, "the audit payload is the body as sent")
    }

    @Test("the request: POST /v3/{pixel_id}/events with the token as access_token query parameter")
    func request() throws {
        let snap = try SnapFixtures.destination(["base_url": .string("https://proxy.example.com/")])
        let request = snap.makeRequest(items: [try DestinationFixtures.item(snap, purchase)], batchID: "b", now: DestinationFixtures.sentAt)
        #expect(request.method == "POST")
        #expect(request.url == "https://proxy.example.com/v3/\(SnapFixtures.pixelID)/events?access_token=\(DestinationFixtures.token)")
        #expect(request.auditURL == "https://proxy.example.com/v3/\(SnapFixtures.pixelID)/events")
        #expect(request.headers.contains(HeaderPair("content-type", "application/json")))
        #expect(request.auditPayload.objectValue?.keys.sorted() == ["data"])
        #expect(SnapDestination.defaultBaseURL == "https://tr.snapchat.com")
    }

    @Test("validate_only sends to /events/validate (Snap's test endpoint)")
    func validateOnly() throws {
        let snap = try SnapFixtures.destination(["validate_only": .bool(true)])
        let request = snap.makeRequest(items: [try DestinationFixtures.item(snap, purchase)], batchID: "b", now: DestinationFixtures.sentAt)
        #expect(request.url.hasPrefix("https://tr.snapchat.com/v3/\(SnapFixtures.pixelID)/events/validate?access_token="))
        #expect(request.auditURL == "https://tr.snapchat.com/v3/\(SnapFixtures.pixelID)/events/validate")
    }

    @Test("the access token is never in auditURL, auditPayload, the body or description")
    func tokenStaysSecret() throws {
        let snap = try SnapFixtures.destination()
        let request = snap.makeRequest(items: [try DestinationFixtures.item(snap, purchase)], batchID: "b", now: DestinationFixtures.sentAt)
        #expect(!request.auditURL.contains(DestinationFixtures.token))
        #expect(!JSONWriter.string(request.auditPayload).contains(DestinationFixtures.token))
        #expect(!String(decoding: request.body, as: UTF8.self).contains(DestinationFixtures.token))
        #expect(!request.headers.contains { $0.value.contains(DestinationFixtures.token) })
        #expect(!"\(snap)".contains(DestinationFixtures.token))
        #expect(!String(reflecting: snap).contains(DestinationFixtures.token))
    }

    @Test("a token with reserved characters is percent-encoded in the query")
    func tokenEncoded() throws {
        let snap = try SnapFixtures.destination(["access_token": .string("a+b/c=d&e")])
        let request = snap.makeRequest(items: [], batchID: "b", now: DestinationFixtures.sentAt)
        #expect(request.url.hasSuffix("?access_token=a%2Bb%2Fc%3Dd%26e"))
    }

    @Test("user_data: every hashed key is a list of one 64-hex digest; phone hashed as digits without +")
    func hashedUserData() throws {
        let item = try DestinationFixtures.item(try SnapFixtures.destination(), purchase)
        let userData = try #require(item["user_data"]?.objectValue)
        for key in ["em", "ph", "fn", "ln", "ge", "db", "ct", "st", "zp", "country", "external_id"] {
            let list = try #require(userData[key]?.arrayValue, "\(key) should be a list")
            #expect(list.count == 1)
            #expect(TikTokSnapHex.isSHA256(list.first?.stringValue), "\(key)")
        }
        #expect(userData["em"] == .array([.string(IdentifierHasher.sha256Hex("noah.schmidt@example.de"))]))
        #expect(userData["ph"] == .array([.string(IdentifierHasher.sha256Hex("4917612345678"))]), "Snap hashes digits, no +")
        #expect(userData["ph"] != .array([.string(IdentifierHasher.sha256Hex("+4917612345678"))]))
        #expect(userData["country"] == .array([.string(IdentifierHasher.sha256Hex("de"))]))
        #expect(userData["db"] == .array([.string(IdentifierHasher.sha256Hex("19880721"))]))
        #expect(userData["ge"] == .array([.string(IdentifierHasher.sha256Hex("m"))]))
        #expect(userData["ct"] == .array([.string(IdentifierHasher.sha256Hex("hamburg"))]))
        #expect(userData["external_id"] == .array([.string(IdentifierHasher.sha256Hex("cust_10442"))]))
    }

    @Test("Snap's published vectors: Person@Example.com and +44 844 412 4653")
    func publishedVectors() throws {
        var event = purchase
        event.customer = CustomerIdentifiers([.email: "Person@Example.com", .phone: "+44 844 412 4653"])
        let item = try DestinationFixtures.item(try SnapFixtures.destination(), event)
        #expect(item["user_data"]?["em"] == .array([.string("542d240129883c019e106e3b1b2d3f3cb3537c43c425364de8e951d5a3083345")]))
        #expect(item["user_data"]?["ph"] == .array([.string("dc008fda46e2e64002cf2f82a4906236282d431c4f75e5b60bfe79fc48546383")]))
    }

    @Test("clear fields: client_ip_address, client_user_agent, sc_click_id, event_source_url")
    func clearFields() throws {
        var event = purchase
        event.client[clickID: .sccid] = "8f0c7b3e-ScCid-AbC"
        let snap = try SnapFixtures.destination()
        let item = try DestinationFixtures.item(snap, event)
        #expect(item["user_data"]?["client_ip_address"] == .string("198.51.100.61"))
        #expect(item["user_data"]?["client_user_agent"]?.stringValue?.hasPrefix("Mozilla/5.0") == true)
        #expect(item["user_data"]?["sc_click_id"] == .string("8f0c7b3e-ScCid-AbC"), "the click id keeps its case")
        #expect(item["event_source_url"]?.stringValue?.hasPrefix("https://books.example.de/zauberberg") == true)
        let (request, audited) = try snap.audited(event)
        for path in ["/user_data/client_ip_address", "/user_data/client_user_agent", "/user_data/sc_click_id", "/event_source_url"] {
            let inBody = try #require(JSONPointer(parsing: "/data/0" + path))
            let sent = try #require(inBody.resolve(in: request.json)?.stringValue, "\(path)")
            #expect(inBody.resolve(in: audited) == .string("hmac-sha256:\(sent.count)"), "\(path)")
        }
        #expect(audited["data"]?[0]?["user_data"]?["sc_click_id"] == .string("hmac-sha256:18"))
        #expect(audited["data"]?[0]?["user_data"]?["em"] == request.json["data"]?[0]?["user_data"]?["em"], "hashed: kept")
    }

    @Test("the item's clear spans are exactly the values Snap takes unhashed: page URL, IP address, user agent, ScCid")
    func clearSpans() throws {
        // Given the fixture purchase with a ScCid
        var event = purchase
        event.client[clickID: .sccid] = "8f0c7b3e-ScCid-AbC"
        let item = try #require(try outcome(event).item)
        // Then exactly those values are marked clear, in the order they are written
        let client = event.client
        let expected = [client.landingURL, client.ipAddress, client.userAgent, client[clickID: .sccid]].map { $0?.rawValue }
        #expect(expected.allSatisfy { $0 != nil }, "the fixture carries every clear field")
        #expect(try item.encoded().clearSpans.map(\.value) == expected.compactMap { $0 })
    }

    @Test("no raw identifier appears anywhere in the item")
    func noRawIdentifiers() throws {
        let text = JSONWriter.string(try DestinationFixtures.item(try SnapFixtures.destination(), purchase))
        for raw in DestinationFixtures.rawIdentifiers {
            #expect(!text.contains(raw), "raw identifier leaked")
        }
    }

    @Test("a value that is not 64 lowercase hex is never sent under a hashed key")
    func nonHexNeverHashedKey() throws {
        var identifiers = PreparedIdentifiers(platform: .snapchat)
        identifiers.customer[.email] = .sent(PreparedValue(wireValue: "noah.schmidt@example.de", encoding: .sha256))
        identifiers.customer[.phone] = .sent(PreparedValue(wireValue: IdentifierHasher.sha256Hex("4917612345678"), encoding: .sha256))
        identifiers.customer[.city] = .sent(PreparedValue(wireValue: "hamburg", encoding: .clear))
        let outcome = try SnapFixtures.destination().makeItem(purchase, identifiers: identifiers, consent: DestinationFixtures.granted)
        guard case .item(let item) = outcome else {
            Issue.record("expected an item")
            return
        }
        #expect(item["user_data"]?["em"] == nil)
        #expect(item["user_data"]?["ct"] == nil)
        #expect(item["user_data"]?["ph"] != nil)
    }

    @Test("event_name PURCHASE, event_time in Unix seconds, action_source WEB, integration, custom_data")
    func eventFields() throws {
        let item = try DestinationFixtures.item(try SnapFixtures.destination(), purchase)
        #expect(item["event_name"] == .string("PURCHASE"))
        #expect(item["event_time"] == .number("1773500712"), "seconds, not milliseconds")
        #expect(item["event_id"] == .string("sale:acme-books:7K2M9Q"))
        #expect(item["action_source"] == .string("WEB"))
        #expect(item["integration"] == .string("capibridge"))
        let custom = try #require(item["custom_data"])
        #expect(custom["value"] == .number("129.90"))
        #expect(custom["currency"] == .string("EUR"))
        #expect(custom["order_id"] == .string("7K2M9Q"))
        #expect(custom["num_items"] == .number("3"))
        #expect(custom["content_ids"] == .array([.string("BK-1001"), .string("BK-2040"), .string("SHIP")]))
        #expect(custom["contents"]?[1] == .object(["id": .string("BK-2040"), "quantity": .number("1"), "item_price": .number("89.90")]))
        #expect(item["data_processing_options"] == nil)
        #expect(item["opt_out"] == nil)
    }

    @Test("event names map to Snap's upper-case names; unknown ones are skipped", arguments: [
        (EventName.addToCart, "ADD_CART"), (.initiateCheckout, "START_CHECKOUT"), (.viewContent, "VIEW_CONTENT"),
        (.completeRegistration, "SIGN_UP"), (.addPaymentInfo, "ADD_BILLING"), (.subscribe, "SUBSCRIBE"),
    ])
    func eventNames(name: EventName, snapName: String) throws {
        var event = purchase
        event.eventName = name
        #expect(try DestinationFixtures.item(try SnapFixtures.destination(), event)["event_name"] == .string(snapName))
    }

    @Test("LDU: data_processing_options [LDU] with Meta-style country and state codes; opt_out when attribution-only")
    func limitedDataUse() throws {
        let california = ConsentDecision(
            action: .sendLimited, reason: .gpcOptOut,
            limitedDataUse: LimitedDataUse(restrictedProcessing: true, attributionOnly: true, country: "US", state: "CA"))
        let item = try DestinationFixtures.item(try SnapFixtures.destination(), purchase, consent: california)
        #expect(item["data_processing_options"] == .array([.string("LDU")]))
        #expect(item["data_processing_options_country"] == .number("1"))
        #expect(item["data_processing_options_state"] == .number("1000"))
        #expect(item["opt_out"] == .bool(true))
    }

    @Test("a future event_time is sent as the send time")
    func futureClamped() throws {
        var event = purchase
        event.eventTime = DestinationFixtures.sentAt.advanced(by: .seconds(120))
        let snap = try SnapFixtures.destination()
        let request = snap.makeRequest(items: [try DestinationFixtures.item(snap, event, now: DestinationFixtures.sentAt)], batchID: "b", now: DestinationFixtures.sentAt)
        #expect(request.auditPayload["data"]?[0]?["event_time"] == .number(String(DestinationFixtures.sentAt.secondsSinceEpoch)))
    }

    @Test("skips: refund, unmapped event, suppressed, purchase without value")
    func skips() throws {
        #expect(try outcome(try DestinationFixtures.event("refund.json")) == .skip(reason: "refund_not_supported"))
        var donate = purchase
        donate.eventName = .donate
        #expect(try outcome(donate) == .skip(reason: "event_not_supported"))
        #expect(try outcome(purchase, consent: .suppress(.deniedConsentMode)) == .skip(reason: "consent_suppressed"))
        var noValue = purchase
        noValue.value = nil
        #expect(try outcome(noValue) == .skip(reason: "purchase_without_value"))
    }

    @Test("identity: em, ph, or IP address with user agent are enough; less is skipped")
    func minimumIdentity() throws {
        var event = purchase
        event.customer = CustomerIdentifiers()
        event.client = ClientContext(landingURL: "https://shop.example.com/")
        #expect(try outcome(event) == .skip(reason: "no_identifiers"))
        event.customer = CustomerIdentifiers([.firstName: "Noah", .country: "DE"])
        event.client = ClientContext(userAgent: "Mozilla/5.0", landingURL: "https://shop.example.com/")
        #expect(try outcome(event) == .skip(reason: "insufficient_identifiers"))
        event.client = ClientContext(ipAddress: "198.51.100.61", userAgent: "Mozilla/5.0", landingURL: "https://shop.example.com/")
        guard case .item = try outcome(event) else {
            Issue.record("IP address and user agent should be enough")
            return
        }
    }

    @Test("WEB needs event_source_url: landing URL, site_url + path, configured fallback, else skipped")
    func eventSourceURL() throws {
        var event = purchase
        event.client = ClientContext(ipAddress: "198.51.100.61", landingURL: "/products/lamp")
        #expect(try outcome(event) == .skip(reason: "no_event_source_url"))
        guard case .item(let site) = try outcome(event, ["site_url": .string("https://shop.example.com")]) else {
            Issue.record("expected an item")
            return
        }
        #expect(site["event_source_url"] == .string("https://shop.example.com/products/lamp"))
        guard case .item(let fallback) = try outcome(event, ["event_source_url": .string("https://shop.example.com/thanks")]) else {
            Issue.record("expected an item")
            return
        }
        #expect(fallback["event_source_url"] == .string("https://shop.example.com/thanks"))
        guard case .item(let offline) = try outcome(event, ["action_source": .string("OFFLINE")]) else {
            Issue.record("OFFLINE events need no URL")
            return
        }
        #expect(offline["action_source"] == .string("OFFLINE"))
        #expect(offline["event_source_url"] == nil)
    }
}

@Suite("Snap configuration")
struct SnapConfigTests {
    func error(_ extra: [String: JSONValue]) -> DestinationConfigError? {
        do {
            _ = try DestinationRegistry.make(SnapFixtures.settings(extra))
            return nil
        } catch {
            return error
        }
    }

    @Test("the registry makes kind snapchat")
    func registered() throws {
        let destination = try DestinationRegistry.make(SnapFixtures.settings())
        #expect(destination.kind == "snapchat")
        #expect(destination.platform == .snapchat)
        #expect(DestinationRegistry.kinds.contains("snapchat"))
    }

    @Test("default limits: 2,000 events, 2 MiB, 37 days, 5 s")
    func defaultLimits() throws {
        let limits = try SnapFixtures.destination().limits
        #expect(limits.maxEventsPerRequest == 2000)
        #expect(limits.maxBytesPerRequest == 2 << 20)
        #expect(limits.maxEventAgeSeconds == 37 * 86_400)
        #expect(limits.requestTimeout == .milliseconds(5000))
    }

    @Test("limits from config, numbers and booleans as text too")
    func configuredLimits() throws {
        let snap = try SnapFixtures.destination([
            "max_events_per_request": .string("1500"), "max_bytes_per_request": .number("65536"), "max_event_age_days": .string("7"),
            "timeout_ms": .number("2500"), "validate_only": .string("true"),
        ])
        #expect(snap.limits.maxEventsPerRequest == 1500)
        #expect(snap.limits.maxBytesPerRequest == 65536)
        #expect(snap.limits.maxEventAgeSeconds == 7 * 86_400)
        #expect(snap.limits.requestTimeout == .milliseconds(2500))
        #expect(snap.endpoint.hasSuffix("/events/validate"))
    }

    @Test("key problems name the key", arguments: [
        (["pixel_id": JSONValue.null], "pixel_id", DestinationConfigError.Code.missingKey),
        (["pixel_id": .string("pixel/1")], "pixel_id", .invalidValue),
        (["access_token": .string("")], "access_token", .missingKey),
        (["base_url": .string("tr.snapchat.com")], "base_url", .invalidValue),
        (["max_events_per_request": .number("2001")], "max_events_per_request", .invalidValue),
        (["max_event_age_days": .number("38")], "max_event_age_days", .invalidValue),
        (["action_source": .string("website")], "action_source", .invalidValue),
        (["validate_only": .string("yes")], "validate_only", .invalidValue),
        (["validate": .bool(true)], "validate", .unknownKey),
        (["test_event_code": .string("T1")], "test_event_code", .unknownKey),
    ])
    func errors(extra: [String: JSONValue], key: String, code: DestinationConfigError.Code) {
        let failure = error(extra)
        #expect(failure?.keyPath == key)
        #expect(failure?.code == code)
        #expect(failure?.destination == "snapchat")
    }

    @Test("errors never repeat the token")
    func noSecretInErrors() {
        let failure = error(["access_token": .string("snap-super-secret"), "pixel_id": .string("snap-super-secret!")])
        #expect(failure != nil)
        #expect(failure.map { !"\($0)".contains("snap-super-secret") } == true)
    }
}
