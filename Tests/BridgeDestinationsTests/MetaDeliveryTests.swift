import BridgeCore
import BridgeDestinations
import BridgeMocks
import Testing

/// A Meta destination sending over real HTTP on loopback to the mock
/// endpoint, and classifying its answers, the way the delivery pipeline will.
@Suite("Meta delivery over HTTP")
struct MetaDeliveryTests {
    func meta(_ mock: MockMetaServer, _ extra: [String: JSONValue] = [:]) throws -> MetaDestination {
        var settings: [String: JSONValue] = ["base_url": .string(mock.baseURL)]
        settings.merge(extra) { _, new in new }
        return try DestinationFixtures.meta(settings)
    }

    @Test("plain success: delivered, and the mock saw exactly our events and token")
    func success() async throws {
        let mock = try await MockMetaServer.start()
        let meta = try meta(mock, ["test_event_code": .string("TEST123")])
        let items = try FreshEvents.items(3, for: meta)
        let verdict = await LoopbackSender.deliver(meta, items: items, now: LoopbackSender.now())
        await mock.stop()
        #expect(verdict == .delivered)
        let request = try #require(mock.received.first)
        #expect(request.accessToken == DestinationFixtures.token)
        #expect(request.json?["test_event_code"] == .string("TEST123"))
        #expect(request.events == items)
        #expect(mock.acceptedEventIDs == ["evt-0", "evt-1", "evt-2"])
    }

    @Test("429 with Retry-After: throttled until then, and the retry is delivered")
    func throttledThenDelivered() async throws {
        let mock = try await MockMetaServer.start()
        mock.script(.status(429, retryAfter: 2))
        let meta = try meta(mock)
        let items = try FreshEvents.items(2, for: meta)
        let now = LoopbackSender.now()
        #expect(await LoopbackSender.deliver(meta, items: items, now: now) == .throttled(after: now.advanced(by: .seconds(2))))
        #expect(await LoopbackSender.deliver(meta, items: items, now: now.advanced(by: .seconds(2))) == .delivered)
        await mock.stop()
        #expect(mock.acceptedEventIDs == ["evt-0", "evt-1"])
    }

    @Test("503 for a while, then recovery with nothing lost")
    func outageThenRecovery() async throws {
        let mock = try await MockMetaServer.start()
        mock.script(.status(503), times: 3)
        let meta = try meta(mock)
        let items = try FreshEvents.items(5, for: meta)
        var verdicts: [DeliveryVerdict] = []
        for _ in 0..<10 {
            let verdict = await LoopbackSender.deliver(meta, items: items, batchID: "batch-1", now: LoopbackSender.now())
            verdicts.append(verdict)
            if verdict == .delivered { break }
        }
        await mock.stop()
        #expect(verdicts.map(\.label) == ["retry", "retry", "retry", "delivered"])
        #expect(verdicts.first == .retry(after: nil, reason: .httpStatus(503)))
        #expect(mock.acceptedEventIDs == items.map { $0["event_id"]?.stringValue ?? "" })
        #expect(mock.requestCount == 4)
    }

    @Test("Graph throttling inside a 400 with usage headers holds until Meta's estimate")
    func graphThrottle() async throws {
        let mock = try await MockMetaServer.start()
        let usage = #"{"1":[{"type":"ads_management","call_count":100,"estimated_time_to_regain_access":3}]}"#
        mock.script(.graphError(code: 80004, status: 400, headers: ["x-business-use-case-usage": usage]))
        let meta = try meta(mock)
        let now = LoopbackSender.now()
        let verdict = await LoopbackSender.deliver(meta, items: try FreshEvents.items(1, for: meta), now: now)
        await mock.stop()
        #expect(verdict == .throttled(after: now.advanced(by: .seconds(180))))
    }

    @Test("a transient Graph error is retried")
    func transient() async throws {
        let mock = try await MockMetaServer.start()
        mock.script(.graphError(code: 2, status: 500, isTransient: true))
        let meta = try meta(mock)
        let verdict = await LoopbackSender.deliver(meta, items: try FreshEvents.items(1, for: meta), now: LoopbackSender.now())
        await mock.stop()
        #expect(verdict.label == "retry")
    }

    @Test("a permanent 400 for one event goes to the dead letters with Meta's message")
    func permanent() async throws {
        let mock = try await MockMetaServer.start()
        mock.rejectEvents { $0 == "evt-0" }
        let meta = try meta(mock)
        let verdict = await LoopbackSender.deliver(meta, items: try FreshEvents.items(1, for: meta), now: LoopbackSender.now())
        await mock.stop()
        let reason = try #require(verdict.deadLetterReason)
        #expect(reason.code == .invalidParameters)
        #expect(reason.platformCode == "100/\(MockMetaSubcode.rejectedByScript)")
        #expect(reason.message.contains("Invalid Event"))
    }

    @Test("partial failure: bisection isolates the bad events, delivers the rest, loses nothing")
    func partialFailure() async throws {
        let mock = try await MockMetaServer.start()
        let bad: Set<String> = ["evt-2", "evt-5"]
        mock.rejectEvents { bad.contains($0) }
        let meta = try meta(mock)
        let items = try FreshEvents.items(8, for: meta)
        let now = LoopbackSender.now()
        let first = await LoopbackSender.deliver(meta, items: items, now: now)
        let reason = try #require(first.deadLetterReason, "the whole batch is refused first")
        // The pipeline's bisection, driven step by step.
        var search = BatchBisection(refusedBatchOf: items.count, reason: reason)
        while case .send(let range) = search.next {
            let verdict = await LoopbackSender.deliver(meta, items: Array(items[range]), now: now)
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
        #expect(search.isolated.map(\.index).sorted() == [2, 5])
        #expect(search.isolated.allSatisfy { $0.reason.platformCode == "100/\(MockMetaSubcode.rejectedByScript)" })
        let expected = items.compactMap { $0["event_id"]?.stringValue }.filter { !bad.contains($0) }
        #expect(mock.acceptedEventIDs.sorted() == expected.sorted())
        #expect(mock.requestCount <= 1 + 2 * 2 * 3)
    }

    @Test("a refused token pauses the destination: auth failure")
    func authFailure() async throws {
        var options = MockMetaServer.Options()
        options.accessToken = "EAAB-the-right-one"
        let mock = try await MockMetaServer.start(options)
        let meta = try meta(mock)
        let verdict = await LoopbackSender.deliver(meta, items: try FreshEvents.items(1, for: meta), now: LoopbackSender.now())
        await mock.stop()
        guard case .authFailure(let message) = verdict else {
            Issue.record("expected an auth failure, got \(verdict)")
            return
        }
        #expect(message.contains("190"))
        #expect(!message.contains(DestinationFixtures.token))
    }

    @Test("an event older than 7 days: Meta's 2804003 becomes event_too_old")
    func tooOld() async throws {
        let mock = try await MockMetaServer.start()
        let meta = try meta(mock)
        let now = LoopbackSender.now()
        let items = try FreshEvents.items(1, for: meta, now: now.advanced(by: .seconds(-8 * 86_400)))
        let verdict = await LoopbackSender.deliver(meta, items: items, now: now)
        await mock.stop()
        #expect(verdict.deadLetterReason?.code == .eventTooOld)
        // The pipeline checks this before sending, with the destination's own limit.
        let limit = try EventAgeLimit(maxAge: .seconds(meta.limits.maxEventAgeSeconds), safetyMargin: .seconds(3600), futureTolerance: .seconds(300))
        #expect(limit.check(eventTime: now.advanced(by: .seconds(-8 * 86_400)), now: now).deadLetterReason?.code == .eventTooOld)
    }

    @Test("a slow answer past the timeout is retried, and the retry delivers")
    func timeout() async throws {
        let mock = try await MockMetaServer.start()
        mock.script(.delay(milliseconds: 1500))
        let meta = try meta(mock, ["timeout_ms": .number("300")])
        let items = try FreshEvents.items(1, for: meta)
        let first = await LoopbackSender.deliver(meta, items: items, now: LoopbackSender.now())
        // The retry, with a deadline a loaded test machine cannot miss.
        let patient = try self.meta(mock, ["timeout_ms": .number("10000")])
        let second = await LoopbackSender.deliver(patient, items: items, now: LoopbackSender.now())
        try await Task.sleep(for: .milliseconds(1400))
        await mock.stop()
        #expect(first == .transportFailure(.timeout))
        #expect(second == .delivered)
        // The slow request was answered after all: Meta would deduplicate on event_id.
        #expect(Set(mock.acceptedEventIDs) == ["evt-0"])
    }
}
