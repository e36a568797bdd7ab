import BridgeCore
import BridgeDestinations
import BridgeMocks
import Testing

/// The LinkedIn destination sending over real HTTP on loopback to the mock
/// LinkedIn endpoint, and classifying its answers, as the pipeline does.
@Suite("LinkedIn delivery over HTTP")
struct LinkedInDeliveryTests {
    func start(oauth: Bool = false) async throws -> MockPlatformServer {
        let options = oauth
            ? MockPlatformServer.Options(oauth: MockOAuthOptions(path: "/oauth/v2/accessToken", clientID: "li-client", clientSecret: LinkedInFixtures.clientSecret, refreshToken: LinkedInFixtures.refreshToken))
            : MockPlatformServer.Options(expectedToken: LinkedInFixtures.token)
        return try await MockPlatformServer.start(MockLinkedInAPI(), options: options)
    }

    func linkedIn(_ mock: MockPlatformServer, _ extra: [String: JSONValue] = [:]) throws -> LinkedInDestination {
        try LinkedInFixtures.linkedIn(["base_url": .string(mock.baseURL)].merging(extra) { _, new in new })
    }

    @Test("success: delivered, and the mock saw our headers, token and elements")
    func success() async throws {
        let mock = try await start()
        let linkedIn = try linkedIn(mock)
        let items = try LinkedInFixtures.items(3, for: linkedIn)
        let verdict = await LoopbackSender.deliver(linkedIn, items: items, now: LoopbackSender.now())
        await mock.stop()
        #expect(verdict == .delivered)
        let exchange = try #require(mock.exchanges.first)
        #expect(exchange.problems.isEmpty)
        #expect(exchange.status == 200)
        #expect(exchange.request.bearerToken == LinkedInFixtures.token)
        #expect(exchange.request.headers["linkedin-version"] == LinkedInDestination.defaultAPIVersion)
        #expect(exchange.request.headers["x-restli-method"] == "BATCH_CREATE")
        #expect(exchange.request.json?["elements"] == .array(items))
        #expect(mock.acceptedEventIDs == ["evt-0", "evt-1", "evt-2"])
    }

    @Test("throttling: LinkedIn's 429 is throttled; a 429 with Retry-After holds until then; the retry delivers")
    func throttled() async throws {
        let mock = try await start()
        mock.script(.outcome(.throttled), .status(429, retryAfter: 2))
        let linkedIn = try linkedIn(mock)
        let items = try LinkedInFixtures.items(2, for: linkedIn)
        let now = LoopbackSender.now()
        #expect(await LoopbackSender.deliver(linkedIn, items: items, now: now) == .throttled(after: nil))
        #expect(await LoopbackSender.deliver(linkedIn, items: items, now: now) == .throttled(after: now.advanced(by: .seconds(2))))
        #expect(await LoopbackSender.deliver(linkedIn, items: items, now: now) == .delivered)
        await mock.stop()
        #expect(mock.acceptedEventIDs == ["evt-0", "evt-1"])
    }

    @Test("a server error is retried")
    func serverError() async throws {
        let mock = try await start()
        mock.script(.outcome(.serverError))
        let linkedIn = try linkedIn(mock)
        let verdict = await LoopbackSender.deliver(linkedIn, items: try LinkedInFixtures.items(1, for: linkedIn), now: LoopbackSender.now())
        await mock.stop()
        #expect(verdict == .retry(after: nil, reason: .httpStatus(500)))
    }

    @Test("one bad event refuses the whole batch with 422 naming it; resending around the suspect isolates it in three requests")
    func rejectedBatch() async throws {
        let mock = try await start()
        mock.rejectEvents { $0 == "evt-4" }
        let linkedIn = try linkedIn(mock)
        let items = try LinkedInFixtures.items(7, for: linkedIn)
        let now = LoopbackSender.now()
        let first = await LoopbackSender.deliver(linkedIn, items: items, now: now)
        let reason = try #require(first.deadLetterReason)
        #expect(reason.suspectIndex == 4)
        #expect(reason.message.contains("Index: 4, ERROR ::"))
        #expect(mock.exchanges.first?.status == 422)
        // The pipeline's bisection, driven step by step, starting from the suspect.
        var search = BatchBisection(refusedBatchOf: items.count, reason: reason)
        while case .send(let range) = search.next {
            let verdict = await LoopbackSender.deliver(linkedIn, items: Array(items[range]), now: now)
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
        #expect(mock.requestCount == 4, "the whole batch, the events before, after, and the suspect alone")
        #expect(mock.acceptedEventIDs.sorted() == ["evt-0", "evt-1", "evt-2", "evt-3", "evt-5", "evt-6"])
    }

    @Test("an event older than 90 days is refused by LinkedIn's own check and named")
    func tooOld() async throws {
        let mock = try await start()
        let linkedIn = try linkedIn(mock)
        let now = LoopbackSender.now()
        var items = try LinkedInFixtures.items(3, for: linkedIn, now: now)
        items[1] = FreshEvents.setting(items[1], ["conversionHappenedAt"], to: .number(String(now.millisecondsSinceEpoch - 91 * 86_400_000)))
        let verdict = await LoopbackSender.deliver(linkedIn, items: items, now: now)
        await mock.stop()
        #expect(verdict.deadLetterReason?.suspectIndex == 1)
        #expect(verdict.deadLetterReason?.message.contains("older than 90 days") == true)
    }

    @Test("a wrong static token is an auth failure")
    func wrongToken() async throws {
        let mock = try await MockPlatformServer.start(MockLinkedInAPI(), options: .init(expectedToken: "AQV-the-right-one"))
        let linkedIn = try linkedIn(mock)
        let verdict = await LoopbackSender.deliver(linkedIn, items: try LinkedInFixtures.items(1, for: linkedIn), now: LoopbackSender.now())
        await mock.stop()
        guard case .authFailure(let message) = verdict else {
            Issue.record("expected an auth failure, got \(verdict)")
            return
        }
        #expect(message.contains("INVALID_ACCESS_TOKEN"))
        #expect(!message.contains(LinkedInFixtures.token))
        #expect(mock.acceptedEventIDs.isEmpty)
    }

    @Test("refresh-token grant: a token from LinkedIn's token endpoint is accepted; once revoked it is an auth failure")
    func oauth() async throws {
        let mock = try await start(oauth: true)
        let linkedIn = try LinkedInDestination(
            LinkedInFixtures.oauthSettings([
                "base_url": .string(mock.baseURL), "token_url": .string(mock.baseURL + "/oauth/v2/accessToken"),
            ]))
        let issuer = try #require(linkedIn.tokenIssuer)
        let now = LoopbackSender.now()
        // What AccessTokenCache does: fetch a token, then authorize the request with it.
        guard case .reply(let tokenReply) = await LoopbackSender.send(issuer.tokenRequest(now: now)),
            case .token(let token) = issuer.readToken(tokenReply, now: now)
        else {
            Issue.record("no token from the mock's token endpoint")
            await mock.stop()
            return
        }
        let items = try LinkedInFixtures.items(2, for: linkedIn)
        func send() async -> DeliveryVerdict {
            let request = linkedIn.authorizing(linkedIn.makeRequest(items: items, batchID: "b", now: now), with: token.value)
            guard case .reply(let reply) = await LoopbackSender.send(request) else { return .transportFailure(.timeout) }
            return linkedIn.classify(reply, itemCount: items.count, now: now)
        }
        #expect(await send() == .delivered)
        mock.revokeTokens()
        #expect(await send().label == "auth_failure")
        await mock.stop()
        #expect(mock.tokenRequests == 1)
        #expect(mock.acceptedEventIDs == ["evt-0", "evt-1"])
    }

    @Test("without a token at all LinkedIn answers 401")
    func noToken() async throws {
        let mock = try await start()
        let linkedIn = try linkedIn(mock)
        var request = linkedIn.makeRequest(items: try LinkedInFixtures.items(1, for: linkedIn), batchID: "b", now: LoopbackSender.now())
        request.headers.removeAll { $0.name == "authorization" }
        guard case .reply(let reply) = await LoopbackSender.send(request) else {
            Issue.record("no reply")
            await mock.stop()
            return
        }
        await mock.stop()
        #expect(reply.status == 401)
        #expect(linkedIn.classify(reply, itemCount: 1, now: LoopbackSender.now()).label == "auth_failure")
    }
}

@Suite("LinkedIn mock checks")
struct MockLinkedInAPITests {
    /// The problems the mock finds in one element changed by `change`.
    func problems(_ change: (JSONValue) -> JSONValue) throws -> [MockProblem] {
        let now = LoopbackSender.now()
        let linkedIn = try LinkedInFixtures.linkedIn()
        let item = change(try LinkedInFixtures.items(1, for: linkedIn, now: now)[0])
        let request = linkedIn.makeRequest(items: [item], batchID: "b", now: now)
        let received = MockHTTPRequest(
            method: "POST", path: "/rest/conversionEvents", query: [:],
            headers: Dictionary(request.headers.map { ($0.name.lowercased(), $0.value) }, uniquingKeysWith: { $1 }), body: request.body)
        return MockLinkedInAPI().problems(in: received, context: MockCheckContext(now: now, issuedTokens: [], expectedToken: LinkedInFixtures.token))
    }

    @Test("our own items pass")
    func valid() throws {
        #expect(try problems { $0 }.isEmpty)
    }

    @Test("refused as LinkedIn refuses: seconds, a non-hex e-mail, no userIds, userInfo without lastName, a negative amount")
    func refusals() throws {
        let seconds = try problems { FreshEvents.setting($0, ["conversionHappenedAt"], to: .number("1773500712")) }
        #expect(seconds.first?.message.contains("milliseconds") == true)
        let email = try problems { item in
            FreshEvents.setting(item, ["user", "userIds"], to: .array([.object(["idType": .string("SHA256_EMAIL"), "idValue": .string("Noah@Example.de")])]))
        }
        #expect(email.first?.message.contains("SHA-256") == true)
        #expect(try problems { FreshEvents.setting($0, ["user", "userIds"], to: nil) }.first?.message.contains("userIds") == true)
        #expect(try problems { FreshEvents.setting($0, ["user", "userInfo", "lastName"], to: nil) }.first?.message.contains("lastName") == true)
        #expect(try problems { FreshEvents.setting($0, ["conversionValue", "amount"], to: .string("-1.00")) }.first?.index == 0)
    }
}
