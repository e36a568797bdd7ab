import BridgeCore
import BridgeDestinations
import BridgeMocks
import Testing

/// The `google_ads` destination over real HTTP on loopback against the
/// Google Ads API mock (which also plays Google's token endpoint).
@Suite("Google Ads delivery over HTTP")
struct GoogleAdsDeliveryTests {
    static let api = MockGoogleAdsAPI(developerToken: GoogleFixtures.developerToken, retryDelaySeconds: 2)

    func destination(_ mock: MockPlatformServer, _ extra: [String: JSONValue] = [:]) throws -> GoogleAdsDestination {
        try GoogleFixtures.ads(GoogleFixtures.mockCredentials(mock).merging(extra) { $1 })
    }

    @Test("success: bearer token, developer token and login-customer-id reach the API; every row delivered")
    func success() async throws {
        let mock = try await GoogleFixtures.startMock(Self.api)
        let ads = try destination(mock, ["login_customer_id": .string("987-654-3210")])
        let items = try GoogleFixtures.freshItems(3, for: ads)
        let verdict = try await GoogleLoopback.deliver(ads, items: items)
        await mock.stop()
        #expect(verdict == .delivered)
        let exchange = try #require(mock.exchanges.first)
        #expect(exchange.problems.isEmpty, "\(exchange.problems)")
        #expect(exchange.request.path == "/v26/customers/1234567890:uploadClickConversions")
        #expect(exchange.request.headers["developer-token"] == GoogleFixtures.developerToken)
        #expect(exchange.request.headers["login-customer-id"] == "9876543210")
        #expect(exchange.request.bearerToken?.hasPrefix("mock-access-token-") == true)
        #expect(exchange.responseJSON?["results"]?.arrayValue?.count == 3)
        #expect(mock.acceptedEventIDs == ["evt-0", "evt-1", "evt-2"])
    }

    @Test("partial failure: the bad row is dead-lettered, the others delivered, in one request")
    func partialFailure() async throws {
        let mock = try await GoogleFixtures.startMock(Self.api)
        mock.rejectEvents { $0 == "evt-1" }
        let ads = try destination(mock)
        let verdict = try await GoogleLoopback.deliver(ads, items: try GoogleFixtures.freshItems(4, for: ads))
        await mock.stop()
        guard case .partial(let rows) = verdict else {
            Issue.record("expected a partial verdict, got \(verdict)")
            return
        }
        #expect(rows.count == 4)
        #expect(rows[0] == .delivered && rows[2] == .delivered && rows[3] == .delivered)
        guard case .deadLetter(let reason) = rows[1] else { Issue.record("row 1 should be dead"); return }
        #expect(reason.platformCode?.hasPrefix("conversionUploadError.") == true)
        #expect(mock.requestCount == 1)
        #expect(mock.acceptedEventIDs == ["evt-0", "evt-2", "evt-3"])
        #expect(mock.exchanges.first?.responseJSON?["partialFailureError"]?["code"] == .number("3"))
    }

    @Test("a click too recent is retried for that row only; the mock's real checks produce row errors too")
    func tooRecentAndChecks() async throws {
        let mock = try await GoogleFixtures.startMock(Self.api)
        mock.script(.outcome(.partial(failed: [0: "conversionUploadError.TOO_RECENT_EVENT: conversions[0].gclid: the click is too recent"], count: 2)))
        let ads = try destination(mock)
        var items = try GoogleFixtures.freshItems(2, for: ads)
        let token = try #require(await GoogleDeliveryTests.token(ads))
        guard case .partial(let rows) = try await GoogleLoopback.deliver(ads, items: items, token: token), case .retry = rows[0] else {
            Issue.record("expected row 0 to be retried")
            await mock.stop()
            return
        }
        #expect(rows[1] == .delivered)
        // Two click ids on one row: Google's own check refuses that row.
        items[1] = FreshEvents.setting(FreshEvents.setting(items[1], ["gbraid"], to: .string("g")), ["wbraid"], to: .string("w"))
        let second = try await GoogleLoopback.deliver(ads, items: items, token: token)
        await mock.stop()
        guard case .partial(let checked) = second, case .deadLetter(let reason) = checked[1] else {
            Issue.record("expected row 1 refused, got \(second)")
            return
        }
        #expect(reason.platformCode == "conversionUploadError.GBRAID_WBRAID_BOTH_SET")
        #expect(checked[0] == .delivered)
    }

    @Test("429 quota: throttled until Google's retryDelay")
    func throttled() async throws {
        let mock = try await GoogleFixtures.startMock(Self.api)
        mock.script(.outcome(.throttled))
        let ads = try destination(mock)
        let now = LoopbackSender.now()
        let verdict = try await GoogleLoopback.deliver(ads, items: try GoogleFixtures.freshItems(1, for: ads), now: now)
        await mock.stop()
        #expect(verdict == .throttled(after: now.advanced(by: .seconds(2))))
    }

    @Test("a whole-call rejection names the row: dead letter with the suspect index")
    func wholeCallRejected() async throws {
        let mock = try await GoogleFixtures.startMock(Self.api)
        mock.script(.outcome(.rejected(index: 2, message: "conversionUploadError.UNPARSEABLE_GCLID: conversions[2].gclid: not a click id")))
        let ads = try destination(mock)
        let verdict = try await GoogleLoopback.deliver(ads, items: try GoogleFixtures.freshItems(3, for: ads))
        await mock.stop()
        #expect(verdict.deadLetterReason?.suspectIndex == 2)
        #expect(verdict.deadLetterReason?.platformCode == "conversionUploadError.UNPARSEABLE_GCLID")
        #expect(mock.exchanges.first?.status == 400)
    }

    @Test("a wrong developer token: auth failure, and the token never appears in the message")
    func wrongDeveloperToken() async throws {
        let mock = try await GoogleFixtures.startMock(MockGoogleAdsAPI(developerToken: "the-right-developer-token"))
        let ads = try destination(mock)
        let verdict = try await GoogleLoopback.deliver(ads, items: try GoogleFixtures.freshItems(1, for: ads))
        await mock.stop()
        guard case .authFailure(let message) = verdict else {
            Issue.record("expected an auth failure, got \(verdict)")
            return
        }
        #expect(message.contains("authenticationError"))
        #expect(!message.contains(GoogleFixtures.developerToken))
    }

    @Test("an expired bearer token: 401 auth failure")
    func revoked() async throws {
        let mock = try await GoogleFixtures.startMock(Self.api)
        let ads = try destination(mock)
        let verdict = try await GoogleLoopback.deliver(ads, items: try GoogleFixtures.freshItems(1, for: ads), token: "ya29.not-issued")
        await mock.stop()
        guard case .authFailure = verdict else {
            Issue.record("expected an auth failure, got \(verdict)")
            return
        }
        #expect(mock.exchanges.first?.status == 401)
    }
}
