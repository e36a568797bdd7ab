import BridgeCore
import BridgeDestinations
import BridgeMocks
import Synchronization
import Testing

/// The `google` destination over real HTTP on loopback against the Data
/// Manager mock (which also plays Google's token endpoint).
@Suite("Google Data Manager delivery over HTTP")
struct GoogleDeliveryTests {
    func destination(_ mock: MockPlatformServer, _ extra: [String: JSONValue] = [:]) throws -> GoogleDestination {
        try GoogleFixtures.dataManager(GoogleFixtures.mockCredentials(mock).merging(extra) { $1 })
    }

    @Test("success: a token from the refresh grant, then delivered; the mock saw our events and the bearer token")
    func success() async throws {
        let mock = try await GoogleFixtures.startMock(MockGoogleDataManagerAPI())
        let google = try destination(mock, ["validate_only": .bool(true)])
        let items = try GoogleFixtures.freshItems(3, for: google)
        let verdict = try await GoogleLoopback.deliver(google, items: items)
        await mock.stop()
        #expect(verdict == .delivered)
        #expect(mock.tokenRequests == 1)
        let exchange = try #require(mock.exchanges.first)
        #expect(exchange.problems.isEmpty, "\(exchange.problems)")
        #expect(exchange.request.bearerToken == "mock-access-token-1")
        #expect(exchange.request.json?["validateOnly"] == .bool(true))
        #expect(exchange.request.json?["events"]?.arrayValue == items)
        #expect(exchange.responseJSON?["requestId"]?.stringValue?.isEmpty == false)
        #expect(mock.acceptedEventIDs == ["evt-0", "evt-1", "evt-2"])
    }

    @Test("the mock applies Google's checks: a non-hex e-mail and a lower-case region code are refused naming the event")
    func mockChecks() async throws {
        let mock = try await GoogleFixtures.startMock(MockGoogleDataManagerAPI())
        let google = try destination(mock)
        var items = try GoogleFixtures.freshItems(3, for: google)
        items[1] = FreshEvents.setting(items[1], ["userData", "userIdentifiers"], to: .array([.object(["emailAddress": .string("NOT-HEX")])]))
        let verdict = try await GoogleLoopback.deliver(google, items: items)
        await mock.stop()
        let reason = try #require(verdict.deadLetterReason)
        #expect(reason.suspectIndex == 1)
        #expect(reason.platformCode == "INVALID_HEX_ENCODING")
        #expect(mock.acceptedEventIDs.isEmpty)
    }

    @Test("429 RESOURCE_EXHAUSTED: throttled; the retry is delivered")
    func throttled() async throws {
        let mock = try await GoogleFixtures.startMock(MockGoogleDataManagerAPI())
        mock.script(.outcome(.throttled))
        let google = try destination(mock)
        let items = try GoogleFixtures.freshItems(2, for: google)
        let token = try #require(await Self.token(google))
        #expect(try await GoogleLoopback.deliver(google, items: items, token: token) == .throttled(after: nil))
        #expect(try await GoogleLoopback.deliver(google, items: items, token: token) == .delivered)
        await mock.stop()
        #expect(mock.exchanges.first?.status == 429)
        #expect(mock.acceptedEventIDs == ["evt-0", "evt-1"])
    }

    @Test("503 UNAVAILABLE: retried")
    func unavailable() async throws {
        let mock = try await GoogleFixtures.startMock(MockGoogleDataManagerAPI())
        mock.script(.outcome(.serverError))
        let google = try destination(mock)
        let verdict = try await GoogleLoopback.deliver(google, items: try GoogleFixtures.freshItems(1, for: google))
        await mock.stop()
        #expect(verdict.label == "retry")
    }

    @Test("one bad event refuses the batch naming it; the hint isolates it in three requests and the rest is delivered")
    func wholeBatchRejection() async throws {
        let mock = try await GoogleFixtures.startMock(MockGoogleDataManagerAPI())
        mock.rejectEvents { $0 == "evt-4" }
        let google = try destination(mock)
        let items = try GoogleFixtures.freshItems(8, for: google)
        let token = try #require(await Self.token(google))
        let first = try await GoogleLoopback.deliver(google, items: items, token: token)
        let reason = try #require(first.deadLetterReason)
        #expect(reason.suspectIndex == 4)
        var search = BatchBisection(refusedBatchOf: items.count, reason: reason)
        while case .send(let range) = search.next {
            let verdict = try await GoogleLoopback.deliver(google, items: Array(items[range]), token: token)
            if verdict == .delivered {
                search.accepted(range)
            } else if let refusal = verdict.deadLetterReason {
                search.refused(range, reason: refusal)
            } else {
                Issue.record("unexpected verdict \(verdict)")
                break
            }
        }
        await mock.stop()
        #expect(search.isolated.map(\.index) == [4])
        #expect(mock.requestCount == 4)
        #expect(Set(mock.acceptedEventIDs) == Set((0..<8).filter { $0 != 4 }.map { "evt-\($0)" }))
    }

    @Test("a revoked token: 401 UNAUTHENTICATED is an auth failure; a fresh token delivers")
    func revoked() async throws {
        let mock = try await GoogleFixtures.startMock(MockGoogleDataManagerAPI())
        let google = try destination(mock)
        let items = try GoogleFixtures.freshItems(1, for: google)
        let token = try #require(await Self.token(google))
        mock.revokeTokens()
        let verdict = try await GoogleLoopback.deliver(google, items: items, token: token)
        guard case .authFailure(let message) = verdict else {
            Issue.record("expected an auth failure, got \(verdict)")
            await mock.stop()
            return
        }
        #expect(message.contains("UNAUTHENTICATED"))
        #expect(!message.contains(token))
        #expect(try await GoogleLoopback.deliver(google, items: items) == .delivered)
        await mock.stop()
        #expect(mock.tokenRequests == 2)
    }

    @Test("a refused refresh token: the issuer reports the refusal without the secret")
    func refusedRefreshToken() async throws {
        let mock = try await GoogleFixtures.startMock(MockGoogleDataManagerAPI())
        let google = try destination(mock, ["refresh_token": .string("1//revoked-refresh-token")])
        let result = try await GoogleLoopback.token(for: google)
        await mock.stop()
        guard case .refused(let message) = result else {
            Issue.record("expected a refusal, got \(result)")
            return
        }
        #expect(message.contains("invalid_grant"))
        #expect(!message.contains("revoked-refresh-token"))
    }

    @Test("a service account: the mock verifies the RS256 assertion and the token it issues delivers")
    func serviceAccount() async throws {
        let account = try TestServiceAccount()
        let tokenPath = "/token"
        // The mock's token URL is known only once it listens: verify against the audience we configure.
        let holder = AudienceHolder()
        let mock = try await MockPlatformServer.start(
            MockGoogleDataManagerAPI(),
            options: .init(oauth: MockOAuthOptions(acceptsAssertion: { holder.verify($0) })))
        holder.set(account.verifier(scope: GoogleDestination.scope, audience: mock.baseURL + tokenPath))
        let google = try GoogleFixtures.dataManager([
            "base_url": .string(mock.baseURL), "refresh_token": .null, "client_id": .null, "client_secret": .null,
            "service_account_json": .string(account.keyJSON(tokenURI: mock.baseURL + tokenPath)),
        ])
        let verdict = try await GoogleLoopback.deliver(google, items: try GoogleFixtures.freshItems(2, for: google))
        // Another key's assertion is refused by the token endpoint.
        let impostor = try GoogleDestination(
            GoogleFixtures.dataManagerSettings([
                "base_url": .string(mock.baseURL), "refresh_token": .null, "client_id": .null, "client_secret": .null,
                "service_account_json": .string(try TestServiceAccount().keyJSON(tokenURI: mock.baseURL + tokenPath)),
            ]))
        let refused = try await GoogleLoopback.token(for: impostor)
        await mock.stop()
        #expect(verdict == .delivered)
        #expect(mock.tokenRequests == 1)
        guard case .refused = refused else {
            Issue.record("an assertion signed with another key must be refused")
            return
        }
    }

    static func token(_ destination: some Destination) async throws -> String? {
        if case .token(let token) = try await GoogleLoopback.token(for: destination) { return token.value }
        return nil
    }
}

/// Holds the assertion check once the mock's address is known.
final class AudienceHolder: Sendable {
    private let check = Mutex<(@Sendable (String) -> Bool)?>(nil)
    func set(_ verify: @escaping @Sendable (String) -> Bool) { check.withLock { $0 = verify } }
    func verify(_ assertion: String) -> Bool { check.withLock { $0 }?(assertion) ?? false }
}
