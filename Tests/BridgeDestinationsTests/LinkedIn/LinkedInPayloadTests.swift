import BridgeCore
import BridgeDestinations
import Crypto
import Testing

@Suite("LinkedIn item and request")
struct LinkedInPayloadTests {
    @Test("the fixture purchase renders as the golden request body")
    func goldenPurchase() throws {
        // Given the Standard Webhooks purchase fixture, prepared for LinkedIn
        let linkedIn = try LinkedInFixtures.linkedIn()
        let item = try DestinationFixtures.item(linkedIn, try DestinationFixtures.purchase())
        // When it is sent in a request
        let request = linkedIn.makeRequest(items: [item], batchID: "batch-1", now: DestinationFixtures.sentAt)
        // Then the body is the golden file, and the bytes sent are that JSON
        try GoldenFile.check(request.auditPayload, against: "linkedin-purchase.json")
        #expect(try JSONParser.parse(request.body) == request.auditPayload)
        #expect(request.auditPayload["elements"]?[0] == item)
    }

    @Test("conversion URN, epoch milliseconds, value as a decimal string, event id")
    func fields() throws {
        let item = try DestinationFixtures.item(try LinkedInFixtures.linkedIn(), try DestinationFixtures.purchase())
        #expect(item["conversion"] == .string("urn:lla:llaPartnerConversion:104012"))
        #expect(item["conversionHappenedAt"] == .number("1773500712000"), "milliseconds, 13 digits")
        #expect(item["conversionValue"] == .object(["currencyCode": .string("EUR"), "amount": .string("129.90")]))
        #expect(item["eventId"] == .string("sale:acme-books:7K2M9Q"))
    }

    @Test("the e-mail is SHA256_EMAIL as 64 lowercase hex of the trimmed lowercase address")
    func hashedEmail() throws {
        let item = try DestinationFixtures.item(try LinkedInFixtures.linkedIn(), try DestinationFixtures.purchase())
        let ids = try #require(item["user"]?["userIds"]?.arrayValue)
        #expect(ids.count == 1)
        #expect(ids[0]["idType"] == .string("SHA256_EMAIL"))
        let digest = try #require(ids[0]["idValue"]?.stringValue)
        #expect(digest == IdentifierHasher.sha256Hex("noah.schmidt@example.de"))
        #expect(digest.count == 64 && digest.allSatisfy { $0.isHexDigit && !$0.isUppercase })
    }

    @Test("names and country go in clear in userInfo; phone, city and birth date are not sent")
    func userInfo() throws {
        let item = try DestinationFixtures.item(try LinkedInFixtures.linkedIn(), try DestinationFixtures.purchase())
        #expect(item["user"]?["userInfo"] == .object(["firstName": .string("Noah"), "lastName": .string("Schmidt"), "countryCode": .string("DE")]))
        let text = JSONWriter.string(item)
        for raw in ["noah.schmidt@example.de", "4917612345678", "Hamburg", "1988-07-21", "20095"] {
            #expect(!text.contains(raw), "\(raw) must not be sent to LinkedIn")
        }
    }

    @Test("userInfo needs both names; send_user_info: false never sends it")
    func userInfoNeedsBothNames() throws {
        var event = try DestinationFixtures.purchase()
        event.customer[.lastName] = nil
        let item = try DestinationFixtures.item(try LinkedInFixtures.linkedIn(), event)
        #expect(item["user"]?["userInfo"] == nil)
        let withoutNames = try DestinationFixtures.item(try LinkedInFixtures.linkedIn(["send_user_info": .bool(false)]), try DestinationFixtures.purchase())
        #expect(withoutNames["user"]?["userInfo"] == nil)
        #expect(withoutNames["user"]?["userIds"]?.arrayValue?.count == 1)
    }

    @Test("li_fat_id is sent in clear as LINKEDIN_FIRST_PARTY_ADS_TRACKING_UUID after the e-mail")
    func clickID() throws {
        let item = try DestinationFixtures.item(try LinkedInFixtures.linkedIn(), try LinkedInFixtures.purchaseWithClickID())
        let ids = try #require(item["user"]?["userIds"]?.arrayValue)
        #expect(ids.map { $0["idType"]?.stringValue } == ["SHA256_EMAIL", "LINKEDIN_FIRST_PARTY_ADS_TRACKING_UUID"])
        #expect(ids[1]["idValue"] == .string("3f6d2b1e-8c4a-4e7f-9a21-5b0c7d9e1f42"))
    }

    @Test("an event with only a li_fat_id, or only names, is sent; with nothing usable it is skipped")
    func minimalIdentifiers() throws {
        let linkedIn = try LinkedInFixtures.linkedIn()
        var event = try LinkedInFixtures.purchaseWithClickID()
        event.customer = CustomerIdentifiers()
        let clickOnly = try DestinationFixtures.item(linkedIn, event)
        #expect(clickOnly["user"]?["userIds"]?[0]?["idType"] == .string("LINKEDIN_FIRST_PARTY_ADS_TRACKING_UUID"))
        #expect(clickOnly["user"]?["userInfo"] == nil)
        event.client = ClientContext()
        event.customer = CustomerIdentifiers([.firstName: "Noah", .lastName: "Schmidt"])
        let namesOnly = try DestinationFixtures.item(linkedIn, event)
        #expect(namesOnly["user"]?["userIds"] == .array([]), "userIds is required even when empty")
        event.customer = CustomerIdentifiers([.phone: "+4917612345678", .firstName: "Noah"])
        let outcome = linkedIn.makeItem(event, identifiers: DestinationFixtures.identifiers(event, for: .linkedin), consent: DestinationFixtures.granted)
        #expect(outcome == .skip(reason: "no_identifiers"))
    }

    @Test("refunds are skipped (LinkedIn has no refund); other event names have no conversion rule")
    func skips() throws {
        let linkedIn = try LinkedInFixtures.linkedIn()
        let refund = try DestinationFixtures.event("refund.json")
        #expect(linkedIn.makeItem(refund, identifiers: DestinationFixtures.identifiers(refund, for: .linkedin), consent: DestinationFixtures.granted)
            == .skip(reason: "refunds_not_supported"))
        var lead = try DestinationFixtures.purchase()
        lead.eventName = .lead
        #expect(linkedIn.makeItem(lead, identifiers: DestinationFixtures.identifiers(lead, for: .linkedin), consent: DestinationFixtures.granted)
            == .skip(reason: "no_conversion_rule"))
    }

    @Test("suppressed, or restricted in a way LinkedIn cannot carry: skipped, since userInfo is clear text")
    func consent() throws {
        let linkedIn = try LinkedInFixtures.linkedIn()
        let event = try DestinationFixtures.purchase()
        let identifiers = DestinationFixtures.identifiers(event, for: .linkedin)
        #expect(linkedIn.makeItem(event, identifiers: identifiers, consent: .suppress(.deniedConsentMode)) == .skip(reason: "consent_suppressed"))
        let limited = ConsentDecision(action: .sendLimited, reason: .grantedConsentMode, limitedDataUse: LimitedDataUse(restrictedProcessing: true))
        #expect(linkedIn.makeItem(event, identifiers: identifiers, consent: limited) == .skip(reason: "consent_suppressed"))
        let attribution = ConsentDecision(action: .sendLimited, reason: .grantedConsentMode, limitedDataUse: LimitedDataUse(attributionOnly: true))
        #expect(linkedIn.makeItem(event, identifiers: identifiers, consent: attribution) == .skip(reason: "consent_suppressed"))
    }

    @Test("the clear values are exactly the li_fat_id and the userInfo members; the e-mail digest is not one")
    func clearSpans() throws {
        let linkedIn = try LinkedInFixtures.linkedIn()
        func clearValues(_ event: ConversionEvent) throws -> [String] {
            let outcome = linkedIn.makeItem(event, identifiers: DestinationFixtures.identifiers(event, for: .linkedin), consent: DestinationFixtures.granted)
            return try #require(outcome.item).encoded().clearSpans.map(\.value)
        }
        let fatID = "3f6d2b1e-8c4a-4e7f-9a21-5b0c7d9e1f42"
        #expect(try clearValues(try LinkedInFixtures.purchaseWithClickID()) == [fatID, "Noah", "Schmidt", "DE"])
        #expect(try clearValues(try DestinationFixtures.purchase()) == ["Noah", "Schmidt", "DE"])
        // With a li_fat_id only, it sits at index 0 and is clear there too.
        var event = try LinkedInFixtures.purchaseWithClickID()
        event.customer = CustomerIdentifiers()
        #expect(try clearValues(event) == [fatID])
        // What remains once the clear values are digested: the conversion, the event id and the e-mail digest.
        let item = try #require(linkedIn.makeItem(
            try LinkedInFixtures.purchaseWithClickID(), identifiers: DestinationFixtures.identifiers(try LinkedInFixtures.purchaseWithClickID(), for: .linkedin),
            consent: DestinationFixtures.granted).item)
        let digested = String(decoding: try item.encoded().replacingClearValues { "hmac-sha256:\($0.count)" }, as: UTF8.self)
        for clear in LinkedInFixtures.clearValues { #expect(!digested.contains(clear), "a clear value stays in the audit record") }
        #expect(digested.contains("urn:lla:llaPartnerConversion:104012") && digested.contains("sale:acme-books:7K2M9Q"))
        #expect(digested.contains(IdentifierHasher.sha256Hex("noah.schmidt@example.de")))
    }

    @Test("the audit digests of a whole request hide names and click id; no credential in the audit payload or URL")
    func audit() throws {
        let linkedIn = try LinkedInFixtures.linkedIn()
        let (request, record) = try linkedIn.audited(try LinkedInFixtures.purchaseWithClickID(), count: 2)
        let audited = JSONWriter.string(record)
        for clear in LinkedInFixtures.clearValues { #expect(!audited.contains(clear)) }
        #expect(audited.contains("urn:lla:llaPartnerConversion:104012"))
        #expect(!audited.contains(LinkedInFixtures.token))
        #expect(!request.auditURL.contains(LinkedInFixtures.token))
        #expect(!String(describing: linkedIn).contains(LinkedInFixtures.token))
        #expect(!String(reflecting: linkedIn).contains(LinkedInFixtures.token))
    }

    @Test("headers: BATCH_CREATE, LinkedIn-Version, Rest.li 2.0.0, bearer token; body {elements}")
    func request() throws {
        let linkedIn = try LinkedInFixtures.linkedIn(["api_version": .string("202601"), "base_url": .string("http://127.0.0.1:9/")])
        let item = try DestinationFixtures.item(linkedIn, try DestinationFixtures.purchase())
        let request = linkedIn.makeRequest(items: [item], batchID: "b", now: DestinationFixtures.sentAt)
        #expect(request.method == "POST")
        #expect(request.url == "http://127.0.0.1:9/rest/conversionEvents")
        #expect(request.auditURL == request.url)
        let headers = Dictionary(request.headers.map { ($0.name.lowercased(), $0.value) }, uniquingKeysWith: { $1 })
        #expect(headers["x-restli-method"] == "BATCH_CREATE")
        #expect(headers["linkedin-version"] == "202601")
        #expect(headers["x-restli-protocol-version"] == "2.0.0")
        #expect(headers["content-type"] == "application/json")
        #expect(headers["authorization"] == "Bearer \(LinkedInFixtures.token)")
        #expect(request.auditPayload["elements"]?.arrayValue?.count == 1)
    }

    @Test("a conversion time in the future is sent as the send time")
    func futureClamped() throws {
        let linkedIn = try LinkedInFixtures.linkedIn()
        var event = try DestinationFixtures.purchase()
        event.eventTime = DestinationFixtures.sentAt.advanced(by: .seconds(120))
        let request = linkedIn.makeRequest(items: [try DestinationFixtures.item(linkedIn, event, now: DestinationFixtures.sentAt)], batchID: "b", now: DestinationFixtures.sentAt)
        #expect(request.auditPayload["elements"]?[0]?["conversionHappenedAt"] == .number(String(DestinationFixtures.sentAt.millisecondsSinceEpoch)))
    }
}

@Suite("LinkedIn configuration")
struct LinkedInConfigTests {
    @Test("defaults: api.linkedin.com, version 202603, 5,000 events, 90 days, no token issuer with a static token")
    func defaults() throws {
        let linkedIn = try LinkedInFixtures.linkedIn()
        #expect(linkedIn.kind == "linkedin")
        #expect(linkedIn.platform == .linkedin)
        #expect(linkedIn.endpoint == "https://api.linkedin.com/rest/conversionEvents")
        #expect(linkedIn.limits.maxEventsPerRequest == 5000)
        #expect(linkedIn.limits.maxEventAgeSeconds == 90 * 86_400)
        #expect(linkedIn.limits.requestTimeout == .milliseconds(10_000))
        #expect(try linkedIn.audited(try LinkedInFixtures.purchaseWithClickID(), count: 2).request.json["elements"]?.arrayValue?.count == 2)
        #expect(linkedIn.tokenIssuer == nil)
        let made = try DestinationRegistry.make(LinkedInFixtures.settings())
        #expect(made is LinkedInDestination)
    }

    @Test("limits come from the configuration, within LinkedIn's bounds")
    func limits() throws {
        let linkedIn = try LinkedInFixtures.linkedIn([
            "max_events_per_request": .string("200"), "max_bytes_per_request": .number("65536"), "timeout_ms": .number("2500"),
        ])
        #expect(linkedIn.limits.maxEventsPerRequest == 200)
        #expect(linkedIn.limits.maxBytesPerRequest == 65536)
        #expect(linkedIn.limits.requestTimeout == .milliseconds(2500))
        #expect(throws: DestinationConfigError.self) { try LinkedInFixtures.linkedIn(["max_events_per_request": .number("5001")]) }
    }

    @Test("an unknown key is refused, naming it but no value")
    func unknownKey() throws {
        do {
            _ = try LinkedInFixtures.linkedIn(["conversion_rule": .string("1")])
            Issue.record("should have thrown")
        } catch let error as DestinationConfigError {
            #expect(error.code == .unknownKey)
            #expect(error.keyPath == "conversion_rule")
            #expect(!error.description.contains(LinkedInFixtures.token))
        }
    }

    @Test("refused settings", arguments: [
        (["conversion_rule_id": JSONValue.null], "conversion_rule_id"),
        (["conversion_rule_id": .string("urn:lla:llaPartnerConversion:1")], "conversion_rule_id"),
        (["api_version": .string("2026-03")], "api_version"),
        (["api_version": .string("202613")], "api_version"),
        (["base_url": .string("ftp://example.com")], "base_url"),
        (["access_token": .null], "access_token"),
        (["refresh_token": .string("r")], "refresh_token"),
        (["client_id": .string("c")], "client_id"),
    ])
    func refused(extra: [String: JSONValue], key: String) throws {
        do {
            _ = try LinkedInFixtures.linkedIn(extra)
            Issue.record("should have thrown for \(key)")
        } catch let error as DestinationConfigError {
            #expect(error.keyPath == key)
            #expect(!error.description.contains(LinkedInFixtures.token))
        }
    }

    @Test("refresh_token needs client_id and client_secret")
    func refreshNeedsClient() throws {
        var settings = LinkedInFixtures.oauthSettings()
        settings.settings["client_secret"] = nil
        #expect(throws: DestinationConfigError.self) { try LinkedInDestination(settings) }
    }

    @Test("with refresh_token: LinkedIn's token URL, a form refresh grant, no Authorization header until the pipeline adds one")
    func oauth() throws {
        let linkedIn = try LinkedInDestination(LinkedInFixtures.oauthSettings())
        let issuer = try #require(linkedIn.tokenIssuer)
        let tokenRequest = issuer.tokenRequest(now: DestinationFixtures.sentAt)
        #expect(tokenRequest.url == "https://www.linkedin.com/oauth/v2/accessToken")
        let form = String(decoding: tokenRequest.body, as: UTF8.self)
        #expect(form.contains("grant_type=refresh_token"))
        #expect(form.contains("client_id=li-client"))
        #expect(form.contains("refresh_token=\(LinkedInFixtures.refreshToken)"))
        #expect(!JSONWriter.string(tokenRequest.auditPayload).contains(LinkedInFixtures.clientSecret))
        #expect(!issuer.cacheKey.contains(LinkedInFixtures.clientSecret) && !issuer.cacheKey.contains(LinkedInFixtures.refreshToken))
        let item = try DestinationFixtures.item(linkedIn, try DestinationFixtures.purchase())
        let request = linkedIn.makeRequest(items: [item], batchID: "b", now: DestinationFixtures.sentAt)
        #expect(!request.headers.contains { $0.name.lowercased() == "authorization" })
        let authorized = linkedIn.authorizing(request, with: "fresh-token")
        #expect(authorized.headers.contains(HeaderPair("authorization", "Bearer fresh-token")))
        let custom = try LinkedInDestination(LinkedInFixtures.oauthSettings(["token_url": .string("http://127.0.0.1:9/token")]))
        #expect(custom.tokenIssuer?.tokenRequest(now: DestinationFixtures.sentAt).url == "http://127.0.0.1:9/token")
        #expect(!String(describing: linkedIn).contains(LinkedInFixtures.clientSecret))
        #expect(!String(reflecting: linkedIn).contains(LinkedInFixtures.refreshToken))
    }
}
