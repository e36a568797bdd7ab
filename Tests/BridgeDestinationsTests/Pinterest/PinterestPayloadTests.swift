import BridgeCore
import BridgeDestinations
import Testing

@Suite("Pinterest item and request")
struct PinterestPayloadTests {
    @Test("the fixture purchase renders as the golden request body")
    func goldenPurchase() throws {
        // Given the Standard Webhooks purchase fixture, prepared for Pinterest
        let pinterest = try PinterestFixtures.destination()
        let item = try DestinationFixtures.item(pinterest, try DestinationFixtures.purchase())
        // When it is sent in a request
        let request = pinterest.makeRequest(items: [item], batchID: "batch-1", now: DestinationFixtures.sentAt)
        // Then the body is the golden file, and the bytes sent are that JSON
        try GoldenFile.check(request.auditPayload, against: "pinterest-purchase.json")
        #expect(try JSONParser.parse(request.body) == request.auditPayload)
    }

    @Test("POST /v5/ad_accounts/{id}/events with a bearer token; no token in the audit URL, payload or description")
    func request() throws {
        let pinterest = try PinterestFixtures.destination()
        let item = try DestinationFixtures.item(pinterest, try DestinationFixtures.purchase())
        let request = pinterest.makeRequest(items: [item], batchID: "b", now: DestinationFixtures.sentAt)
        #expect(request.method == "POST")
        #expect(request.url == "https://api.pinterest.com/v5/ad_accounts/549755885175/events")
        #expect(request.auditURL == request.url)
        #expect(request.headers.contains(HeaderPair("authorization", "Bearer " + PinterestFixtures.token)))
        #expect(request.headers.contains(HeaderPair("content-type", "application/json")))
        for text in [JSONWriter.string(request.auditPayload), request.auditURL, String(decoding: request.body, as: UTF8.self), "\(pinterest)", String(reflecting: pinterest)] {
            #expect(!text.contains(PinterestFixtures.token), "token leaked")
        }
        #expect(request.auditPayload["data"]?.arrayValue?.count == 1)
    }

    @Test("test: true adds ?test=true; base_url is honoured")
    func testMode() throws {
        let pinterest = try PinterestFixtures.destination(["test": .bool(true), "base_url": .string("http://127.0.0.1:8099/")])
        let request = pinterest.makeRequest(items: [], batchID: "b", now: DestinationFixtures.sentAt)
        #expect(request.url == "http://127.0.0.1:8099/v5/ad_accounts/549755885175/events?test=true")
        let off = try PinterestFixtures.destination(["test": .string("false")])
        #expect(!off.makeRequest(items: [], batchID: "b", now: DestinationFixtures.sentAt).url.contains("test"))
    }

    @Test("event fields: checkout, web, Unix seconds, event id, source URL, opt_out false")
    func eventFields() throws {
        let item = try DestinationFixtures.item(try PinterestFixtures.destination(), try DestinationFixtures.purchase())
        #expect(item["event_name"] == .string("checkout"))
        #expect(item["action_source"] == .string("web"))
        #expect(item["event_time"] == .number("1773500712"), "seconds, not milliseconds")
        #expect(item["event_id"] == .string("sale:acme-books:7K2M9Q"))
        #expect(item["event_source_url"]?.stringValue?.hasPrefix("https://books.example.de/zauberberg") == true)
        #expect(item["opt_out"] == .bool(false))
        #expect(item["partner_name"] == nil)
    }

    @Test("hashed user_data keys are arrays of one 64-hex digest; the phone digest is of the digits without +")
    func hashedUserData() throws {
        let item = try DestinationFixtures.item(try PinterestFixtures.destination(), try DestinationFixtures.purchase())
        let userData = try #require(item["user_data"]?.objectValue)
        for key in ["em", "ph", "fn", "ln", "ge", "db", "ct", "st", "zp", "country", "external_id"] {
            let list = try #require(userData[key]?.arrayValue, "\(key) should be an array")
            #expect(list.count == 1)
            #expect(PinterestFixtures.isDigest(list.first), "\(key)")
        }
        #expect(userData["ph"] == .array([.string(IdentifierHasher.sha256Hex("4917612345678"))]))
        #expect(userData["ph"] != .array([.string(IdentifierHasher.sha256Hex("+4917612345678"))]))
        #expect(userData["em"] == .array([.string(IdentifierHasher.sha256Hex("noah.schmidt@example.de"))]))
        #expect(userData["country"] == .array([.string(IdentifierHasher.sha256Hex("de"))]))
        #expect(userData["client_ip_address"] == .string("198.51.100.61"))
        #expect(userData["client_user_agent"]?.stringValue?.hasPrefix("Mozilla/5.0") == true)
        let text = JSONWriter.string(item)
        for raw in DestinationFixtures.rawIdentifiers { #expect(!text.contains(raw), "raw identifier leaked") }
    }

    @Test("the shared phone vector: +1 (650) 555-1234 is hashed as 16505551234")
    func phoneVector() throws {
        var event = try DestinationFixtures.purchase()
        event.customer = CustomerIdentifiers([.email: "a@example.com", .phone: "+1 (650) 555-1234"])
        let item = try DestinationFixtures.item(try PinterestFixtures.destination(), event)
        #expect(item["user_data"]?["ph"]?[0] == .string("6069d14bf122fdfd931dc7beb58e5dfbba395b1faf05bdcd42d12358d63d8599"))
    }

    @Test("the epik click id is sent in clear as click_id")
    func epik() throws {
        var event = try DestinationFixtures.purchase()
        event.client = ClientContext(ipAddress: "198.51.100.61", userAgent: "Mozilla/5.0", clickIDs: [.epik: "dj0yJnU9abc"])
        let item = try DestinationFixtures.item(try PinterestFixtures.destination(), event)
        #expect(item["user_data"]?["click_id"] == .string("dj0yJnU9abc"))
    }

    @Test("custom_data: value and item prices are strings with the currency's decimals, upper-case currency, contents")
    func customData() throws {
        let item = try DestinationFixtures.item(try PinterestFixtures.destination(), try DestinationFixtures.purchase())
        let custom = try #require(item["custom_data"])
        #expect(custom["value"] == .string("129.90"))
        #expect(custom["currency"] == .string("EUR"))
        #expect(custom["order_id"] == .string("7K2M9Q"))
        #expect(custom["num_items"] == .number("3"))
        #expect(custom["content_ids"] == .array([.string("BK-1001"), .string("BK-2040"), .string("SHIP")]))
        #expect(custom["contents"]?[0] == .object([
            "id": .string("BK-1001"), "quantity": .number("1"), "item_price": .string("34.00"), "item_name": .string("Der Zauberberg (Hardcover)"),
        ]))
        #expect(custom["opt_out_type"] == nil)
    }

    @Test("values keep every digit and the currency's minor unit", arguments: [
        ("JPY", "4980", "4980"), ("KWD", "12.345", "12.345"), ("EUR", "1234567890123.45", "1234567890123.45"), ("USD", "0.1", "0.10"),
    ])
    func exactValues(currency: String, value: String, expected: String) throws {
        var event = try DestinationFixtures.purchase()
        let code = try #require(Currency(code: currency))
        event.value = Money(amount: try #require(Money.Amount(value)).rescaled(to: code.minorUnit), currency: code)
        let item = try DestinationFixtures.item(try PinterestFixtures.destination(), event)
        #expect(item["custom_data"]?["value"] == .string(expected))
    }

    @Test("event names map to Pinterest's", arguments: [
        (EventName.addToCart, "add_to_cart"), (.completeRegistration, "signup"), (.initiateCheckout, "initiate_checkout"),
        (.viewContent, "view_content"), (.lead, "lead"), (.startTrial, "custom"),
    ])
    func eventNames(name: EventName, expected: String) throws {
        var event = try DestinationFixtures.purchase()
        event.eventName = name
        let item = try DestinationFixtures.item(try PinterestFixtures.destination(), event)
        #expect(item["event_name"] == .string(expected))
    }

    @Test("refunds, suppressed events and events without em or IP + user agent are skipped")
    func skips() throws {
        let pinterest = try PinterestFixtures.destination()
        let refund = try DestinationFixtures.event("refund.json")
        #expect(pinterest.makeItem(refund, identifiers: DestinationFixtures.identifiers(refund, for: .pinterest), consent: DestinationFixtures.granted)
            == .skip(reason: "refund_not_supported"))
        let purchase = try DestinationFixtures.purchase()
        #expect(pinterest.makeItem(purchase, identifiers: DestinationFixtures.identifiers(purchase, for: .pinterest), consent: .suppress(.deniedConsentMode))
            == .skip(reason: "consent_suppressed"))
        var phoneOnly = purchase
        phoneOnly.customer = CustomerIdentifiers([.phone: "+4917612345678"])
        phoneOnly.client = ClientContext(userAgent: "Mozilla/5.0")
        #expect(pinterest.makeItem(phoneOnly, identifiers: DestinationFixtures.identifiers(phoneOnly, for: .pinterest), consent: DestinationFixtures.granted)
            == .skip(reason: "insufficient_identifiers"))
        var ipAndAgent = phoneOnly
        ipAndAgent.client = ClientContext(ipAddress: "198.51.100.61", userAgent: "Mozilla/5.0")
        guard case .item = pinterest.makeItem(ipAndAgent, identifiers: DestinationFixtures.identifiers(ipAndAgent, for: .pinterest), consent: DestinationFixtures.granted) else {
            Issue.record("IP and user agent are enough for Pinterest")
            return
        }
    }

    @Test("clear fields and the items pointer")
    func clearFields() throws {
        let pinterest = try PinterestFixtures.destination()
        var event = try DestinationFixtures.purchase()
        event.client[clickID: .epik] = "dj0yJnU9epikValue"
        let (request, audited) = try pinterest.audited(event)
        for path in ["/user_data/client_ip_address", "/user_data/client_user_agent", "/user_data/click_id", "/event_source_url"] {
            let inBody = try #require(JSONPointer(parsing: "/data/0" + path))
            let sent = try #require(inBody.resolve(in: request.json)?.stringValue, "\(path)")
            #expect(inBody.resolve(in: audited) == .string("hmac-sha256:\(sent.count)"), "\(path)")
        }
        #expect(request.json["data"]?[0]?["user_data"]?["client_ip_address"] == .string("198.51.100.61"))
        #expect(audited["data"]?[0]?["user_data"]?["client_ip_address"] == .string("hmac-sha256:13"))
        #expect(audited["data"]?[0]?["user_data"]?["em"] == request.json["data"]?[0]?["user_data"]?["em"], "hashed: kept")
    }

    @Test("the item's clear spans are exactly the values Pinterest takes unhashed: page URL, IP address, user agent, epik")
    func clearSpans() throws {
        // Given the fixture purchase with an epik click id
        var event = try DestinationFixtures.purchase()
        event.client[clickID: .epik] = "dj0yJnU9epikValue"
        let outcome = try PinterestFixtures.destination().makeItem(
            event, identifiers: DestinationFixtures.identifiers(event, for: .pinterest), consent: DestinationFixtures.granted)
        let item = try #require(outcome.item)
        // Then exactly those values are marked clear, in the order they are written
        let client = event.client
        let expected = [client.landingURL, client.ipAddress, client.userAgent, client[clickID: .epik]].map { $0?.rawValue }
        #expect(expected.allSatisfy { $0 != nil }, "the fixture carries every clear field")
        #expect(try item.encoded().clearSpans.map(\.value) == expected.compactMap { $0 })
    }
}

@Suite("Pinterest privacy fields")
struct PinterestPrivacyTests {
    func item(_ limited: LimitedDataUse, action: ConsentDecision.Action = .sendLimited) throws -> JSONValue {
        let consent = ConsentDecision(action: action, reason: .gpcOptOut, limitedDataUse: limited)
        return try DestinationFixtures.item(try PinterestFixtures.destination(), try DestinationFixtures.purchase(), consent: consent)
    }

    @Test("a US state opt-out: custom_data.opt_out_type LDP, opt_out false")
    func limitedDataProcessing() throws {
        let item = try item(LimitedDataUse(restrictedProcessing: true, country: "US", state: "CA"))
        #expect(item["custom_data"]?["opt_out_type"] == .string("LDP"))
        #expect(item["opt_out"] == .bool(false))
    }

    @Test("attribution only: opt_out true")
    func attributionOnly() throws {
        let item = try item(LimitedDataUse(attributionOnly: true))
        #expect(item["opt_out"] == .bool(true))
        #expect(item["custom_data"]?["opt_out_type"] == nil)
    }

    @Test("an event without custom data still carries opt_out_type when limited")
    func limitedWithoutValue() throws {
        var event = try DestinationFixtures.purchase()
        event.value = nil
        event.lineItems = []
        event.orderID = nil
        let consent = ConsentDecision(action: .sendLimited, reason: .gpcOptOut, limitedDataUse: LimitedDataUse(restrictedProcessing: true))
        let item = try DestinationFixtures.item(try PinterestFixtures.destination(), event, consent: consent)
        #expect(item["custom_data"] == .object(["opt_out_type": .string("LDP")]))
    }
}

@Suite("Pinterest configuration")
struct PinterestConfigTests {
    func error(_ extra: [String: JSONValue]) -> DestinationConfigError? {
        do {
            _ = try DestinationRegistry.make(PinterestFixtures.settings(extra))
            return nil
        } catch {
            return error
        }
    }

    @Test("the registry builds kind pinterest")
    func registry() throws {
        #expect(DestinationRegistry.kinds.contains("pinterest"))
        #expect(try DestinationRegistry.make(PinterestFixtures.settings()).kind == "pinterest")
    }

    @Test("key problems name the key and never repeat the value", arguments: [
        (["ad_account_id": JSONValue.null], "ad_account_id", DestinationConfigError.Code.missingKey),
        (["ad_account_id": .string("act_12")], "ad_account_id", .invalidValue),
        (["ad_account_id": .string("1234567890123456789")], "ad_account_id", .invalidValue),
        (["access_token": .string(" ")], "access_token", .missingKey),
        (["base_url": .string("api.pinterest.com")], "base_url", .invalidValue),
        (["test": .string("yes")], "test", .invalidValue),
        (["action_source": .string("website")], "action_source", .invalidValue),
        (["partner_name": .string("SS-Bridge")], "partner_name", .invalidValue),
        (["max_events_per_request": .number("1001")], "max_events_per_request", .invalidValue),
        (["max_event_age_days": .number("0")], "max_event_age_days", .invalidValue),
        (["tset": .bool(true)], "tset", .unknownKey),
    ])
    func problems(extra: [String: JSONValue], key: String, code: DestinationConfigError.Code) {
        let failure = error(extra)
        #expect(failure?.code == code)
        #expect(failure?.keyPath == key)
        #expect(failure.map { !"\($0)".contains(PinterestFixtures.token) } ?? false)
    }

    @Test("limits: 1,000 events, 7 days, 5 min ahead by default; all configurable")
    func limits() throws {
        let pinterest = try PinterestFixtures.destination()
        #expect(pinterest.limits.maxEventsPerRequest == 1000)
        #expect(pinterest.limits.maxEventAgeSeconds == 7 * 86_400)
        #expect(pinterest.limits.maxFutureSkewSeconds == 300)
        #expect(pinterest.limits.maxBytesPerRequest == 1 << 20)
        let tuned = try PinterestFixtures.destination([
            "max_events_per_request": .string("250"), "max_event_age_days": .number("30"), "timeout_ms": .number("800"),
            "max_bytes_per_request": .number("65536"),
        ])
        #expect(tuned.limits.maxEventsPerRequest == 250)
        #expect(tuned.limits.maxEventAgeSeconds == 30 * 86_400)
        #expect(tuned.limits.requestTimeout == .milliseconds(800))
        #expect(tuned.limits.maxBytesPerRequest == 65536)
    }

    @Test("configured action_source and partner_name are sent")
    func actionSourceAndPartner() throws {
        let pinterest = try PinterestFixtures.destination(["action_source": .string("offline"), "partner_name": .string("ss-capibridge")])
        let item = try DestinationFixtures.item(pinterest, try DestinationFixtures.purchase())
        #expect(item["action_source"] == .string("offline"))
        #expect(item["partner_name"] == .string("ss-capibridge"))
    }

    @Test("pipeline keys are not unknown keys")
    func pipelineKeys() throws {
        var settings = PinterestFixtures.settings(["concurrency": .number("2")])
        settings.pipelineKeys = ["concurrency"]
        #expect(try PinterestDestination(settings).name == "pinterest")
    }
}
