@testable import BridgeCore
import BridgeDestinations
import Testing

@Suite("Google Data Manager item and request")
struct GooglePayloadTests {
    static let emailDigest = "878d77eb3b3c1061130d9a0aa7688ca78f3257b303ecaae9f7af7ddf257f40eb"
    /// SHA-256 of `+4917612345678`: Google hashes the phone with its `+`.
    static let phoneDigest = "1e223df45b8fa011012168eb1da60a4c98c5c56de860c53a57c3bf1c5e4efd7f"
    /// SHA-256 of `4917612345678`, the rendering without `+` Google must not get.
    static let phoneDigestWithoutPlus = "80a1ca6bae4914cdcadb953bcd48eb0b20e5f089abaf08b892ff037dab003f34"

    @Test("the fixture purchase renders as the golden request body")
    func goldenPurchase() throws {
        // Given the Standard Webhooks purchase fixture, prepared for Google
        let google = try GoogleFixtures.dataManager(["login_account_id": .string("9876543210"), "merchant_id": .string("1122334455")])
        let item = try GoogleFixtures.item(google, try DestinationFixtures.purchase())
        // When it is sent in a request
        let request = google.makeRequest(items: [item], batchID: "batch-1", now: DestinationFixtures.sentAt)
        // Then the body is the golden file, and the bytes sent are that JSON
        try GoldenFile.check(request.auditPayload, against: "google-purchase.json")
        #expect(try JSONParser.parse(request.body) == request.auditPayload)
        #expect(request.url == "https://datamanager.googleapis.com/v1/events:ingest")
        #expect(request.method == "POST")
        #expect(request.headers.contains(HeaderPair("content-type", "application/json")))
    }

    @Test("envelope: one destination with account, login account and conversion action; HEX; validateOnly false")
    func envelope() throws {
        let google = try GoogleFixtures.dataManager([
            "login_account_id": .string("987-654-3210"), "destination_reference": .string("ads_main"),
        ])
        let body = google.makeRequest(items: [], batchID: "b", now: DestinationFixtures.sentAt).auditPayload
        #expect(body["encoding"] == .string("HEX"))
        #expect(body["validateOnly"] == .bool(false))
        #expect(body["consent"] == nil, "consent travels per event")
        let destination = try #require(body["destinations"]?[0])
        #expect(body["destinations"]?.arrayValue?.count == 1)
        #expect(destination["operatingAccount"] == .object(["accountType": .string("GOOGLE_ADS"), "accountId": .string("1234567890")]))
        #expect(destination["loginAccount"] == .object(["accountType": .string("GOOGLE_ADS"), "accountId": .string("9876543210")]))
        #expect(destination["productDestinationId"] == .string("555111222"))
        #expect(destination["reference"] == .string("ads_main"))
    }

    @Test("validate_only: true sets validateOnly")
    func validateOnly() throws {
        let google = try GoogleFixtures.dataManager(["validate_only": .bool(true)])
        #expect(google.makeRequest(items: [], batchID: "b", now: DestinationFixtures.sentAt).auditPayload["validateOnly"] == .bool(true))
        let fromText = try GoogleFixtures.dataManager(["validate_only": .string("true")])
        #expect(fromText.makeRequest(items: [], batchID: "b", now: DestinationFixtures.sentAt).auditPayload["validateOnly"] == .bool(true))
    }

    @Test("event fields: transactionId is the event id, RFC 3339 time, exact value, upper-case currency")
    func eventFields() throws {
        let item = try GoogleFixtures.item(try GoogleFixtures.dataManager(), try DestinationFixtures.purchase())
        #expect(item["transactionId"] == .string("sale:acme-books:7K2M9Q"))
        #expect(item["eventTimestamp"] == .string("2026-03-14T15:05:12Z"))
        #expect(item["eventSource"] == .string("WEB"))
        #expect(item["conversionValue"] == .number("129.90"))
        #expect(item["currency"] == .string("EUR"))
        #expect(item["cartData"] == nil, "no cart without merchant_id")
    }

    @Test("transaction_id: order_id sends the order id, and falls back to the event id")
    func transactionFromOrder() throws {
        let google = try GoogleFixtures.dataManager(["transaction_id": .string("order_id")])
        var event = try DestinationFixtures.purchase()
        #expect(try GoogleFixtures.item(google, event)["transactionId"] == .string("7K2M9Q"))
        event.orderID = nil
        #expect(try GoogleFixtures.item(google, event)["transactionId"] == .string("sale:acme-books:7K2M9Q"))
    }

    @Test("identifiers: hashed e-mail, phone with +, names; region and postal code in clear")
    func userIdentifiers() throws {
        let item = try GoogleFixtures.item(try GoogleFixtures.dataManager(), try DestinationFixtures.purchase())
        let list = try #require(item["userData"]?["userIdentifiers"]?.arrayValue)
        #expect(list.count == 3)
        #expect(list[0] == .object(["emailAddress": .string(Self.emailDigest)]))
        #expect(list[1] == .object(["phoneNumber": .string(Self.phoneDigest)]))
        #expect(list[1]["phoneNumber"] != .string(Self.phoneDigestWithoutPlus))
        let address = try #require(list[2]["address"])
        #expect(address["givenName"] == .string("cf3a3bbe331c3950d16a8e9917c5bb8340e7c0ef917da25d4a96f92d074bce05"))
        #expect(address["familyName"] == .string("c7311d4137b8a37bc1218bec360eba3db8a7a297a82b25f063547054036838e3"))
        #expect(address["regionCode"] == .string("DE"))
        #expect(address["postalCode"] == .string("20095"))
        for entry in list {
            for key in ["emailAddress", "phoneNumber"] {
                if let digest = entry[key]?.stringValue { #expect(Self.isLowerHex64(digest)) }
            }
        }
        // No raw identifier anywhere except the clear ones Google wants.
        let text = JSONWriter.string(item)
        for raw in DestinationFixtures.rawIdentifiers { #expect(!text.contains(raw), "raw identifier leaked") }
    }

    @Test("a phone without + in the source is still hashed as +E.164 with the order's country")
    func phoneRendering() throws {
        var event = try DestinationFixtures.purchase()
        event.customer = CustomerIdentifiers([.phone: "(650) 555-1234", .country: "US"])
        let item = try GoogleFixtures.item(try GoogleFixtures.dataManager(), event)
        #expect(item["userData"]?["userIdentifiers"]?[0] == .object(["phoneNumber": .string(IdentifierHasher.sha256Hex("+16505551234"))]))
    }

    @Test("the address is sent only with all four parts")
    func incompleteAddress() throws {
        var event = try DestinationFixtures.purchase()
        event.customer[.postalCode] = nil
        let item = try GoogleFixtures.item(try GoogleFixtures.dataManager(), event)
        let list = try #require(item["userData"]?["userIdentifiers"]?.arrayValue)
        #expect(list.count == 2)
        #expect(!list.contains { $0["address"] != nil })
    }

    @Test("a value that is not a digest is never sent under a hashed key")
    func notHexNeverSent() throws {
        let google = try GoogleFixtures.dataManager()
        let event = try DestinationFixtures.purchase()
        // A forged prepared set whose "hashed" e-mail is clear text, and whose phone is upper-case hex.
        var forged = DestinationFixtures.identifiers(event, for: .google)
        forged.customer[.email] = .sent(PreparedValue(wireValue: "noah.schmidt@example.de", encoding: .sha256))
        forged.customer[.phone] = .sent(PreparedValue(wireValue: Self.phoneDigest.uppercased(), encoding: .sha256))
        guard case .item(let item) = google.makeItem(event, identifiers: forged, consent: GoogleFixtures.granted) else {
            Issue.record("expected an item")
            return
        }
        let text = JSONWriter.string(item.json)
        #expect(!text.contains("noah.schmidt@example.de"))
        #expect(!text.contains(Self.phoneDigest.uppercased()))
        let list = try #require(item["userData"]?["userIdentifiers"]?.arrayValue)
        #expect(list.count == 1 && list[0]["address"] != nil)
    }

    @Test("click ids and the landing-page device are in clear under adIdentifiers; one of gbraid and wbraid")
    func adIdentifiers() throws {
        var event = try DestinationFixtures.purchase()
        event.client = ClientContext(
            ipAddress: "203.0.113.7", userAgent: "Mozilla/5.0 (test)", clickIDs: [.gclid: "Cj0KCQiA-gclid", .gbraid: "0AAAA-gbraid", .wbraid: "wb-1"])
        let item = try GoogleFixtures.item(try GoogleFixtures.dataManager(), event)
        let ad = try #require(item["adIdentifiers"])
        #expect(ad["gclid"] == .string("Cj0KCQiA-gclid"))
        #expect(ad["gbraid"] == .string("0AAAA-gbraid"))
        #expect(ad["wbraid"] == nil)
        #expect(ad["landingPageDeviceInfo"] == .object(["userAgent": .string("Mozilla/5.0 (test)"), "ipAddress": .string("203.0.113.7")]))
    }

    @Test("the clear values are exactly the click ids, the device's user agent and IP, the region and postal code")
    func clearSpans() throws {
        let google = try GoogleFixtures.dataManager()
        var event = try DestinationFixtures.purchase()
        event.client[clickID: .gclid] = "Cj0KCQiA-gclid"
        event.client[clickID: .wbraid] = "wb-1"
        let item = try #require(GoogleFixtures.outcome(google, event).item)
        let agent = try #require(event.client.userAgent?.rawValue)
        // In the order they are written: the address, then adIdentifiers.
        let encoded = try item.encoded()
        #expect(encoded.clearSpans.map(\.value) == ["DE", "20095", "Cj0KCQiA-gclid", "wb-1", agent, "198.51.100.61"])
        let digested = String(decoding: encoded.replacingClearValues { "hmac-sha256:\($0.count)" }, as: UTF8.self)
        for value in ["Cj0KCQiA-gclid", "wb-1", "198.51.100.61", "Mozilla/5.0", "20095", "\"DE\""] {
            #expect(!digested.contains(value), "\(value) should be digested")
        }
        #expect(digested.contains(Self.emailDigest), "hashes stay as sent")
        // The audit log records the request body with the clear values digested.
        let (request, audited) = try google.audited(event)
        #expect(request.json["events"]?[0]?["adIdentifiers"]?["gclid"] == .string("Cj0KCQiA-gclid"))
        #expect(audited["events"]?[0]?["adIdentifiers"]?["gclid"] == .string("hmac-sha256:14"))
        #expect(audited["events"]?[0]?["userData"]?["userIdentifiers"]?[2]?["address"]?["postalCode"] == .string("hmac-sha256:5"))
    }

    @Test("consent: Consent Mode values, personalization denied under restrictions, omitted when unknown")
    func consent() throws {
        let google = try GoogleFixtures.dataManager()
        let event = try DestinationFixtures.purchase()
        #expect(
            try GoogleFixtures.item(google, event)["consent"]
                == .object(["adUserData": .string("CONSENT_GRANTED"), "adPersonalization": .string("CONSENT_GRANTED")]))
        let limited = ConsentDecision(
            action: .sendLimited, reason: .gpcOptOut,
            limitedDataUse: LimitedDataUse(restrictedProcessing: true, adUserData: .granted, adPersonalization: .granted, country: "US"))
        #expect(
            try GoogleFixtures.item(google, event, consent: limited)["consent"]
                == .object(["adUserData": .string("CONSENT_GRANTED"), "adPersonalization": .string("CONSENT_DENIED")]))
        let denied = ConsentDecision(action: .send, reason: .deniedAdPersonalization, limitedDataUse: LimitedDataUse(adUserData: .denied))
        #expect(try GoogleFixtures.item(google, event, consent: denied)["consent"] == .object(["adUserData": .string("CONSENT_DENIED")]))
        #expect(try GoogleFixtures.item(google, event, consent: DestinationFixtures.granted)["consent"] == nil)
    }

    @Test("skips: suppressed consent, refunds, no identifiers")
    func skips() throws {
        let google = try GoogleFixtures.dataManager()
        let event = try DestinationFixtures.purchase()
        #expect(GoogleFixtures.outcome(google, event, consent: .suppress(.deniedConsentMode)) == .skip(reason: "consent_suppressed"))
        #expect(GoogleFixtures.outcome(google, try DestinationFixtures.event("refund.json")) == .skip(reason: "refunds_not_supported"))
        var anonymous = event
        anonymous.customer = CustomerIdentifiers()
        anonymous.client = ClientContext(ipAddress: "203.0.113.7", userAgent: "Mozilla/5.0")
        #expect(GoogleFixtures.outcome(google, anonymous) == .skip(reason: "no_identifiers"))
        anonymous.client[clickID: .wbraid] = "wb-1"
        #expect(GoogleFixtures.outcome(google, anonymous) != .skip(reason: "no_identifiers"))
    }

    @Test("merchant_id adds cartData with string quantities and exact unit prices")
    func cartData() throws {
        let item = try GoogleFixtures.item(try GoogleFixtures.dataManager(["merchant_id": .string("1122334455")]), try DestinationFixtures.purchase())
        let cart = try #require(item["cartData"])
        #expect(cart["merchantId"] == .string("1122334455"))
        #expect(cart["items"]?[0] == .object(["merchantProductId": .string("BK-1001"), "quantity": .string("1"), "unitPrice": .number("34.00")]))
        #expect(cart["items"]?.arrayValue?.count == 3)
    }

    @Test("values keep every digit and the currency's minor unit", arguments: [("JPY", "4980", "4980"), ("KWD", "12.345", "12.345"), ("USD", "0.1", "0.10")])
    func exactValues(currency: String, value: String, expected: String) throws {
        var event = try DestinationFixtures.purchase()
        let code = try #require(Currency(code: currency))
        event.value = Money(amount: try #require(Money.Amount(value)).rescaled(to: code.minorUnit), currency: code)
        let item = try GoogleFixtures.item(try GoogleFixtures.dataManager(), event)
        #expect(item["conversionValue"] == .number(expected))
        #expect(item["currency"] == .string(currency))
    }

    @Test("an event time later than the send time is sent as the send time")
    func futureClamped() throws {
        var event = try DestinationFixtures.purchase()
        event.eventTime = DestinationFixtures.sentAt.advanced(by: .seconds(90))
        let google = try GoogleFixtures.dataManager()
        let request = google.makeRequest(items: [try GoogleFixtures.item(google, event, now: DestinationFixtures.sentAt)], batchID: "b", now: DestinationFixtures.sentAt)
        #expect(request.auditPayload["events"]?[0]?["eventTimestamp"] == .string(DestinationFixtures.sentAt.rfc3339))
    }

    @Test("limits: 2,000 events, 90 days by default; configurable within bounds")
    func limits() throws {
        let defaults = try GoogleFixtures.dataManager().limits
        #expect(defaults.maxEventsPerRequest == 2000)
        #expect(defaults.maxEventAgeSeconds == 90 * 86_400)
        #expect(defaults.maxBytesPerRequest == 4 << 20)
        #expect(defaults.requestTimeout == .milliseconds(10_000))
        let tuned = try GoogleFixtures.dataManager([
            "max_events_per_request": .number("500"), "max_event_age_days": .string("30"), "max_bytes_per_request": .number("65536"),
            "timeout_ms": .number("2500"),
        ]).limits
        #expect(tuned.maxEventsPerRequest == 500)
        #expect(tuned.maxEventAgeSeconds == 30 * 86_400)
        #expect(tuned.maxBytesPerRequest == 65536)
        #expect(tuned.requestTimeout == .milliseconds(2500))
    }

    @Test("credentials never reach the audit URL, the audit payload, the headers or the description")
    func noCredentialsInAudit() throws {
        let google = try GoogleFixtures.dataManager()
        let request = google.makeRequest(items: [try GoogleFixtures.item(google, try DestinationFixtures.purchase())], batchID: "b", now: DestinationFixtures.sentAt)
        let visible = [request.auditURL, JSONWriter.string(request.auditPayload), "\(google)", String(reflecting: google)]
            + request.headers.map(\.value)
        for text in visible {
            #expect(!text.contains(GoogleFixtures.clientSecret))
            #expect(!text.contains(GoogleFixtures.refreshToken))
        }
        // The pipeline adds the token as a bearer header, nowhere else.
        let authorized = google.authorizing(request, with: "ya29.token")
        #expect(authorized.headers.contains(HeaderPair("authorization", "Bearer ya29.token")))
        #expect(authorized.auditURL == request.auditURL)
        #expect(!JSONWriter.string(authorized.auditPayload).contains("ya29.token"))
    }

    static func isLowerHex64(_ text: String) -> Bool {
        text.count == 64 && text.allSatisfy { $0.isHexDigit && !$0.isUppercase }
    }
}
