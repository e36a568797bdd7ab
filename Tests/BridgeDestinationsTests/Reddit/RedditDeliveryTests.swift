import BridgeCore
import BridgeDestinations
import BridgeMocks
import Testing

/// The Reddit destination sending over real HTTP on loopback to
/// `MockRedditAPI`, and classifying its answers, as the pipeline does.
@Suite("Reddit delivery over HTTP")
struct RedditDeliveryTests {
    func start(token: String = RedditFixtures.token) async throws -> MockPlatformServer {
        try await MockPlatformServer.start(MockRedditAPI(), options: .init(expectedToken: token))
    }

    func reddit(_ mock: MockPlatformServer, _ extra: [String: JSONValue] = [:]) throws -> RedditDestination {
        var settings: [String: JSONValue] = ["base_url": .string(mock.baseURL)]
        settings.merge(extra) { _, new in new }
        return try RedditFixtures.destination(settings)
    }

    @Test("success: delivered; the mock saw our events, the token, the user agent and test_id, and found nothing to refuse")
    func success() async throws {
        let mock = try await start()
        let reddit = try reddit(mock, ["test_id": .string("t2_eventtesting")])
        let items = try RedditFixtures.freshItems(3, for: reddit)
        let verdict = await LoopbackSender.deliver(reddit, items: items, now: LoopbackSender.now())
        await mock.stop()
        #expect(verdict == .delivered)
        let exchange = try #require(mock.exchanges.first)
        #expect(exchange.problems.isEmpty, "\(exchange.problems)")
        #expect(exchange.request.bearerToken == RedditFixtures.token)
        #expect(exchange.request.headers["user-agent"] == RedditDestination.userAgent)
        #expect(exchange.request.json?["data"]?["test_id"] == .string("t2_eventtesting"))
        #expect(exchange.request.json?["data"]?["events"]?.arrayValue == items)
        #expect(mock.acceptedEventIDs == ["evt-0", "evt-1", "evt-2"])
    }

    @Test("429 with Retry-After, then Reddit's own 429: throttled, then delivered")
    func throttled() async throws {
        let mock = try await start()
        mock.script(.status(429, retryAfter: 3), .outcome(.throttled))
        let reddit = try reddit(mock)
        let items = try RedditFixtures.freshItems(2, for: reddit)
        let now = LoopbackSender.now()
        #expect(await LoopbackSender.deliver(reddit, items: items, now: now) == .throttled(after: now.advanced(by: .seconds(3))))
        #expect(await LoopbackSender.deliver(reddit, items: items, now: now) == .throttled(after: nil))
        #expect(await LoopbackSender.deliver(reddit, items: items, now: now) == .delivered)
        await mock.stop()
        #expect(mock.acceptedEventIDs == ["evt-0", "evt-1"])
    }

    @Test("one bad event refuses the whole batch with invalid_events; bisection isolates it and delivers the rest")
    func wholeBatchRejection() async throws {
        let mock = try await start()
        mock.rejectEvents { $0 == "evt-5" }
        let reddit = try reddit(mock)
        let items = try RedditFixtures.freshItems(8, for: reddit)
        let now = LoopbackSender.now()
        let first = await LoopbackSender.deliver(reddit, items: items, now: now)
        let reason = try #require(first.deadLetterReason, "the whole batch is refused first")
        #expect(mock.exchanges.first?.status == 400)
        #expect(mock.exchanges.first?.responseJSON?["invalid_events"]?[0]?["event"]?["metadata"]?["conversion_id"] == .string("evt-5"))
        #expect(reason.message.contains("None were processed"))
        #expect(mock.acceptedEventIDs.isEmpty, "Reddit processes none of a refused batch")
        // The pipeline's bisection, driven step by step.
        var search = BatchBisection(refusedBatchOf: items.count, reason: reason)
        while case .send(let range) = search.next {
            let verdict = await LoopbackSender.deliver(reddit, items: Array(items[range]), now: now)
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
        #expect(search.isolated.map(\.index) == [5])
        #expect(mock.acceptedEventIDs.sorted() == ["evt-0", "evt-1", "evt-2", "evt-3", "evt-4", "evt-6", "evt-7"])
    }

    @Test("an event older than 168 hours is refused by the mock as Reddit words it: event_too_old")
    func tooOld() async throws {
        let mock = try await start()
        let reddit = try reddit(mock)
        let now = LoopbackSender.now()
        let items = try RedditFixtures.freshItems(1, for: reddit, now: now.advanced(by: .seconds(-8 * 86_400)))
        let verdict = await LoopbackSender.deliver(reddit, items: items, now: now)
        await mock.stop()
        #expect(verdict.deadLetterReason?.code == .eventTooOld)
    }

    @Test("event_at in seconds is refused (milliseconds required)")
    func secondsRefused() async throws {
        let mock = try await start()
        let reddit = try reddit(mock)
        var items = try RedditFixtures.freshItems(1, for: reddit)
        items[0] = FreshEvents.setting(items[0], ["event_at"], to: .number(String(LoopbackSender.now().secondsSinceEpoch)))
        let verdict = await LoopbackSender.deliver(reddit, items: items, now: LoopbackSender.now())
        await mock.stop()
        #expect(verdict.deadLetterReason?.message.contains("milliseconds") == true)
    }

    @Test("a wrong token is an auth failure")
    func authFailure() async throws {
        let mock = try await start(token: "the-right-token")
        let reddit = try reddit(mock)
        let verdict = await LoopbackSender.deliver(reddit, items: try RedditFixtures.freshItems(1, for: reddit), now: LoopbackSender.now())
        await mock.stop()
        guard case .authFailure(let message) = verdict else {
            Issue.record("expected an auth failure, got \(verdict)")
            return
        }
        #expect(message.contains("UNAUTHORIZED"))
        #expect(!message.contains(RedditFixtures.token))
    }

    @Test("500 service unavailable, then recovery with nothing lost")
    func outage() async throws {
        let mock = try await start()
        mock.script(.outcome(.serverError), .status(503))
        let reddit = try reddit(mock)
        let items = try RedditFixtures.freshItems(2, for: reddit)
        var labels: [String] = []
        for _ in 0..<5 {
            let verdict = await LoopbackSender.deliver(reddit, items: items, now: LoopbackSender.now())
            labels.append(verdict.label)
            if verdict == .delivered { break }
        }
        await mock.stop()
        #expect(labels == ["retry", "retry", "delivered"])
        #expect(mock.acceptedEventIDs == ["evt-0", "evt-1"])
    }
}
