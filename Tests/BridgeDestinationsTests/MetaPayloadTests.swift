import BridgeCore
import BridgeDestinations
import Testing

@Suite("Meta item")
struct MetaPayloadTests {
    @Test("the fixture purchase renders as the golden request body")
    func goldenPurchase() throws {
        // Given the Standard Webhooks purchase fixture, prepared for Meta
        let meta = try DestinationFixtures.meta()
        let event = try DestinationFixtures.purchase()
        let item = try DestinationFixtures.item(meta, event)
        // When it is sent in a request
        let request = meta.makeRequest(items: [item], batchID: "batch-1", now: DestinationFixtures.sentAt)
        // Then the body is the golden file, and the bytes sent are that JSON
        try GoldenFile.check(request.auditPayload, against: "meta-purchase.json")
        #expect(try JSONParser.parse(request.body) == request.auditPayload, "the audit payload is the body as sent")
    }

    @Test("hashed keys are lists of one 64-hex string; clear keys are strings")
    func userDataForms() throws {
        let item = try DestinationFixtures.item(try DestinationFixtures.meta(), try DestinationFixtures.purchase())
        let userData = try #require(item["user_data"]?.objectValue)
        for key in ["em", "ph", "fn", "ln", "db", "ge", "ct", "st", "zp", "country", "external_id"] {
            let list = try #require(userData[key]?.arrayValue, "\(key) should be a list")
            #expect(list.count == 1)
            let hash = try #require(list.first?.stringValue)
            #expect(hash.count == 64 && hash.allSatisfy { $0.isHexDigit && !$0.isUppercase }, "\(key)")
        }
        #expect(userData["client_ip_address"] == .string("198.51.100.61"))
        #expect(userData["client_user_agent"]?.stringValue?.hasPrefix("Mozilla/5.0") == true)
        #expect(userData["fbc"]?.stringValue?.hasPrefix("fb.1.1773500000000.IwZXh0bgNhZW0") == true)
        #expect(userData["fbp"] == .string("fb.1.1773499990000.1122334455"))
        // The e-mail is Meta's normalization (trim, lowercase) hashed.
        #expect(userData["em"] == .array([.string("878d77eb3b3c1061130d9a0aa7688ca78f3257b303ecaae9f7af7ddf257f40eb")]))
    }

    @Test("no raw identifier appears anywhere in the item except the clear browser fields")
    func noRawIdentifiers() throws {
        let item = try DestinationFixtures.item(try DestinationFixtures.meta(), try DestinationFixtures.purchase())
        let text = JSONWriter.string(item)
        for raw in DestinationFixtures.rawIdentifiers {
            #expect(!text.contains(raw), "raw identifier leaked")
        }
    }

    @Test("custom_data: exact value with the currency's decimals, lowercase currency, contents")
    func customData() throws {
        let item = try DestinationFixtures.item(try DestinationFixtures.meta(), try DestinationFixtures.purchase())
        let custom = try #require(item["custom_data"])
        #expect(custom["value"] == .number("129.90"))
        #expect(custom["currency"] == .string("eur"))
        #expect(custom["order_id"] == .string("7K2M9Q"))
        #expect(custom["content_type"] == .string("product"))
        #expect(custom["num_items"] == .number("3"))
        #expect(custom["content_ids"] == .array([.string("BK-1001"), .string("BK-2040"), .string("SHIP")]))
        #expect(custom["contents"]?[0] == .object(["id": .string("BK-1001"), "quantity": .number("1"), "item_price": .number("34.00")]))
        #expect(item["event_time"] == .number("1773500712"))
        #expect(item["event_name"] == .string("Purchase"))
        #expect(item["action_source"] == .string("website"))
        #expect(item["event_source_url"]?.stringValue?.hasPrefix("https://books.example.de/zauberberg?fbclid=") == true)
        #expect(item["data_processing_options"] == nil)
        #expect(item["opt_out"] == nil)
    }

    @Test("values keep every digit and the currency's minor unit", arguments: [
        ("JPY", "4980", "4980"), ("KWD", "12.345", "12.345"), ("EUR", "1234567890123.45", "1234567890123.45"), ("USD", "0.1", "0.10"),
    ])
    func exactValues(currency: String, value: String, expected: String) throws {
        var event = try DestinationFixtures.purchase()
        let code = try #require(Currency(code: currency))
        let amount = try #require(Money.Amount(value))
        event.value = Money(amount: amount.rescaled(to: code.minorUnit), currency: code)
        event.lineItems = []
        let item = try DestinationFixtures.item(try DestinationFixtures.meta(), event)
        #expect(item["custom_data"]?["value"] == .number(expected))
        #expect(item["custom_data"]?["currency"] == .string(currency.lowercased()))
        #expect(item["custom_data"]?["contents"] == nil)
    }

    @Test("a refund is the custom event Refund with its positive value")
    func refund() throws {
        let event = try DestinationFixtures.event("refund.json")
        let item = try DestinationFixtures.item(try DestinationFixtures.meta(), event)
        #expect(item["event_name"] == .string("Refund"))
        #expect(item["custom_data"]?["value"] == .number("89.90"))
        try GoldenFile.check(item, against: "meta-refund-item.json")
    }

    @Test("send_refunds: false skips refunds")
    func refundsDisabled() throws {
        let meta = try DestinationFixtures.meta(["send_refunds": .bool(false)])
        let event = try DestinationFixtures.event("refund.json")
        let outcome = meta.makeItem(event, identifiers: DestinationFixtures.identifiers(event), consent: DestinationFixtures.granted)
        #expect(outcome == .skip(reason: "refunds_disabled"))
    }

    @Test("a purchase without a value is skipped rather than sinking the batch")
    func purchaseWithoutValue() throws {
        var event = try DestinationFixtures.purchase()
        event.value = nil
        let outcome = try DestinationFixtures.meta().makeItem(event, identifiers: DestinationFixtures.identifiers(event), consent: DestinationFixtures.granted)
        #expect(outcome == .skip(reason: "purchase_without_value"))
    }

    @Test("a suppressed decision is skipped")
    func suppressed() throws {
        let event = try DestinationFixtures.purchase()
        let outcome = try DestinationFixtures.meta().makeItem(
            event, identifiers: DestinationFixtures.identifiers(event), consent: .suppress(.deniedConsentMode))
        #expect(outcome == .skip(reason: "consent_suppressed"))
    }

    @Test("fbc is built from fbclid as fb.1.<event time ms>.<fbclid>, case kept")
    func fbcFromFbclid() throws {
        var event = try DestinationFixtures.purchase()
        event.client = ClientContext(clickIDs: [.fbclid: "IwAR2aBcDeF"])
        event.customer = CustomerIdentifiers([.email: "someone@example.com"])
        let item = try DestinationFixtures.item(try DestinationFixtures.meta(), event)
        #expect(item["user_data"]?["fbc"] == .string("fb.1.1773500712000.IwAR2aBcDeF"))
    }

    @Test("a path-only landing URL is made absolute with site_url, else the configured event_source_url is used")
    func eventSourceURL() throws {
        var event = try DestinationFixtures.purchase()
        event.client = ClientContext(ipAddress: "198.51.100.61", landingURL: "/products/lamp?utm_source=x")
        let withSite = try DestinationFixtures.item(try DestinationFixtures.meta(["site_url": .string("https://shop.example.com/")]), event)
        #expect(withSite["event_source_url"] == .string("https://shop.example.com/products/lamp?utm_source=x"))
        let withFallback = try DestinationFixtures.item(
            try DestinationFixtures.meta(["event_source_url": .string("https://shop.example.com/checkout")]), event)
        #expect(withFallback["event_source_url"] == .string("https://shop.example.com/checkout"))
        let without = try DestinationFixtures.item(try DestinationFixtures.meta(), event)
        #expect(without["event_source_url"] == nil)
    }

    @Test("configured action_source is used")
    func actionSource() throws {
        let item = try DestinationFixtures.item(try DestinationFixtures.meta(["action_source": .string("system_generated")]), try DestinationFixtures.purchase())
        #expect(item["action_source"] == .string("system_generated"))
    }
}

@Suite("Meta skip rules")
struct MetaSkipRuleTests {
    /// An event with only these raw identifiers.
    func outcome(customer: [CustomerField: PersonalData], client: ClientContext = ClientContext()) throws -> ItemOutcome {
        var event = try DestinationFixtures.purchase()
        event.customer = CustomerIdentifiers(customer)
        event.client = client
        return try DestinationFixtures.meta().makeItem(event, identifiers: DestinationFixtures.identifiers(event), consent: DestinationFixtures.granted)
    }

    @Test("no identifier at all is skipped")
    func none() throws {
        #expect(try outcome(customer: [:]) == .skip(reason: "no_identifiers"))
    }

    @Test("only an invalid combination since Graph v13 is skipped", arguments: [
        ([CustomerField.city: PersonalData("Hamburg"), .country: "DE", .state: "HH", .postalCode: "20095", .gender: "m"], true),
        ([.dateOfBirth: "1988-07-21"], true),
        ([.firstName: "Noah", .gender: "m"], false),
        ([.lastName: "Schmidt", .gender: "m"], false),
        ([.country: "DE"], false),
    ])
    func insufficient(customer: [CustomerField: PersonalData], withUserAgent: Bool) throws {
        let client = withUserAgent ? ClientContext(userAgent: "Mozilla/5.0") : ClientContext()
        #expect(try outcome(customer: customer, client: client) == .skip(reason: "insufficient_identifiers"))
    }

    @Test("a name and gender with a user agent is not a refused combination")
    func nameGenderUserAgent() throws {
        guard case .item = try outcome(customer: [.firstName: "Noah", .gender: "m"], client: ClientContext(userAgent: "Mozilla/5.0")) else {
            Issue.record("should be sent")
            return
        }
    }

    @Test("a user agent alone is insufficient; with an IP address it is enough")
    func userAgent() throws {
        #expect(try outcome(customer: [:], client: ClientContext(userAgent: "Mozilla/5.0")) == .skip(reason: "insufficient_identifiers"))
        guard case .item = try outcome(customer: [:], client: ClientContext(ipAddress: "198.51.100.61", userAgent: "Mozilla/5.0")) else {
            Issue.record("IP and user agent should be sent")
            return
        }
    }

    @Test("valid combinations are sent", arguments: [
        [CustomerField.email: PersonalData("a@example.com")],
        [.firstName: "Noah", .lastName: "Schmidt", .gender: "m"],
        [.externalID: "cust_1"],
        [.phone: "+4917612345678"],
    ])
    func valid(customer: [CustomerField: PersonalData]) throws {
        guard case .item = try outcome(customer: customer) else {
            Issue.record("should be sent")
            return
        }
    }
}

@Suite("Meta Limited Data Use")
struct MetaLimitedDataUseTests {
    func item(_ limited: LimitedDataUse, action: ConsentDecision.Action = .sendLimited) throws -> JSONValue {
        let consent = ConsentDecision(action: action, reason: .gpcOptOut, limitedDataUse: limited)
        return try DestinationFixtures.item(try DestinationFixtures.meta(), try DestinationFixtures.purchase(), consent: consent)
    }

    @Test("California opt-out: LDU with country 1 and state 1000")
    func california() throws {
        let item = try item(LimitedDataUse(restrictedProcessing: true, country: "US", state: "CA"))
        #expect(item["data_processing_options"] == .array([.string("LDU")]))
        #expect(item["data_processing_options_country"] == .number("1"))
        #expect(item["data_processing_options_state"] == .number("1000"))
        #expect(item["opt_out"] == nil)
    }

    @Test("another US state: LDU with country 1 and state 0")
    func otherState() throws {
        let item = try item(LimitedDataUse(restrictedProcessing: true, country: "US", state: "CO"))
        #expect(item["data_processing_options_country"] == .number("1"))
        #expect(item["data_processing_options_state"] == .number("0"))
    }

    @Test("unknown region: LDU with geolocation (0, 0)")
    func geolocate() throws {
        let item = try item(LimitedDataUse(restrictedProcessing: true))
        #expect(item["data_processing_options"] == .array([.string("LDU")]))
        #expect(item["data_processing_options_country"] == .number("0"))
        #expect(item["data_processing_options_state"] == .number("0"))
    }

    @Test("attribution only: opt_out true and no LDU fields")
    func attributionOnly() throws {
        let item = try item(LimitedDataUse(attributionOnly: true))
        #expect(item["opt_out"] == .bool(true))
        #expect(item["data_processing_options"] == nil)
        #expect(item["data_processing_options_country"] == nil)
    }

    @Test("no restriction: none of the privacy fields")
    func unrestricted() throws {
        let item = try item(LimitedDataUse(country: "US", state: "CA"), action: .send)
        for key in ["data_processing_options", "data_processing_options_country", "data_processing_options_state", "opt_out"] {
            #expect(item[key] == nil, "\(key)")
        }
    }
}
