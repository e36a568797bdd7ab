import BridgeCore
import BridgeDestinations
import Crypto
import Testing

@Suite("GA4 item and request")
struct GA4PayloadTests {
    @Test("the fixture purchase renders as the golden request body")
    func goldenPurchase() throws {
        // Given the Standard Webhooks purchase fixture with Consent Mode granted
        let ga4 = try GA4Fixtures.ga4()
        let item = try GA4Fixtures.item(ga4, try DestinationFixtures.purchase())
        // When it is sent
        let request = ga4.makeRequest(items: [item], batchID: "batch-1", now: DestinationFixtures.sentAt)
        // Then the body is the golden file, the item itself, as sent
        try GoldenFile.check(request.auditPayload, against: "ga4-purchase.json")
        #expect(try JSONParser.parse(request.body) == request.auditPayload)
        #expect(request.auditPayload == item)
    }

    @Test("timestamp in microseconds; purchase with transaction_id, exact value, upper-case currency and items")
    func event() throws {
        let item = try GA4Fixtures.item(try GA4Fixtures.ga4(), try DestinationFixtures.purchase())
        #expect(item["timestamp_micros"] == .number("1773500712000000"), "microseconds, 16 digits")
        let events = try #require(item["events"]?.arrayValue)
        #expect(events.count == 1)
        #expect(events[0]["name"] == .string("purchase"))
        let params = try #require(events[0]["params"])
        #expect(params["transaction_id"] == .string("sale:acme-books:7K2M9Q"))
        #expect(params["value"] == .number("129.90"))
        #expect(params["currency"] == .string("EUR"))
        #expect(params["items"]?[0] == .object([
            "item_id": .string("BK-1001"), "item_name": .string("Der Zauberberg (Hardcover)"), "price": .number("34.00"), "quantity": .number("1"),
        ]))
        #expect(params["items"]?.arrayValue?.count == 3)
        #expect(params["debug_mode"] == nil)
    }

    @Test("user_data: only GA4's SHA-256 fields hashed (64 lowercase hex), the address parts in clear")
    func userData() throws {
        let item = try GA4Fixtures.item(try GA4Fixtures.ga4(), try DestinationFixtures.purchase())
        let userData = try #require(item["user_data"])
        #expect(userData["sha256_email_address"] == .array([.string(IdentifierHasher.sha256Hex("noah.schmidt@example.de"))]))
        #expect(userData["sha256_phone_number"] == .array([.string(IdentifierHasher.sha256Hex("+4917612345678"))]), "E.164 with +")
        let address = try #require(userData["address"]?[0])
        #expect(address["sha256_first_name"] == .string(IdentifierHasher.sha256Hex("noah")))
        #expect(address["sha256_last_name"] == .string(IdentifierHasher.sha256Hex("schmidt")))
        for key in ["sha256_first_name", "sha256_last_name"] {
            let hash = try #require(address[key]?.stringValue)
            #expect(hash.count == 64 && hash.allSatisfy { $0.isHexDigit && !$0.isUppercase })
        }
        #expect(address["city"] == .string("hamburg"))
        #expect(address["postal_code"] == .string("20095"))
        #expect(address["country"] == .string("DE"))
        #expect(address["region"]?.stringValue?.lowercased() == "hh")
        let text = JSONWriter.string(item)
        for raw in ["noah.schmidt@example.de", "+4917612345678", "Noah", "Schmidt", "cust_10442", "1988-07-21"] {
            #expect(!text.contains(raw), "\(raw) must not be sent in clear")
        }
    }

    @Test("a hashed field that is not 64 lowercase hex is never sent")
    func neverNonHex() throws {
        var event = try DestinationFixtures.purchase()
        event.customer = CustomerIdentifiers([.email: "not an email", .firstName: "Noah"])
        let item = try GA4Fixtures.item(try GA4Fixtures.ga4(), event)
        #expect(item["user_data"]?["sha256_email_address"] == nil)
        #expect(item["user_data"]?["address"]?[0]?["sha256_first_name"] == .string(IdentifierHasher.sha256Hex("noah")))
    }

    @Test("client_id is derived from the transaction, shaped like a gtag id, and shared by a refund and its sale")
    func clientID() throws {
        let ga4 = try GA4Fixtures.ga4()
        let purchase = try GA4Fixtures.item(ga4, try DestinationFixtures.purchase())
        let refund = try GA4Fixtures.item(ga4, try DestinationFixtures.event("refund.json"))
        let id = try #require(purchase["client_id"]?.stringValue)
        let parts = id.split(separator: ".")
        #expect(parts.count == 2 && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isNumber) })
        #expect(refund["client_id"]?.stringValue == id)
        var other = try DestinationFixtures.purchase()
        other.eventID = "sale:acme-books:OTHER"
        #expect(try GA4Fixtures.item(ga4, other)["client_id"]?.stringValue != id)
        #expect(purchase["app_instance_id"] == nil)
    }

    @Test(
        "the event's _ga cookie or client id is the client_id; a malformed one falls back to the derived id",
        arguments: [
            ("GA1.1.1234567890.1795132000", "1234567890.1795132000"), ("GA1.2.987654321.1700000000", "987654321.1700000000"),
            ("1234567890.1795132000", "1234567890.1795132000"), ("  555.666  ", "555.666"),
        ])
    func clientIDFromEvent(raw: String, expected: String) throws {
        var event = try DestinationFixtures.purchase()
        event.client.gaClientID = PersonalData(raw)
        event.client.gaSessionID = PersonalData("1795131000")
        let item = try GA4Fixtures.item(try GA4Fixtures.ga4(), event)
        #expect(item["client_id"] == .string(expected))
        #expect(item["events"]?[0]?["params"]?["session_id"] == .string("1795131000"))
    }

    @Test("a client id with white space or control characters, or a non-numeric session id, is not sent")
    func malformedGAIdentifiers() throws {
        var event = try DestinationFixtures.purchase()
        let derived = try GA4Fixtures.item(try GA4Fixtures.ga4(), event)["client_id"]
        event.client.gaClientID = PersonalData("GA1.1.123 456.789")
        event.client.gaSessionID = PersonalData("17951x")
        let item = try GA4Fixtures.item(try GA4Fixtures.ga4(), event)
        #expect(item["client_id"] == derived)
        #expect(item["events"]?[0]?["params"]?["session_id"] == nil)
    }

    @Test("an app stream sends app_instance_id (32 hex) and firebase_app_id instead")
    func appStream() throws {
        let ga4 = try GA4Destination(DestinationSettings(
            name: "ga4-app", kind: "ga4", settings: ["firebase_app_id": .string("1:1234567890:android:abc123"), "api_secret": .string(GA4Fixtures.apiSecret)]))
        let item = try GA4Fixtures.item(ga4, try DestinationFixtures.purchase())
        let instance = try #require(item["app_instance_id"]?.stringValue)
        #expect(instance.count == 32 && instance.allSatisfy { $0.isHexDigit && !$0.isUppercase })
        #expect(item["client_id"] == nil)
        let request = ga4.makeRequest(items: [item], batchID: "b", now: DestinationFixtures.sentAt)
        #expect(request.url.contains("firebase_app_id=1%3A1234567890%3Aandroid%3Aabc123"))
        #expect(!request.url.contains("measurement_id"))
    }

    @Test("a refund is GA4's refund event with its sale's transaction_id and a positive value")
    func refund() throws {
        let item = try GA4Fixtures.item(try GA4Fixtures.ga4(), try DestinationFixtures.event("refund.json"))
        let event = try #require(item["events"]?[0])
        #expect(event["name"] == .string("refund"))
        #expect(event["params"]?["transaction_id"] == .string("sale:acme-books:7K2M9Q"))
        #expect(event["params"]?["value"] == .number("89.90"))
        #expect(event["params"]?["currency"] == .string("EUR"))
    }

    @Test("refunds: send_refunds false skips; a refund whose sale cannot be named is skipped; order_id mode uses the order")
    func refundRules() throws {
        let refund = try DestinationFixtures.event("refund.json")
        let identifiers = DestinationFixtures.identifiers(refund, for: .ga4)
        #expect(try GA4Fixtures.ga4(["send_refunds": .bool(false)]).makeItem(refund, identifiers: identifiers, consent: GA4Fixtures.granted)
            == .skip(reason: "refunds_disabled"))
        var odd = refund
        odd.eventID = "rf-123"
        #expect(try GA4Fixtures.ga4().makeItem(odd, identifiers: identifiers, consent: GA4Fixtures.granted) == .skip(reason: "refund_without_transaction_id"))
        let byOrder = try GA4Fixtures.ga4(["transaction_id": .string("order_id")])
        #expect(try GA4Fixtures.item(byOrder, odd)["events"]?[0]?["params"]?["transaction_id"] == .string("7K2M9Q"))
        #expect(try GA4Fixtures.item(byOrder, try DestinationFixtures.purchase())["events"]?[0]?["params"]?["transaction_id"] == .string("7K2M9Q"))
    }

    @Test("other events map to GA4's recommended names, without transaction_id", arguments: [
        (EventName.addToCart, "add_to_cart"), (.initiateCheckout, "begin_checkout"), (.lead, "generate_lead"),
        (.completeRegistration, "sign_up"), (.viewContent, "view_item"), (.startTrial, "start_trial"),
    ])
    func eventNames(name: EventName, expected: String) throws {
        var event = try DestinationFixtures.purchase()
        event.eventName = name
        let item = try GA4Fixtures.item(try GA4Fixtures.ga4(), event)
        #expect(item["events"]?[0]?["name"] == .string(expected))
        #expect(item["events"]?[0]?["params"]?["transaction_id"] == nil)
    }

    @Test("consent: Consent Mode values as GRANTED/DENIED; ad_user_data denied drops user_data; restricted denies personalization")
    func consent() throws {
        let ga4 = try GA4Fixtures.ga4()
        let event = try DestinationFixtures.purchase()
        let granted = try GA4Fixtures.item(ga4, event)
        #expect(granted["consent"] == .object(["ad_user_data": .string("GRANTED"), "ad_personalization": .string("GRANTED")]))
        let denied = try GA4Fixtures.item(ga4, event, consent: ConsentDecision(
            action: .sendLimited, reason: .deniedConsentMode, limitedDataUse: LimitedDataUse(adUserData: .denied, adPersonalization: .denied)))
        #expect(denied["consent"] == .object(["ad_user_data": .string("DENIED"), "ad_personalization": .string("DENIED")]))
        #expect(denied["user_data"] == nil)
        let restricted = try GA4Fixtures.item(ga4, event, consent: ConsentDecision(
            action: .sendLimited, reason: .grantedConsentMode,
            limitedDataUse: LimitedDataUse(restrictedProcessing: true, adUserData: .granted, adPersonalization: .granted)))
        #expect(restricted["consent"]?["ad_personalization"] == .string("DENIED"))
        #expect(restricted["user_data"] != nil)
        let unknown = try GA4Fixtures.item(ga4, event, consent: DestinationFixtures.granted)
        #expect(unknown["consent"] == nil, "unknown values are omitted")
        #expect(ga4.makeItem(event, identifiers: DestinationFixtures.identifiers(event, for: .ga4), consent: .suppress(.deniedConsentMode))
            == .skip(reason: "consent_suppressed"))
    }

    @Test("the clear values are exactly client_id, session_id, the address parts and ip_override")
    func clearSpans() throws {
        let ga4 = try GA4Fixtures.ga4()
        var event = try DestinationFixtures.purchase()
        event.client.gaClientID = PersonalData("GA1.1.1234567890.1795132000")
        event.client.gaSessionID = PersonalData("1795131000")
        let outcome = ga4.makeItem(event, identifiers: DestinationFixtures.identifiers(event, for: .ga4), consent: GA4Fixtures.granted)
        let encoded = try #require(outcome.item).encoded()
        #expect(encoded.clearSpans.map(\.value) == ["1234567890.1795132000", "1795131000", "hamburg", "hh", "20095", "DE", "198.51.100.61"])
        let digested = String(decoding: encoded.replacingClearValues { "hmac-sha256:\($0.count)" }, as: UTF8.self)
        for clear in ["198.51.100.61", "1234567890.1795132000", "1795131000", "hamburg", "20095", "\"DE\""] { #expect(!digested.contains(clear)) }
        let item = try JSONParser.parse(Array(digested.utf8))
        #expect(item["user_data"]?["sha256_email_address"] != nil, "hashes stay as sent")
        #expect(item["events"] != nil)
        // An app stream's instance id is clear the same way.
        let app = try GA4Destination(DestinationSettings(
            name: "ga4-app", kind: "ga4", settings: ["firebase_app_id": .string("1:1234567890:android:abc123"), "api_secret": .string(GA4Fixtures.apiSecret)]))
        let appItem = try #require(app.makeItem(event, identifiers: DestinationFixtures.identifiers(event, for: .ga4), consent: GA4Fixtures.granted).item)
        let instance = try #require(appItem["app_instance_id"]?.stringValue)
        #expect(try appItem.encoded().clearSpans.first?.value == instance)
    }

    @Test("the audit record of a request (the pipeline's [item]) hides the clear fields; the secret is only in the URL")
    func audit() throws {
        let ga4 = try GA4Fixtures.ga4()
        let item = try GA4Fixtures.item(ga4, try DestinationFixtures.purchase())
        let (request, record) = try ga4.audited(try DestinationFixtures.purchase())
        // The body is the item itself (one event per request).
        #expect(request.json["events"] == item["events"])
        let audited = JSONWriter.string(record)
        for clear in ["198.51.100.61", "hamburg", "20095", try #require(item["client_id"]?.stringValue)] { #expect(!audited.contains(clear)) }
        #expect(request.url.contains("api_secret=\(GA4Fixtures.apiSecret)"))
        #expect(request.url.hasPrefix("https://www.google-analytics.com/mp/collect?measurement_id=G-TEST123456&"))
        #expect(request.auditURL == "https://www.google-analytics.com/mp/collect?measurement_id=G-TEST123456")
        #expect(!JSONWriter.string(request.auditPayload).contains(GA4Fixtures.apiSecret))
        #expect(!String(describing: ga4).contains(GA4Fixtures.apiSecret))
        #expect(!String(reflecting: ga4).contains(GA4Fixtures.apiSecret))
        #expect(!request.headers.contains { $0.value.contains(GA4Fixtures.apiSecret) })
    }

    @Test("one request per event: requestGroups cuts a batch into single items")
    func requestGroups() throws {
        let ga4 = try GA4Fixtures.ga4()
        #expect(ga4.requestGroups(itemCount: 3) == [0..<1, 1..<2, 2..<3])
        #expect(ga4.requestGroups(itemCount: 0).isEmpty)
    }

    @Test("given several items anyway, their events share the first envelope, each with its own timestamp")
    func merged() throws {
        let ga4 = try GA4Fixtures.ga4()
        var later = try DestinationFixtures.purchase()
        later.eventID = "sale:acme-books:2"
        later.eventTime = later.eventTime.advanced(by: .seconds(10))
        let items = [try GA4Fixtures.item(ga4, try DestinationFixtures.purchase()), try GA4Fixtures.item(ga4, later)]
        let body = ga4.makeRequest(items: items, batchID: "b", now: DestinationFixtures.sentAt).auditPayload
        let events = try #require(body["events"]?.arrayValue)
        #expect(events.count == 2)
        #expect(events[1]["timestamp_micros"] == .number("1773500722000000"))
        #expect(body["client_id"] == items[0]["client_id"])
    }

    @Test("given several encoded items anyway, the merged body still writes every clear value as clear")
    func mergedKeepsClearValues() throws {
        let ga4 = try GA4Fixtures.ga4()
        var later = try DestinationFixtures.purchase()
        later.eventID = "sale:acme-books:2"
        later.client.gaSessionID = PersonalData("1795131000")
        let items = try [try DestinationFixtures.purchase(), later].map { event in
            try #require(ga4.makeItem(event, identifiers: DestinationFixtures.identifiers(event, for: .ga4), consent: GA4Fixtures.granted).item)
        }
        let request = ga4.makeRequest(items: items, batchID: "b", now: DestinationFixtures.sentAt)
        #expect(request.json["events"]?.arrayValue?.count == 2)
        #expect(request.json["events"]?[1]?["params"]?["session_id"] == .string("1795131000"))
        let audited = String(decoding: request.auditBody { "hmac-sha256:\($0.count)" } ?? [], as: UTF8.self)
        for clear in ["198.51.100.61", "1795131000", "hamburg", "20095", "\"DE\"", try #require(items[0]["client_id"]?.stringValue)] {
            #expect(!audited.contains(clear))
        }
        #expect(audited.contains(IdentifierHasher.sha256Hex("noah.schmidt@example.de")))
    }

    @Test("a timestamp in the future is sent as the send time")
    func futureClamped() throws {
        let ga4 = try GA4Fixtures.ga4()
        var event = try DestinationFixtures.purchase()
        event.eventTime = DestinationFixtures.sentAt.advanced(by: .seconds(60))
        let body = ga4.makeRequest(items: [try GA4Fixtures.item(ga4, event, now: DestinationFixtures.sentAt)], batchID: "b", now: DestinationFixtures.sentAt).auditPayload
        #expect(body["timestamp_micros"] == .number(String(DestinationFixtures.sentAt.millisecondsSinceEpoch * 1000)))
    }

    @Test("validation mode: /debug/mp/collect, validation_behavior in the body, debug_mode as an event parameter")
    func validation() throws {
        let ga4 = try GA4Fixtures.ga4([
            "validate_only": .bool(true), "validation_behavior": .string("ENFORCE_RECOMMENDATIONS"), "debug_mode": .string("true"),
        ])
        let item = try GA4Fixtures.item(ga4, try DestinationFixtures.purchase())
        #expect(item["validation_behavior"] == .string("ENFORCE_RECOMMENDATIONS"))
        #expect(item["events"]?[0]?["params"]?["debug_mode"] == .bool(true))
        let request = ga4.makeRequest(items: [item], batchID: "b", now: DestinationFixtures.sentAt)
        #expect(request.url.hasPrefix("https://www.google-analytics.com/debug/mp/collect?measurement_id="))
        #expect(try GA4Fixtures.ga4(["debug": .bool(true)]).endpoint.hasSuffix("/debug/mp/collect"))
    }
}

@Suite("GA4 configuration")
struct GA4ConfigTests {
    @Test("defaults: global host, 25 events claimed, under 130 kB, 72 hours")
    func defaults() throws {
        let ga4 = try GA4Fixtures.ga4()
        #expect(ga4.kind == "ga4")
        #expect(ga4.platform == .ga4)
        #expect(ga4.endpoint == "https://www.google-analytics.com/mp/collect")
        #expect(ga4.limits.maxEventsPerRequest == 25)
        #expect(ga4.limits.maxBytesPerRequest < 130_000)
        #expect(ga4.limits.maxEventAgeSeconds == 72 * 3600)
        #expect(ga4.requestGroups(itemCount: 3) == [0..<1, 1..<2, 2..<3])
        #expect(try DestinationRegistry.make(GA4Fixtures.settings()) is GA4Destination)
    }

    @Test("the validation server and DebugView are test modes; plain collection is not")
    func testMode() throws {
        #expect(try !GA4Fixtures.ga4().sendsToTestMode)
        #expect(try GA4Fixtures.ga4(["validate_only": .bool(true)]).sendsToTestMode)
        #expect(try GA4Fixtures.ga4(["debug": .string("true")]).sendsToTestMode)
        #expect(try GA4Fixtures.ga4(["debug_mode": .bool(true)]).sendsToTestMode)
        // Through the protocol, as the pipeline sees it.
        let destination: any Destination = try GA4Fixtures.ga4(["validate_only": .bool(true)])
        #expect(destination.sendsToTestMode)
    }

    @Test("region eu collects through region1; base_url wins over region")
    func region() throws {
        #expect(try GA4Fixtures.ga4(["region": .string("eu")]).endpoint == "https://region1.google-analytics.com/mp/collect")
        #expect(try GA4Fixtures.ga4(["region": .string("eu"), "base_url": .string("http://127.0.0.1:9/")]).endpoint == "http://127.0.0.1:9/mp/collect")
    }

    @Test("limits come from the configuration, within GA4's bounds")
    func limits() throws {
        let ga4 = try GA4Fixtures.ga4(["max_events_per_request": .string("10"), "max_bytes_per_request": .number("65536"), "timeout_ms": .number("1500")])
        #expect(ga4.limits.maxEventsPerRequest == 10)
        #expect(ga4.limits.maxBytesPerRequest == 65536)
        #expect(ga4.limits.requestTimeout == .milliseconds(1500))
    }

    @Test("refused settings name the key and never the secret", arguments: [
        (["max_events_per_request": JSONValue.number("26")], "max_events_per_request"),
        (["max_bytes_per_request": .number("130000")], "max_bytes_per_request"),
        (["api_secret": .null], "api_secret"),
        (["measurement_id": .string("1234567")], "measurement_id"),
        (["measurement_id": .null], "measurement_id"),
        (["firebase_app_id": .string("1:2:android:3")], "firebase_app_id"),
        (["region": .string("us")], "region"),
        (["validation_behavior": .string("STRICT")], "validation_behavior"),
        (["transaction_id": .string("payment_id")], "transaction_id"),
        (["validate_onyl": .bool(true)], "validate_onyl"),
    ])
    func refused(extra: [String: JSONValue], key: String) throws {
        do {
            _ = try GA4Fixtures.ga4(extra)
            Issue.record("should have thrown for \(key)")
        } catch let error as DestinationConfigError {
            #expect(error.keyPath == key)
            #expect(!error.description.contains(GA4Fixtures.apiSecret))
        }
    }

    @Test("a typo is an unknown key")
    func unknownKey() throws {
        #expect(throws: DestinationConfigError(
            code: .unknownKey, destination: "ga4", keyPath: "measurment_id",
            message: "unknown key for kind ga4; known keys: " + [
                "allow_insecure", "api_secret", "base_url", "debug", "debug_mode", "firebase_app_id", "max_bytes_per_request", "max_events_per_request",
                "measurement_id", "region", "send_refunds", "timeout_ms", "transaction_id", "validate_only", "validation_behavior",
                "validation_sample_rate",
            ].joined(separator: ", "))) {
            try GA4Fixtures.ga4(["measurment_id": .string("G-X")])
        }
    }
}
