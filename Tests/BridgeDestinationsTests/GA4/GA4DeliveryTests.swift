import BridgeCore
import BridgeDestinations
import BridgeMocks
import Testing

/// The GA4 destination sending over real HTTP on loopback to the mock
/// Measurement Protocol endpoint, one request per event as the pipeline does.
@Suite("GA4 delivery over HTTP")
struct GA4DeliveryTests {
    func start(secret: String = GA4Fixtures.apiSecret) async throws -> MockPlatformServer {
        try await MockPlatformServer.start(MockGA4API(), options: .init(expectedToken: secret))
    }

    func ga4(_ mock: MockPlatformServer, _ extra: [String: JSONValue] = [:]) throws -> GA4Destination {
        try GA4Fixtures.ga4(["base_url": .string(mock.baseURL)].merging(extra) { _, new in new })
    }

    /// Sends `items` the way the pipeline does: one request per `requestGroups` range.
    func deliver(_ ga4: GA4Destination, _ items: [JSONValue], now: Timestamp = LoopbackSender.now()) async -> [DeliveryVerdict] {
        var verdicts: [DeliveryVerdict] = []
        for group in ga4.requestGroups(itemCount: items.count) {
            verdicts.append(await LoopbackSender.deliver(ga4, items: Array(items[group]), now: now))
        }
        return verdicts
    }

    @Test("success: one 204 per event, with the stream, secret and body GA4 expects")
    func success() async throws {
        let mock = try await start()
        let ga4 = try ga4(mock)
        let items = try GA4Fixtures.items(3, for: ga4)
        let verdicts = await deliver(ga4, items)
        await mock.stop()
        #expect(verdicts == [.delivered, .delivered, .delivered])
        #expect(mock.requestCount == 3)
        let exchange = try #require(mock.exchanges.first)
        #expect(exchange.status == 204 && exchange.responseBody.isEmpty)
        #expect(exchange.problems.isEmpty)
        #expect(exchange.request.path == "/mp/collect")
        #expect(exchange.request.query["measurement_id"] == GA4Fixtures.measurementID)
        #expect(exchange.request.query["api_secret"] == GA4Fixtures.apiSecret)
        #expect(exchange.request.json == items[0])
        #expect(mock.acceptedEventIDs == ["sale:t:0", "sale:t:1", "sale:t:2"])
    }

    @Test("validate_only: the validation server's messages dead-letter a bad event; a good one passes")
    func validation() async throws {
        let mock = try await start()
        let ga4 = try ga4(mock, ["validate_only": .bool(true)])
        let now = LoopbackSender.now()
        var items = try GA4Fixtures.items(2, for: ga4, now: now)
        items[1] = FreshEvents.setting(items[1], ["timestamp_micros"], to: .number(String((now.millisecondsSinceEpoch - 73 * 3_600_000) * 1000)))
        let verdicts = await deliver(ga4, items, now: now)
        await mock.stop()
        #expect(verdicts[0] == .delivered)
        let reason = try #require(verdicts[1].deadLetterReason)
        #expect(reason.platformCode == "VALUE_OUT_OF_BOUNDS")
        #expect(reason.message.contains("timestamp_micros"))
        #expect(mock.exchanges.allSatisfy { $0.request.path == "/debug/mp/collect" && $0.status == 200 })
    }

    @Test("validate_only: a refused event's validation message is a dead letter")
    func validationRejects() async throws {
        let mock = try await start()
        mock.rejectEvents { $0 == "sale:t:1" }
        let ga4 = try ga4(mock, ["debug": .bool(true)])
        let verdicts = await deliver(ga4, try GA4Fixtures.items(3, for: ga4))
        await mock.stop()
        #expect(verdicts.map(\.label) == ["delivered", "dead_letter", "delivered"])
        #expect(verdicts[1].deadLetterReason?.message.contains("events[0]") == true)
    }

    @Test("/mp/collect is silent: a refused event still gets a 204 and counts as delivered, though GA4 dropped it")
    func silentDrop() async throws {
        let mock = try await start()
        mock.rejectEvents { $0 == "sale:t:1" }
        let ga4 = try ga4(mock)
        let verdicts = await deliver(ga4, try GA4Fixtures.items(3, for: ga4))
        await mock.stop()
        #expect(verdicts == [.delivered, .delivered, .delivered])
        #expect(mock.acceptedEventIDs == ["sale:t:0", "sale:t:2"], "the mock, like GA4, did not record it")
    }

    @Test("a wrong API secret is not reported either: delivered for us, nothing recorded")
    func wrongSecret() async throws {
        let mock = try await start(secret: "the-right-secret")
        let ga4 = try ga4(mock)
        let verdicts = await deliver(ga4, try GA4Fixtures.items(1, for: ga4))
        await mock.stop()
        #expect(verdicts == [.delivered])
        #expect(mock.acceptedEventIDs.isEmpty)
        #expect(mock.exchanges.first?.problems.first?.kind == .auth)
    }

    @Test("throttling: 429 is throttled (until Retry-After when given); the retry delivers")
    func throttled() async throws {
        let mock = try await start()
        mock.script(.outcome(.throttled), .status(429, retryAfter: 2))
        let ga4 = try ga4(mock)
        let items = try GA4Fixtures.items(1, for: ga4)
        let now = LoopbackSender.now()
        #expect(await LoopbackSender.deliver(ga4, items: items, now: now) == .throttled(after: nil))
        #expect(await LoopbackSender.deliver(ga4, items: items, now: now) == .throttled(after: now.advanced(by: .seconds(2))))
        #expect(await LoopbackSender.deliver(ga4, items: items, now: now) == .delivered)
        await mock.stop()
        #expect(mock.acceptedEventIDs == ["sale:t:0"])
    }

    @Test("a server error is retried")
    func serverError() async throws {
        let mock = try await start()
        mock.script(.outcome(.serverError))
        let ga4 = try ga4(mock)
        let verdict = await LoopbackSender.deliver(ga4, items: try GA4Fixtures.items(1, for: ga4), now: LoopbackSender.now())
        await mock.stop()
        #expect(verdict == .retry(after: nil, reason: .httpStatus(503)))
    }
}

@Suite("GA4 mock checks")
struct MockGA4APITests {
    func problems(_ change: (JSONValue) -> JSONValue, query: [String: String]? = nil) throws -> [MockProblem] {
        let now = LoopbackSender.now()
        let body = change(try GA4Fixtures.items(1, for: try GA4Fixtures.ga4(), now: now)[0])
        let received = MockHTTPRequest(
            method: "POST", path: "/mp/collect", query: query ?? ["measurement_id": GA4Fixtures.measurementID, "api_secret": GA4Fixtures.apiSecret],
            headers: ["content-type": "application/json"], body: JSONWriter.bytes(body))
        return MockGA4API().problems(in: received, context: MockCheckContext(now: now, issuedTokens: [], expectedToken: GA4Fixtures.apiSecret))
    }

    @Test("our own items pass")
    func valid() throws {
        #expect(try problems { $0 }.isEmpty)
    }

    @Test("refused as GA4 validates: milliseconds, non-hex digests, no client_id, a value without currency, a reserved name, a wrong secret")
    func refusals() throws {
        #expect(try problems { FreshEvents.setting($0, ["timestamp_micros"], to: .number("1773500712000")) }.first?.message.contains("microseconds") == true)
        let hex = try problems { FreshEvents.setting($0, ["user_data", "sha256_email_address"], to: .array([.string("noah@example.de")])) }
        #expect(hex.first?.message.contains("sha256_email_address") == true)
        #expect(try problems { FreshEvents.setting($0, ["client_id"], to: nil) }.first?.message.hasPrefix("client_id") == true)
        let events = { (item: JSONValue, event: JSONValue) in FreshEvents.setting(item, ["events"], to: .array([event])) }
        #expect(try problems { events($0, .object(["name": .string("purchase"), "params": .object(["transaction_id": .string("t"), "value": .number("1.00")])])) }
            .first?.message.contains("currency") == true)
        #expect(try problems { events($0, .object(["name": .string("session_start")])) }.first?.message.contains("NAME_RESERVED") == true)
        #expect(try problems({ $0 }, query: ["measurement_id": GA4Fixtures.measurementID, "api_secret": "wrong"]).first?.kind == .auth)
    }
}
