import BridgeCore
import BridgeDestinations
import Testing

@Suite("Meta request")
struct MetaRequestTests {
    func request(_ extra: [String: JSONValue] = [:], now: Timestamp = DestinationFixtures.sentAt) throws -> OutboundRequest {
        let meta = try DestinationFixtures.meta(extra)
        let item = try DestinationFixtures.item(meta, try DestinationFixtures.purchase(), now: now)
        return meta.makeRequest(items: [item], batchID: "batch-1", now: now)
    }

    @Test("POST {base_url}/{api_version}/{pixel_id}/events with the token as a query parameter")
    func endpoint() throws {
        let request = try request()
        #expect(request.method == "POST")
        #expect(request.url == "https://graph.facebook.com/v26.0/1234567890/events?access_token=\(DestinationFixtures.token)")
        #expect(request.auditURL == "https://graph.facebook.com/v26.0/1234567890/events")
        #expect(request.headers.contains(HeaderPair("content-type", "application/json")))
    }

    @Test("the token never appears in the audit payload, the audit URL, the body or the description")
    func tokenNotAudited() throws {
        let meta = try DestinationFixtures.meta(["app_secret": .string("app-secret-value")])
        let item = try DestinationFixtures.item(meta, try DestinationFixtures.purchase())
        let request = meta.makeRequest(items: [item], batchID: "b", now: DestinationFixtures.sentAt)
        for text in [JSONWriter.string(request.auditPayload), request.auditURL, String(decoding: request.body, as: UTF8.self), "\(meta)", String(reflecting: meta)] {
            #expect(!text.contains(DestinationFixtures.token))
            #expect(!text.contains("app-secret-value"))
            #expect(!text.contains("appsecret_proof"))
        }
    }

    @Test("base_url and api_version come from the settings; trailing slashes are dropped")
    func configuredEndpoint() throws {
        let request = try request(["base_url": .string("http://127.0.0.1:8099/"), "api_version": .string("v25.0")])
        #expect(request.auditURL == "http://127.0.0.1:8099/v25.0/1234567890/events")
    }

    @Test("app_secret adds appsecret_proof = hex HMAC-SHA256(app_secret, token)")
    func appSecretProof() throws {
        let request = try request(["app_secret": .string("s3cr3t")])
        // python3 -c "import hmac,hashlib;print(hmac.new(b's3cr3t',b'EAAB-test-token-7f3c9a1e5b2d',hashlib.sha256).hexdigest())"
        #expect(request.url.hasSuffix("&appsecret_proof=346ff9bca5f129ceb03bb3700761ce21af121ccc6041653a8421762f95146777"))
    }

    @Test("test_event_code and partner_agent are top-level fields")
    func topLevelFields() throws {
        let request = try request(["test_event_code": .string("TEST12345"), "partner_agent": .string("acme_2_1")])
        #expect(request.auditPayload["test_event_code"] == .string("TEST12345"))
        #expect(request.auditPayload["partner_agent"] == .string("acme_2_1"))
        let plain = try self.request()
        #expect(plain.auditPayload["test_event_code"] == nil)
        #expect(plain.auditPayload["partner_agent"] == .string(MetaDestination.defaultPartnerAgent))
    }

    @Test("an event_time ahead of the send time is sent as the send time")
    func futureTimeClamped() throws {
        let before = Timestamp(secondsSinceEpoch: 1_773_500_000)
        let request = try request(now: before)
        #expect(request.auditPayload["data"]?[0]?["event_time"] == .number("1773500000"))
    }

    @Test("the token is percent-encoded in the query")
    func tokenEncoding() throws {
        let meta = try MetaDestination(DestinationSettings(name: "m", kind: "meta", settings: ["pixel_id": .number("42"), "access_token": .string("a+b/c=")]))
        let request = meta.makeRequest(items: [], batchID: "b", now: DestinationFixtures.sentAt)
        #expect(request.url.hasSuffix("?access_token=a%2Bb%2Fc%3D"))
    }

    @Test("clear fields are the browser fields and the page URL, under /data/* in the audit payload")
    func clearFields() throws {
        let meta = try DestinationFixtures.meta()
        let (request, audited) = try meta.audited(try DestinationFixtures.purchase())
        for path in ["/user_data/client_ip_address", "/user_data/client_user_agent", "/user_data/fbc", "/user_data/fbp", "/event_source_url"] {
            let inBody = try #require(JSONPointer(parsing: "/data/0" + path))
            let sent = try #require(inBody.resolve(in: request.auditPayload)?.stringValue, "\(path)")
            #expect(inBody.resolve(in: audited) == .string("hmac-sha256:\(sent.count)"), "\(path)")
        }
        #expect(audited["data"]?[0]?["user_data"]?["em"] == request.auditPayload["data"]?[0]?["user_data"]?["em"], "hashed: kept")
    }

    @Test("the item's clear spans are exactly the values Meta takes unhashed: page URL, IP address, user agent, fbc, fbp")
    func clearSpans() throws {
        // Given the fixture purchase, with its landing URL, browser fields and both Meta cookies
        let event = try DestinationFixtures.purchase()
        let outcome = try DestinationFixtures.meta().makeItem(event, identifiers: DestinationFixtures.identifiers(event), consent: DestinationFixtures.granted)
        let item = try #require(outcome.item)
        // Then exactly those values are marked clear, in the order they are written
        let client = event.client
        let expected = [client.landingURL, client.ipAddress, client.userAgent, client[clickID: .fbc], client[clickID: .fbp]].map { $0?.rawValue }
        #expect(try item.encoded().clearSpans.map(\.value) == expected.compactMap { $0 })
        #expect(expected.allSatisfy { $0 != nil }, "the fixture carries every clear field")

        // And an fbc built from an fbclid is clear too
        var clicked = event
        clicked.client = ClientContext(clickIDs: [.fbclid: "IwAR2aBcDeF"])
        let built = try #require(try DestinationFixtures.meta().makeItem(clicked, identifiers: DestinationFixtures.identifiers(clicked), consent: DestinationFixtures.granted).item)
        #expect(try built.encoded().clearSpans.map(\.value) == ["fb.1.1773500712000.IwAR2aBcDeF"])
    }

    @Test("limits: 1,000 events, 1 MiB, 7 days (62 for physical stores), 5 s timeout")
    func limits() throws {
        let meta = try DestinationFixtures.meta()
        #expect(meta.limits == DestinationLimits(
            maxEventsPerRequest: 1000, maxBytesPerRequest: 1 << 20, maxEventAgeSeconds: 7 * 86_400, maxFutureSkewSeconds: 300,
            requestTimeout: .milliseconds(5000)))
        let store = try DestinationFixtures.meta(["action_source": .string("physical_store"), "timeout_ms": .string("1500")])
        #expect(store.limits.maxEventAgeSeconds == 62 * 86_400)
        #expect(store.limits.requestTimeout == .milliseconds(1500))
    }
}
