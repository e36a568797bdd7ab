import BridgeCore
import BridgeDestinations
import BridgeMocks
import Testing

/// The Pinterest destination sending over real HTTP on loopback to
/// `MockPinterestAPI`, and classifying its answers, as the pipeline does.
@Suite("Pinterest delivery over HTTP")
struct PinterestDeliveryTests {
    func start() async throws -> MockPlatformServer {
        try await MockPlatformServer.start(MockPinterestAPI(), options: .init(expectedToken: PinterestFixtures.token))
    }

    func pinterest(_ mock: MockPlatformServer, _ extra: [String: JSONValue] = [:]) throws -> PinterestDestination {
        var settings: [String: JSONValue] = ["base_url": .string(mock.baseURL)]
        settings.merge(extra) { _, new in new }
        return try PinterestFixtures.destination(settings)
    }

    @Test("success: delivered; the mock saw our events, the bearer token and ?test=true, and found nothing to refuse")
    func success() async throws {
        let mock = try await start()
        let pinterest = try pinterest(mock, ["test": .bool(true)])
        let items = try PinterestFixtures.freshItems(3, for: pinterest)
        let verdict = await LoopbackSender.deliver(pinterest, items: items, now: LoopbackSender.now())
        await mock.stop()
        #expect(verdict == .delivered)
        let exchange = try #require(mock.exchanges.first)
        #expect(exchange.problems.isEmpty, "\(exchange.problems)")
        #expect(exchange.request.bearerToken == PinterestFixtures.token)
        #expect(exchange.request.query["test"] == "true")
        #expect(exchange.request.json?["data"]?.arrayValue == items)
        #expect(mock.acceptedEventIDs == ["evt-0", "evt-1", "evt-2"])
    }

    @Test("429 code 8 with Retry-After: throttled until then, and the retry is delivered")
    func throttled() async throws {
        let mock = try await start()
        mock.script(.status(429, retryAfter: 2))
        let pinterest = try pinterest(mock)
        let items = try PinterestFixtures.freshItems(2, for: pinterest)
        let now = LoopbackSender.now()
        #expect(await LoopbackSender.deliver(pinterest, items: items, now: now) == .throttled(after: now.advanced(by: .seconds(2))))
        mock.script(.outcome(.throttled))
        #expect(await LoopbackSender.deliver(pinterest, items: items, now: now) == .throttled(after: nil))
        #expect(await LoopbackSender.deliver(pinterest, items: items, now: now) == .delivered)
        await mock.stop()
        #expect(mock.exchanges[1].responseJSON?["code"] == .number("8"))
        #expect(mock.acceptedEventIDs == ["evt-0", "evt-1"])
    }

    @Test("a bad event is reported per event: partial, only it dead-lettered, the others accepted")
    func perEventFailure() async throws {
        let mock = try await start()
        mock.rejectEvents { $0 == "evt-1" }
        let pinterest = try pinterest(mock)
        let items = try PinterestFixtures.freshItems(4, for: pinterest)
        let verdict = await LoopbackSender.deliver(pinterest, items: items, now: LoopbackSender.now())
        await mock.stop()
        guard case .partial(let results) = verdict else {
            Issue.record("expected partial, got \(verdict)")
            return
        }
        #expect(results.map { $0 == .delivered } == [true, false, true, true])
        #expect(mock.acceptedEventIDs == ["evt-0", "evt-2", "evt-3"])
    }

    @Test("an event the platform's checks refuse (event_time in milliseconds) fails alone")
    func invalidEventTime() async throws {
        let mock = try await start()
        let pinterest = try pinterest(mock)
        var items = try PinterestFixtures.freshItems(3, for: pinterest)
        let milliseconds = LoopbackSender.now().millisecondsSinceEpoch
        items[2] = FreshEvents.setting(items[2], ["event_time"], to: .number(String(milliseconds)))
        let verdict = await LoopbackSender.deliver(pinterest, items: items, now: LoopbackSender.now())
        await mock.stop()
        guard case .partial(let results) = verdict, case .deadLetter(let reason) = results[2] else {
            Issue.record("expected event 2 dead-lettered, got \(verdict)")
            return
        }
        #expect(reason.message.contains("event_time"))
        #expect(mock.acceptedEventIDs == ["evt-0", "evt-1"])
    }

    @Test("a 422 naming one bad event: it is dead-lettered, the rest retried and then delivered")
    func wholeBatchRejection() async throws {
        let mock = try await start()
        mock.script(.outcome(.rejected(index: 1, message: "Invalid user_data.em")))
        let pinterest = try pinterest(mock)
        let items = try PinterestFixtures.freshItems(3, for: pinterest)
        let verdict = await LoopbackSender.deliver(pinterest, items: items, now: LoopbackSender.now())
        guard case .partial(let results) = verdict else {
            Issue.record("expected partial, got \(verdict)")
            await mock.stop()
            return
        }
        #expect(mock.exchanges.first?.status == 422)
        #expect(results[1].pinterestDeadLetterMessage?.contains("Invalid user_data.em") == true)
        // The pipeline resends the retried events on their own.
        let retried = results.indices.filter { results[$0] != .delivered && results[$0].pinterestDeadLetterMessage == nil }
        #expect(retried == [0, 2])
        let second = await LoopbackSender.deliver(pinterest, items: retried.map { items[$0] }, now: LoopbackSender.now())
        await mock.stop()
        #expect(second == .delivered)
        #expect(mock.acceptedEventIDs == ["evt-0", "evt-2"])
    }

    @Test("a wrong token is an auth failure that never echoes the token")
    func authFailure() async throws {
        let mock = try await MockPlatformServer.start(MockPinterestAPI(), options: .init(expectedToken: "the-right-token"))
        let pinterest = try pinterest(mock)
        let verdict = await LoopbackSender.deliver(pinterest, items: try PinterestFixtures.freshItems(1, for: pinterest), now: LoopbackSender.now())
        await mock.stop()
        guard case .authFailure(let message) = verdict else {
            Issue.record("expected an auth failure, got \(verdict)")
            return
        }
        #expect(message == "Pinterest 2: Authentication failed.")
        #expect(mock.exchanges.first?.status == 401)
    }

    @Test("503 code 4197, then recovery with nothing lost")
    func outage() async throws {
        let mock = try await start()
        mock.script(.outcome(.serverError), .status(502))
        let pinterest = try pinterest(mock)
        let items = try PinterestFixtures.freshItems(2, for: pinterest)
        var labels: [String] = []
        for _ in 0..<5 {
            let verdict = await LoopbackSender.deliver(pinterest, items: items, now: LoopbackSender.now())
            labels.append(verdict.label)
            if verdict == .delivered { break }
        }
        await mock.stop()
        #expect(labels == ["retry", "retry", "delivered"])
        #expect(mock.acceptedEventIDs == ["evt-0", "evt-1"])
    }
}

extension ItemVerdict {
    /// The dead-letter message, or `nil` for other verdicts.
    fileprivate var pinterestDeadLetterMessage: String? {
        if case .deadLetter(let reason) = self { return reason.message }
        return nil
    }
}
