import BridgeCore
import BridgeDestinations
import BridgeMocks
import Testing

/// A Snap destination sending over real HTTP on loopback to the mock
/// Conversions API, and classifying its answers, the way the pipeline does.
@Suite("Snap delivery over HTTP")
struct SnapDeliveryTests {
    func start(token: String = DestinationFixtures.token) async throws -> MockPlatformServer {
        try await MockPlatformServer.start(MockSnapAPI(pixelID: SnapFixtures.pixelID), options: .init(expectedToken: token))
    }

    func snap(_ mock: MockPlatformServer, _ extra: [String: JSONValue] = [:]) throws -> SnapDestination {
        var settings: [String: JSONValue] = ["base_url": .string(mock.baseURL)]
        settings.merge(extra) { _, new in new }
        return try SnapFixtures.destination(settings)
    }

    /// Drives the pipeline's bisection over `items` after the first refusal.
    func bisect(_ snap: SnapDestination, _ items: [JSONValue], reason: DeadLetterReason, now: Timestamp) async -> BatchBisection {
        var search = BatchBisection(refusedBatchOf: items.count, reason: reason)
        while case .send(let range) = search.next {
            let verdict = await LoopbackSender.deliver(snap, items: Array(items[range]), now: now)
            if verdict == .delivered {
                search.accepted(range)
            } else if let refusal = verdict.deadLetterReason {
                search.refused(range, reason: refusal)
            } else {
                Issue.record("unexpected verdict \(verdict)")
                break
            }
        }
        return search
    }

    @Test("plain success: delivered, and the mock saw our events and the token in the query")
    func success() async throws {
        let mock = try await start()
        let snap = try snap(mock)
        let items = try SnapFixtures.items(3, for: snap)
        let verdict = await LoopbackSender.deliver(snap, items: items, now: LoopbackSender.now())
        await mock.stop()
        #expect(verdict == .delivered)
        let exchange = try #require(mock.exchanges.first)
        #expect(exchange.problems.isEmpty, "\(exchange.problems)")
        #expect(exchange.request.path == "/v3/\(SnapFixtures.pixelID)/events")
        #expect(exchange.request.query["access_token"] == DestinationFixtures.token)
        #expect(exchange.request.json?["data"] == .array(items))
        #expect(exchange.responseJSON?["status"] == .string("VALID"))
        #expect(mock.acceptedEventIDs == ["evt-0", "evt-1", "evt-2"])
    }

    @Test("validate_only: the validate endpoint answers with event_logs and the batch counts as validated")
    func validateEndpoint() async throws {
        let mock = try await start()
        let snap = try snap(mock, ["validate_only": .bool(true)])
        let verdict = await LoopbackSender.deliver(snap, items: try SnapFixtures.items(2, for: snap), now: LoopbackSender.now())
        await mock.stop()
        #expect(verdict == .delivered)
        let exchange = try #require(mock.exchanges.first)
        #expect(exchange.request.path == "/v3/\(SnapFixtures.pixelID)/events/validate")
        #expect(exchange.responseJSON?["test_event"] == .bool(true))
        #expect(exchange.responseJSON?["event_logs"]?.arrayValue?.count == 2)
    }

    @Test("validate endpoint with per-event failures: only the failed events are dead-lettered")
    func validatePartial() async throws {
        let mock = try await start()
        mock.script(.outcome(.partial(failed: [1: "Unhashed PII: em"], count: 3)))
        let snap = try snap(mock, ["validate_only": .bool(true)])
        let verdict = await LoopbackSender.deliver(snap, items: try SnapFixtures.items(3, for: snap), now: LoopbackSender.now())
        await mock.stop()
        guard case .partial(let items) = verdict else {
            Issue.record("expected per-event verdicts, got \(verdict)")
            return
        }
        #expect(items.map { if case .deadLetter = $0 { "dead" } else { "\($0)" } } == ["delivered", "dead", "delivered"])
    }

    @Test("429 is throttled (with Retry-After from a proxy); the retry is delivered")
    func throttledThenDelivered() async throws {
        let mock = try await start()
        mock.script(.outcome(.throttled), .status(429, retryAfter: 2))
        let snap = try snap(mock)
        let items = try SnapFixtures.items(2, for: snap)
        let now = LoopbackSender.now()
        #expect(await LoopbackSender.deliver(snap, items: items, now: now) == .throttled(after: nil))
        #expect(await LoopbackSender.deliver(snap, items: items, now: now) == .throttled(after: now.advanced(by: .seconds(2))))
        #expect(await LoopbackSender.deliver(snap, items: items, now: now) == .delivered)
        await mock.stop()
        #expect(mock.acceptedEventIDs == ["evt-0", "evt-1"])
    }

    @Test("a 500 is retried, then delivered")
    func serverError() async throws {
        let mock = try await start()
        mock.script(.outcome(.serverError))
        let snap = try snap(mock)
        let items = try SnapFixtures.items(1, for: snap)
        #expect(await LoopbackSender.deliver(snap, items: items, now: LoopbackSender.now()) == .retry(after: nil, reason: .httpStatus(500)))
        #expect(await LoopbackSender.deliver(snap, items: items, now: LoopbackSender.now()) == .delivered)
        await mock.stop()
    }

    @Test("INVALID naming one event: the others are resent and delivered, only that one is isolated")
    func wholeBatchRejection() async throws {
        let mock = try await start()
        mock.rejectEvents { $0 == "evt-5" }
        let snap = try snap(mock)
        let items = try SnapFixtures.items(8, for: snap)
        let now = LoopbackSender.now()
        let first = await LoopbackSender.deliver(snap, items: items, now: now)
        let reason = try #require(first.deadLetterReason)
        #expect(reason.suspectIndex == 5)
        #expect(mock.exchanges.first?.status == 400)
        let search = await bisect(snap, items, reason: reason, now: now)
        await mock.stop()
        #expect(search.isolated.map(\.index) == [5])
        #expect(mock.acceptedEventIDs.sorted() == ["evt-0", "evt-1", "evt-2", "evt-3", "evt-4", "evt-6", "evt-7"])
        #expect(mock.requestCount == 4)
    }

    @Test("two bad events: Snap names one at a time; both are isolated and the rest delivered")
    func twoBadEvents() async throws {
        let mock = try await start()
        let snap = try snap(mock)
        var items = try SnapFixtures.items(6, for: snap)
        // Event 1 carries an unhashed e-mail; event 4 a PURCHASE without currency.
        items[1] = FreshEvents.setting(items[1], ["user_data", "em"], to: .array([.string("noah.schmidt@example.de")]))
        items[4] = FreshEvents.setting(items[4], ["custom_data", "currency"], to: nil)
        let now = LoopbackSender.now()
        let first = await LoopbackSender.deliver(snap, items: items, now: now)
        let reason = try #require(first.deadLetterReason)
        #expect(reason.suspectIndex == 1)
        #expect(!reason.message.contains("noah.schmidt@example.de"))
        let search = await bisect(snap, items, reason: reason, now: now)
        await mock.stop()
        #expect(search.isolated.map(\.index).sorted() == [1, 4])
        #expect(mock.acceptedEventIDs.sorted() == ["evt-0", "evt-2", "evt-3", "evt-5"])
    }

    @Test("an event older than 37 days is INVALID at Snap")
    func tooOld() async throws {
        let mock = try await start()
        let snap = try snap(mock)
        let now = LoopbackSender.now()
        let items = try SnapFixtures.items(1, for: snap, now: now.advanced(by: .seconds(-38 * 86_400)))
        let verdict = await LoopbackSender.deliver(snap, items: items, now: now)
        await mock.stop()
        #expect(verdict.deadLetterReason?.message.contains("Timestamp out of range") == true)
        #expect(snap.limits.maxEventAgeSeconds == 37 * 86_400, "the pipeline dead-letters such events before sending")
    }

    @Test("a refused token pauses the destination: auth failure without the token in the message")
    func authFailure() async throws {
        let mock = try await start(token: "the-right-token")
        let snap = try snap(mock)
        let verdict = await LoopbackSender.deliver(snap, items: try SnapFixtures.items(1, for: snap), now: LoopbackSender.now())
        await mock.stop()
        guard case .authFailure(let message) = verdict else {
            Issue.record("expected an auth failure, got \(verdict)")
            return
        }
        #expect(message.contains("Invalid access token"))
        #expect(!message.contains(DestinationFixtures.token))
        #expect(mock.exchanges.first?.status == 401)
    }
}
