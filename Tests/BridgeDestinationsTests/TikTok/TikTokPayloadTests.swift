import BridgeDestinations
import Testing

@testable import BridgeCore

@Suite("TikTok item and request")
struct TikTokPayloadTests {
    let purchase: ConversionEvent

    init() throws {
        purchase = try DestinationFixtures.purchase()
    }

    @Test("the fixture purchase renders as the golden request body")
    func goldenPurchase() throws {
        // Given the Standard Webhooks purchase fixture, prepared for TikTok
        let tiktok = try TikTokFixtures.destination()
        let item = try DestinationFixtures.item(tiktok, purchase)
        // When it is sent in a request
        let request = tiktok.makeRequest(items: [item], batchID: "batch-1", now: DestinationFixtures.sentAt)
        // Then the body is the golden file, and the bytes sent are that JSON
        try GoldenFile.check(request.auditPayload, against: "tiktok-purchase.json")
        #expect(try JSONParser.parse(request.body) == request.auditPayload, "the audit payload is the body as sent")
    }

    @Test("the request: POST to /open_api/v1.3/event/track/ with Access-Token, web source, pixel code, partner name")
    func request() throws {
        let tiktok = try TikTokFixtures.destination(["base_url": .string("https://proxy.example.com/")])
        let request = tiktok.makeRequest(items: [try DestinationFixtures.item(tiktok, purchase)], batchID: "b", now: DestinationFixtures.sentAt)
        #expect(request.method == "POST")
        #expect(request.url == "https://proxy.example.com/open_api/v1.3/event/track/")
        #expect(request.headers.contains(HeaderPair("access-token", DestinationFixtures.token)))
        #expect(request.headers.contains(HeaderPair("content-type", "application/json")))
        #expect(request.auditPayload["event_source"] == .string("web"))
        #expect(request.auditPayload["event_source_id"] == .string(TikTokFixtures.pixelCode))
        #expect(request.auditPayload["partner_name"] == .string("CapiBridge"))
        #expect(request.auditPayload["test_event_code"] == nil)
        #expect(request.auditPayload["data"]?.arrayValue?.count == 1)
        #expect(TikTokDestination.defaultBaseURL == "https://business-api.tiktok.com")
    }

    @Test("the access token is never in auditURL, auditPayload, the body or description")
    func tokenStaysSecret() throws {
        let tiktok = try TikTokFixtures.destination()
        let request = tiktok.makeRequest(items: [try DestinationFixtures.item(tiktok, purchase)], batchID: "b", now: DestinationFixtures.sentAt)
        #expect(!request.auditURL.contains(DestinationFixtures.token))
        #expect(!request.url.contains(DestinationFixtures.token))
        #expect(!JSONWriter.string(request.auditPayload).contains(DestinationFixtures.token))
        #expect(!String(decoding: request.body, as: UTF8.self).contains(DestinationFixtures.token))
        #expect(!"\(tiktok)".contains(DestinationFixtures.token))
        #expect(!String(reflecting: tiktok).contains(DestinationFixtures.token))
    }

    @Test("user: email, phone, external_id as lists of one digest; names and zip as digests; phone hashed with +")
    func hashedUserFields() throws {
        let item = try DestinationFixtures.item(try TikTokFixtures.destination(), purchase)
        let user = try #require(item["user"]?.objectValue)
        #expect(user["email"] == .array([.string(IdentifierHasher.sha256Hex("noah.schmidt@example.de"))]))
        #expect(user["phone"] == .array([.string(IdentifierHasher.sha256Hex("+4917612345678"))]), "TikTok hashes E.164 with the +")
        #expect(user["phone"] != .array([.string(IdentifierHasher.sha256Hex("4917612345678"))]))
        #expect(user["external_id"] == .array([.string(IdentifierHasher.sha256Hex("cust_10442"))]))
        #expect(user["first_name"] == .string(IdentifierHasher.sha256Hex("noah")))
        #expect(user["last_name"] == .string(IdentifierHasher.sha256Hex("schmidt")))
        #expect(user["zip_code"] == .string(IdentifierHasher.sha256Hex("20095")))
        for key in ["first_name", "last_name", "zip_code"] {
            #expect(TikTokSnapHex.isSHA256(user[key]?.stringValue), "\(key)")
        }
        for key in ["email", "phone", "external_id"] {
            #expect(TikTokSnapHex.isSHA256(user[key]?[0]?.stringValue), "\(key)")
        }
        // TikTok has no date of birth or gender field.
        #expect(user["db"] == nil && user["ge"] == nil && user["date_of_birth"] == nil && user["gender"] == nil)
    }

    @Test("TikTok's published phone vector: (+1)2133734253 hashes as +12133734253")
    func publishedPhoneVector() throws {
        var event = purchase
        event.customer = CustomerIdentifiers([.phone: "(+1)2133734253"])
        let item = try DestinationFixtures.item(try TikTokFixtures.destination(), event)
        #expect(item["user"]?["phone"] == .array([.string("9f7ec22d72092cd3c0b58726ed9c2d91b92e51a3f29837508fb2948bb22dd2fd")]))
    }

    @Test("clear fields: ip, user_agent, ttclid, city, state, country, page.url")
    func clearFields() throws {
        var event = purchase
        event.client[clickID: .ttclid] = "E.C.P.v3Xyz123"
        let tiktok = try TikTokFixtures.destination()
        let item = try DestinationFixtures.item(tiktok, event)
        let user = try #require(item["user"]?.objectValue)
        #expect(user["ip"] == .string("198.51.100.61"))
        #expect(user["user_agent"]?.stringValue?.hasPrefix("Mozilla/5.0") == true)
        #expect(user["ttclid"] == .string("E.C.P.v3Xyz123"))
        #expect(user["city"] == .string("hamburg"))
        #expect(user["state"] == .string("hh"))
        #expect(user["country"] == .string("de"))
        #expect(item["page"]?["url"]?.stringValue?.hasPrefix("https://books.example.de/zauberberg") == true)
        // Every clear value is written as one (sealed at rest, digested in the audit log).
        let (request, audited) = try tiktok.audited(event)
        for path in ["/user/ip", "/user/user_agent", "/user/ttclid", "/user/city", "/user/state", "/user/country", "/page/url"] {
            let inBody = try #require(JSONPointer(parsing: "/data/0" + path))
            let sent = try #require(inBody.resolve(in: request.json)?.stringValue, "\(path)")
            #expect(inBody.resolve(in: audited) == .string("hmac-sha256:\(sent.count)"), "\(path)")
        }
        #expect(request.json["data"]?[0]?["user"]?["ip"] == .string("198.51.100.61"))
        #expect(audited["data"]?[0]?["user"]?["ip"] == .string("hmac-sha256:13"))
        #expect(audited["data"]?[0]?["user"]?["email"] == request.json["data"]?[0]?["user"]?["email"], "hashed: kept")
    }

    @Test("the item's clear spans are exactly the values TikTok takes unhashed: city, state, country, ttclid, IP, user agent, page URL")
    func clearSpans() throws {
        // Given the fixture purchase with a ttclid
        var event = purchase
        event.client[clickID: .ttclid] = "E.C.P.v3Xyz123"
        let outcome = try TikTokFixtures.destination().makeItem(
            event, identifiers: DestinationFixtures.identifiers(event, for: .tiktok), consent: DestinationFixtures.granted)
        let item = try #require(outcome.item)
        // Then exactly the clear location, browser and page values are marked clear, in the order they are written
        let agent = try #require(event.client.userAgent?.rawValue)
        let page = try #require(event.client.landingURL?.rawValue)
        #expect(try item.encoded().clearSpans.map(\.value) == ["hamburg", "hh", "de", "E.C.P.v3Xyz123", "198.51.100.61", agent, page])
    }

    @Test("no raw identifier appears in the item except the clear location and browser fields")
    func noRawIdentifiers() throws {
        let text = JSONWriter.string(try DestinationFixtures.item(try TikTokFixtures.destination(), purchase))
        for raw in ["noah.schmidt@example.de", "+4917612345678", "4917612345678", "Noah", "noah", "Schmidt", "cust_10442", "20095", "1988"] {
            #expect(!text.contains(raw), "raw identifier leaked")
        }
    }

    @Test("a value that is not 64 lowercase hex is never sent under a hashed key")
    func nonHexNeverHashedKey() throws {
        var identifiers = PreparedIdentifiers(platform: .tiktok)
        identifiers.customer[.email] = .sent(PreparedValue(wireValue: "noah.schmidt@example.de", encoding: .sha256))
        identifiers.customer[.phone] = .sent(PreparedValue(wireValue: String(repeating: "A", count: 64), encoding: .sha256))
        identifiers.customer[.externalID] = .sent(PreparedValue(wireValue: IdentifierHasher.sha256Hex("x"), encoding: .sha256))
        let outcome = try TikTokFixtures.destination().makeItem(purchase, identifiers: identifiers, consent: DestinationFixtures.granted)
        guard case .item(let item) = outcome else {
            Issue.record("expected an item")
            return
        }
        #expect(item["user"]?["email"] == nil)
        #expect(item["user"]?["phone"] == nil)
        #expect(item["user"]?["external_id"] == .array([.string(IdentifierHasher.sha256Hex("x"))]))
    }

    @Test("event, event_time in Unix seconds, event_id, properties with exact value and upper-case currency")
    func eventAndProperties() throws {
        let item = try DestinationFixtures.item(try TikTokFixtures.destination(), purchase)
        #expect(item["event"] == .string("Purchase"))
        #expect(item["event_time"] == .number("1773500712"), "seconds, not milliseconds")
        #expect(item["event_id"] == .string("sale:acme-books:7K2M9Q"))
        let properties = try #require(item["properties"])
        #expect(properties["value"] == .number("129.90"))
        #expect(properties["currency"] == .string("EUR"))
        #expect(properties["order_id"] == .string("7K2M9Q"))
        #expect(properties["content_type"] == .string("product"))
        #expect(properties["num_items"] == .number("3"))
        #expect(
            properties["contents"]?[0]
                == .object([
                    "content_id": .string("BK-1001"), "content_name": .string("Der Zauberberg (Hardcover)"), "quantity": .number("1"),
                    "price": .number("34.00"),
                ]))
    }

    @Test("values keep every digit and the currency's minor unit", arguments: [("JPY", "4980", "4980"), ("KWD", "12.345", "12.345"), ("USD", "0.1", "0.10")])
    func exactValues(currency: String, value: String, expected: String) throws {
        var event = purchase
        let code = try #require(Currency(code: currency))
        event.value = Money(amount: try #require(Money.Amount(value)).rescaled(to: code.minorUnit), currency: code)
        let item = try DestinationFixtures.item(try TikTokFixtures.destination(), event)
        #expect(item["properties"]?["value"] == .number(expected))
        #expect(item["properties"]?["currency"] == .string(currency))
    }

    @Test("purchase_event picks TikTok's purchase name; other names pass through")
    func eventNames() throws {
        let complete = try DestinationFixtures.item(try TikTokFixtures.destination(["purchase_event": .string("CompletePayment")]), purchase)
        #expect(complete["event"] == .string("CompletePayment"))
        var cart = purchase
        cart.eventName = .addToCart
        #expect(try DestinationFixtures.item(try TikTokFixtures.destination(), cart)["event"] == .string("AddToCart"))
    }

    @Test("limited_data_use: false normally, true under restricted processing")
    func limitedDataUse() throws {
        let tiktok = try TikTokFixtures.destination()
        #expect(try DestinationFixtures.item(tiktok, purchase)["limited_data_use"] == .bool(false))
        let limited = ConsentDecision(
            action: .sendLimited, reason: .gpcOptOut, limitedDataUse: LimitedDataUse(restrictedProcessing: true, country: "US", state: "CA"))
        let item = try DestinationFixtures.item(tiktok, purchase, consent: limited)
        #expect(item["limited_data_use"] == .bool(true))
        #expect(item["data_processing_options"] == nil)
    }

    @Test("attribution-only has no TikTok field: the event is skipped, never sent with limited_data_use false")
    func attributionOnlySkipped() throws {
        let consent = ConsentDecision(
            action: .sendLimited, reason: .deniedAdPersonalization, limitedDataUse: LimitedDataUse(attributionOnly: true))
        let outcome = try TikTokFixtures.destination().makeItem(
            purchase, identifiers: DestinationFixtures.identifiers(purchase, for: .tiktok), consent: consent)
        #expect(outcome == .skip(reason: "consent_suppressed"))
    }

    @Test("test_event_code is sent at the top level, and test events go one per request")
    func testMode() throws {
        let tiktok = try TikTokFixtures.destination(["test_event_code": .string("TEST12345"), "max_events_per_request": .number("500")])
        let request = tiktok.makeRequest(items: [try DestinationFixtures.item(tiktok, purchase)], batchID: "b", now: DestinationFixtures.sentAt)
        #expect(request.auditPayload["test_event_code"] == .string("TEST12345"))
        #expect(tiktok.limits.maxEventsPerRequest == 1)
    }

    @Test("a future event_time is sent as the send time")
    func futureClamped() throws {
        var event = purchase
        event.eventTime = DestinationFixtures.sentAt.advanced(by: .seconds(120))
        let tiktok = try TikTokFixtures.destination()
        let request = tiktok.makeRequest(items: [try DestinationFixtures.item(tiktok, event, now: DestinationFixtures.sentAt)], batchID: "b", now: DestinationFixtures.sentAt)
        #expect(request.auditPayload["data"]?[0]?["event_time"] == .number(String(DestinationFixtures.sentAt.secondsSinceEpoch)))
    }

    @Test("skips: refunds, suppressed consent, no identifiers, no page URL")
    func skips() throws {
        let tiktok = try TikTokFixtures.destination()
        let refund = try DestinationFixtures.event("refund.json")
        #expect(tiktok.makeItem(refund, identifiers: DestinationFixtures.identifiers(refund, for: .tiktok), consent: DestinationFixtures.granted)
            == .skip(reason: "refund_not_supported"))
        #expect(tiktok.makeItem(purchase, identifiers: DestinationFixtures.identifiers(purchase, for: .tiktok), consent: .suppress(.gpcOptOut))
            == .skip(reason: "consent_suppressed"))
        var anonymous = purchase
        anonymous.customer = CustomerIdentifiers()
        anonymous.client = ClientContext(landingURL: "https://shop.example.com/")
        #expect(tiktok.makeItem(anonymous, identifiers: DestinationFixtures.identifiers(anonymous, for: .tiktok), consent: DestinationFixtures.granted)
            == .skip(reason: "no_identifiers"))
        var noPage = purchase
        noPage.client = ClientContext(ipAddress: "198.51.100.61")
        #expect(tiktok.makeItem(noPage, identifiers: DestinationFixtures.identifiers(noPage, for: .tiktok), consent: DestinationFixtures.granted)
            == .skip(reason: "no_page_url"))
    }

    @Test("a path-only landing URL uses site_url; without a landing URL, page_url")
    func pageURLFallbacks() throws {
        var event = purchase
        event.client = ClientContext(ipAddress: "198.51.100.61", landingURL: "/products/lamp")
        let site = try DestinationFixtures.item(try TikTokFixtures.destination(["site_url": .string("https://shop.example.com/")]), event)
        #expect(site["page"]?["url"] == .string("https://shop.example.com/products/lamp"))
        let fallback = try DestinationFixtures.item(try TikTokFixtures.destination(["page_url": .string("https://shop.example.com/thanks")]), event)
        #expect(fallback["page"]?["url"] == .string("https://shop.example.com/thanks"))
    }
}

@Suite("TikTok configuration")
struct TikTokConfigTests {
    func error(_ extra: [String: JSONValue]) -> DestinationConfigError? {
        do {
            _ = try DestinationRegistry.make(TikTokFixtures.settings(extra))
            return nil
        } catch {
            return error
        }
    }

    @Test("the registry makes kind tiktok")
    func registered() throws {
        let destination = try DestinationRegistry.make(TikTokFixtures.settings())
        #expect(destination.kind == "tiktok")
        #expect(destination.platform == .tiktok)
        #expect(DestinationRegistry.kinds.contains("tiktok"))
    }

    @Test("default limits: 1,000 events, 1 MiB, 7 days, 5 s")
    func defaultLimits() throws {
        let limits = try TikTokFixtures.destination().limits
        #expect(limits.maxEventsPerRequest == 1000)
        #expect(limits.maxBytesPerRequest == 1 << 20)
        #expect(limits.maxEventAgeSeconds == 7 * 86_400)
        #expect(limits.requestTimeout == .milliseconds(5000))
    }

    @Test("limits from config, numbers as text too")
    func configuredLimits() throws {
        let limits = try TikTokFixtures.destination([
            "max_events_per_request": .string("250"), "max_bytes_per_request": .number("65536"), "max_event_age_days": .number("28"),
            "timeout_ms": .number("1500"),
        ]).limits
        #expect(limits.maxEventsPerRequest == 250)
        #expect(limits.maxBytesPerRequest == 65536)
        #expect(limits.maxEventAgeSeconds == 28 * 86_400)
        #expect(limits.requestTimeout == .milliseconds(1500))
    }

    @Test("key problems name the key", arguments: [
        (["pixel_code": JSONValue.null], "pixel_code", DestinationConfigError.Code.missingKey),
        (["pixel_code": .string("C0-ABC")], "pixel_code", .invalidValue),
        (["access_token": .string(" ")], "access_token", .missingKey),
        (["base_url": .string("business-api.tiktok.com")], "base_url", .invalidValue),
        (["max_events_per_request": .number("1001")], "max_events_per_request", .invalidValue),
        (["max_event_age_days": .number("29")], "max_event_age_days", .invalidValue),
        (["purchase_event": .string("Buy")], "purchase_event", .invalidValue),
        // PlaceAnOrder is a separate TikTok event, not a purchase name (tiktok.md §2).
        (["purchase_event": .string("PlaceAnOrder")], "purchase_event", .invalidValue),
        (["test_event_cod": .string("TEST1")], "test_event_cod", .unknownKey),
        (["pixel_id": .string("123")], "pixel_id", .unknownKey),
    ])
    func errors(extra: [String: JSONValue], key: String, code: DestinationConfigError.Code) {
        let failure = error(extra)
        #expect(failure?.keyPath == key)
        #expect(failure?.code == code)
        #expect(failure?.destination == "tiktok")
    }

    @Test("errors never repeat the token")
    func noSecretInErrors() {
        let failure = error(["access_token": .string("tt-super-secret"), "pixel_code": .string("bad code!")])
        #expect(failure != nil)
        #expect(failure.map { !"\($0)".contains("tt-super-secret") } == true)
    }
}

/// 64 lowercase hex digits.
enum TikTokSnapHex {
    static func isSHA256(_ text: String?) -> Bool {
        guard let text else { return false }
        return text.utf8.count == 64 && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }
}
