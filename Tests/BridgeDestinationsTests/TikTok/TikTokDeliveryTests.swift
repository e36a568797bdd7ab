import BridgeCore
import BridgeDestinations
import BridgeMocks
import Testing

/// A TikTok destination sending over real HTTP on loopback to the mock
/// Events API, and classifying its answers, the way the pipeline does.
@Suite("TikTok delivery over HTTP")
struct TikTokDeliveryTests {
    func start() async throws -> MockPlatformServer {
        try await MockPlatformServer.start(MockTikTokAPI(), options: .init(expectedToken: DestinationFixtures.token))
    }

    func tiktok(_ mock: MockPlatformServer, _ extra: [String: JSONValue] = [:]) throws -> TikTokDestination {
        var settings: [String: JSONValue] = ["base_url": .string(mock.baseURL)]
        settings.merge(extra) { _, new in new }
        return try TikTokFixtures.destination(settings)
    }

    @Test("plain success: delivered, and the mock saw our events, header token and envelope")
    func success() async throws {
        let mock = try await start()
        let tiktok = try tiktok(mock)
        let items = try TikTokFixtures.items(3, for: tiktok)
        let verdict = await LoopbackSender.deliver(tiktok, items: items, now: LoopbackSender.now())
        await mock.stop()
        #expect(verdict == .delivered)
        let exchange = try #require(mock.exchanges.first)
        #expect(exchange.problems.isEmpty, "\(exchange.problems)")
        #expect(exchange.request.path == "/open_api/v1.3/event/track/")
        #expect(exchange.request.headers["access-token"] == DestinationFixtures.token)
        #expect(exchange.request.query["access_token"] == nil)
        #expect(exchange.request.json?["event_source_id"] == .string(TikTokFixtures.pixelCode))
        #expect(exchange.request.json?["data"] == .array(items))
        #expect(exchange.responseJSON?["code"] == .number("0"))
        #expect(mock.acceptedEventIDs == ["evt-0", "evt-1", "evt-2"])
    }

    @Test("test mode: the test_event_code reaches TikTok")
    func testEventCode() async throws {
        let mock = try await start()
        let tiktok = try tiktok(mock, ["test_event_code": .string("TEST98765")])
        let verdict = await LoopbackSender.deliver(tiktok, items: try TikTokFixtures.items(1, for: tiktok), now: LoopbackSender.now())
        await mock.stop()
        #expect(verdict == .delivered)
        #expect(mock.exchanges.first?.request.json?["test_event_code"] == .string("TEST98765"))
    }

    @Test("throttling is code 40100 inside an HTTP 200; the retry is delivered")
    func throttledThenDelivered() async throws {
        let mock = try await start()
        mock.script(.outcome(.throttled))
        let tiktok = try tiktok(mock)
        let items = try TikTokFixtures.items(2, for: tiktok)
        let now = LoopbackSender.now()
        #expect(await LoopbackSender.deliver(tiktok, items: items, now: now) == .throttled(after: nil))
        #expect(mock.exchanges.first?.status == 200, "TikTok throttles inside a 200")
        #expect(await LoopbackSender.deliver(tiktok, items: items, now: now) == .delivered)
        await mock.stop()
        #expect(mock.acceptedEventIDs == ["evt-0", "evt-1"])
    }

    @Test("a proxy 429 with Retry-After is throttled until then")
    func proxy429() async throws {
        let mock = try await start()
        mock.script(.status(429, retryAfter: 3))
        let tiktok = try tiktok(mock)
        let now = LoopbackSender.now()
        #expect(await LoopbackSender.deliver(tiktok, items: try TikTokFixtures.items(1, for: tiktok), now: now) == .throttled(after: now.advanced(by: .seconds(3))))
        await mock.stop()
    }

    @Test("a server error (50000) is retried, then delivered")
    func serverError() async throws {
        let mock = try await start()
        mock.script(.outcome(.serverError), .status(503))
        let tiktok = try tiktok(mock)
        let items = try TikTokFixtures.items(1, for: tiktok)
        let first = await LoopbackSender.deliver(tiktok, items: items, now: LoopbackSender.now())
        let second = await LoopbackSender.deliver(tiktok, items: items, now: LoopbackSender.now())
        let third = await LoopbackSender.deliver(tiktok, items: items, now: LoopbackSender.now())
        await mock.stop()
        #expect(first == .retry(after: nil, reason: .platformTransient(code: "50000", message: "TikTok 50000: Internal service error. Please try again later.")))
        #expect(second == .retry(after: nil, reason: .httpStatus(503)))
        #expect(third == .delivered)
    }

    @Test("one bad event refuses the batch naming it; the suspect-first search delivers the rest in three requests")
    func wholeBatchRejection() async throws {
        let mock = try await start()
        mock.rejectEvents { $0 == "evt-4" }
        let tiktok = try tiktok(mock)
        let items = try TikTokFixtures.items(8, for: tiktok)
        let now = LoopbackSender.now()
        let first = await LoopbackSender.deliver(tiktok, items: items, now: now)
        let reason = try #require(first.deadLetterReason, "the whole batch is refused")
        #expect(reason.suspectIndex == 4)
        #expect(reason.platformCode == "40002")
        #expect(mock.acceptedEventIDs.isEmpty)
        // The pipeline's bisection, driven step by step from the named suspect.
        var search = BatchBisection(refusedBatchOf: items.count, reason: reason)
        while case .send(let range) = search.next {
            let verdict = await LoopbackSender.deliver(tiktok, items: Array(items[range]), now: now)
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
        #expect(mock.acceptedEventIDs.sorted() == ["evt-0", "evt-1", "evt-2", "evt-3", "evt-5", "evt-6", "evt-7"])
        #expect(mock.requestCount == 4, "the refused batch, the events before, the events after, the suspect alone")
    }

    @Test("a malformed event is caught by the mock's checks and named by index")
    func malformedEvent() async throws {
        let mock = try await start()
        let tiktok = try tiktok(mock)
        var items = try TikTokFixtures.items(3, for: tiktok)
        items[1] = FreshEvents.setting(items[1], ["user", "email"], to: .array([.string("noah.schmidt@example.de")]))
        let verdict = await LoopbackSender.deliver(tiktok, items: items, now: LoopbackSender.now())
        await mock.stop()
        let reason = try #require(verdict.deadLetterReason)
        #expect(reason.suspectIndex == 1)
        #expect(reason.message.contains("user.email"))
        #expect(!reason.message.contains("noah.schmidt@example.de"))
    }

    @Test("event_time in milliseconds is refused by the mock, as TikTok wants seconds")
    func millisecondsRefused() async throws {
        let mock = try await start()
        let tiktok = try tiktok(mock)
        let now = LoopbackSender.now()
        // makeRequest would clamp a "future" time, so the body is altered after it.
        var request = tiktok.makeRequest(items: try TikTokFixtures.items(1, for: tiktok), batchID: "b", now: now)
        let item = FreshEvents.setting(try #require(request.auditPayload["data"]?[0]), ["event_time"], to: .number(String(now.millisecondsSinceEpoch)))
        request.body = JSONWriter.bytes(FreshEvents.setting(request.auditPayload, ["data"], to: .array([item])))
        guard case .reply(let reply) = await LoopbackSender.send(request) else {
            Issue.record("no reply")
            return
        }
        await mock.stop()
        let verdict = tiktok.classify(reply, itemCount: 1, now: now)
        #expect(verdict.deadLetterReason?.message.contains("event_time: must be a Unix timestamp in seconds") == true)
        #expect(verdict.deadLetterReason?.suspectIndex == 0)
    }

    @Test("a refused token pauses the destination: auth failure without the token in the message")
    func authFailure() async throws {
        let mock = try await MockPlatformServer.start(MockTikTokAPI(), options: .init(expectedToken: "the-right-token"))
        let tiktok = try tiktok(mock)
        let verdict = await LoopbackSender.deliver(tiktok, items: try TikTokFixtures.items(1, for: tiktok), now: LoopbackSender.now())
        await mock.stop()
        guard case .authFailure(let message) = verdict else {
            Issue.record("expected an auth failure, got \(verdict)")
            return
        }
        #expect(message.contains("40001"))
        #expect(!message.contains(DestinationFixtures.token))
    }

    @Test("more than 1,000 events is refused whole by the mock; the destination never asks for more")
    func batchLimit() async throws {
        let mock = try await start()
        // A patient deadline: the subject is the refusal of 1,001 events, which a
        // debug-built mock on a busy machine may take more than the default 5 s to read.
        let tiktok = try tiktok(mock, ["timeout_ms": .number("60000")])
        let one = try TikTokFixtures.items(1, for: tiktok)[0]
        let verdict = await LoopbackSender.deliver(tiktok, items: Array(repeating: one, count: 1001), now: LoopbackSender.now())
        await mock.stop()
        #expect(verdict.deadLetterReason?.suspectIndex == nil)
        #expect(verdict.deadLetterReason?.message.contains("data") == true)
        #expect(tiktok.limits.maxEventsPerRequest == 1000)
    }
}
