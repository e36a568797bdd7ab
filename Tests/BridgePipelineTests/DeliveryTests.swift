import BridgeCore
import BridgeMocks
@testable import BridgePipeline
@testable import BridgeStore
import Foundation
import BridgeDestinations
import BridgeServer
import CoreMetrics
import GRDB
import Logging
import Testing

@Suite("Delivery to Meta over loopback", .serialized)
struct DeliveryTests {
    @Test("events reach Meta hashed, once, and the store records them delivered")
    func plainSuccess() async throws {
        let harness = try await PipelineHarness()
        // Given three purchases
        try await harness.post((1...3).map { PipelineHarness.purchase("sale:t:\($0)") })
        // When they are prepared and delivered
        try await harness.prepareAll()
        let done = try await harness.deliverUntil { try await harness.states()["delivered"] == 3 }
        // Then Meta received each event once, with hashed identifiers and the token
        #expect(done)
        #expect(Set(harness.mock.acceptedEventIDs) == ["sale:t:1", "sale:t:2", "sale:t:3"])
        #expect(harness.mock.acceptedEventIDs.count == 3)
        let request = try #require(harness.mock.received.first)
        #expect(request.accessToken == PipelineHarness.token)
        let userData = try #require(request.events.first?["user_data"])
        let email = try #require(userData["em"]?[0]?.stringValue)
        #expect(email == IdentifierHasher.sha256Hex("buyer@example.com"))
        #expect(userData["client_ip_address"]?.stringValue == "203.0.113.42", "clear fields are restored for sending")
        // And the sealed clear fields are gone from delivered rows, raw identifiers from events
        let leftovers = try await harness.store.pool.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM deliveries WHERE sealed IS NOT NULL") ?? -1
        }
        #expect(leftovers == 0)
        let sealedEvents = try await harness.store.pool.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM events WHERE sealed IS NOT NULL") ?? -1
        }
        #expect(sealedEvents == 0)
        await harness.close()
    }

    @Test("429 with Retry-After waits at least that long, then delivers")
    func throttledWithRetryAfter() async throws {
        let harness = try await PipelineHarness()
        harness.mock.script(.status(429, retryAfter: 1))
        try await harness.post([PipelineHarness.purchase("sale:t:429")])
        try await harness.prepareAll()
        let start = ContinuousClock.now
        let done = try await harness.deliverUntil { try await harness.states()["delivered"] == 1 }
        #expect(done)
        #expect(ContinuousClock.now - start >= .milliseconds(950))
        #expect(harness.mock.requestCount == 2)
        await harness.close()
    }

    @Test("503 for a while, then recovery with nothing lost")
    func recoversFrom503() async throws {
        let harness = try await PipelineHarness()
        harness.mock.script(.status(503), times: 3)
        try await harness.post((1...20).map { PipelineHarness.purchase("sale:t:503-\($0)") })
        try await harness.prepareAll()
        let done = try await harness.deliverUntil { try await harness.states()["delivered"] == 20 }
        #expect(done)
        #expect(Set(harness.mock.acceptedEventIDs).count == 20)
        #expect(harness.mock.requestCount >= 4)
        await harness.close()
    }

    @Test("a permanent 400 goes to the dead letters with Meta's message; replay re-queues the same event ids")
    func permanentErrorAndReplay() async throws {
        let harness = try await PipelineHarness()
        harness.mock.script(.graphError(code: 100, subcode: 2_804_000, status: 400))
        try await harness.post([PipelineHarness.purchase("sale:t:bad")])
        try await harness.prepareAll()
        let dead = try await harness.deliverUntil { try await harness.states()["dead"] == 1 }
        #expect(dead)
        let letters = try await harness.store.deadLetters(DeadLetterFilter(destination: "meta"), limit: 10)
        #expect(letters.first?.code == "invalid_parameters")
        #expect(letters.first?.eventID == "sale:t:bad")
        #expect(letters.first?.message.isEmpty == false)
        // When the operator replays it
        let replayed = try await harness.store.replayDeadLetters(DeadLetterFilter(destination: "meta"), now: Timestamp.now())
        #expect(replayed == 1)
        let delivered = try await harness.deliverUntil { try await harness.states()["delivered"] == 1 }
        // Then it is sent again with the same event id
        #expect(delivered)
        #expect(harness.mock.acceptedEventIDs == ["sale:t:bad"])
        await harness.close()
    }

    @Test("a batch refused for one bad event is bisected: only that event is dead-lettered")
    func partialFailure() async throws {
        let harness = try await PipelineHarness()
        harness.mock.rejectEvents { $0 == "sale:t:p-7" }
        try await harness.post((1...10).map { PipelineHarness.purchase("sale:t:p-\($0)") })
        try await harness.prepareAll()
        let done = try await harness.deliverUntil { try await harness.states() == ["delivered": 9, "dead": 1] }
        #expect(done)
        let letters = try await harness.store.deadLetters(DeadLetterFilter(), limit: 10)
        #expect(letters.map(\.eventID) == ["sale:t:p-7"])
        #expect(Set(harness.mock.acceptedEventIDs).count == 9)
        await harness.close()
    }

    @Test("an event older than Meta accepts is dead-lettered without sending")
    func tooOld() async throws {
        let harness = try await PipelineHarness()
        try await harness.post([PipelineHarness.purchase("sale:t:old", minutesAgo: 8 * 24 * 60)])
        try await harness.prepareAll()
        let dead = try await harness.deliverUntil { try await harness.states()["dead"] == 1 }
        #expect(dead)
        #expect(harness.mock.requestCount == 0)
        let letters = try await harness.store.deadLetters(DeadLetterFilter(), limit: 1)
        #expect(letters.first?.code == "event_too_old")
        await harness.close()
    }

    @Test("a worker that dies mid-batch stops renewing: after its lease the batch is sent again with the same event ids, and its late outcome is ignored")
    func crashMidBatch() async throws {
        let harness = try await PipelineHarness(tune: { $0.lease = .lasting(.milliseconds(400)) })
        try await harness.post((1...5).map { PipelineHarness.purchase("sale:t:c-\($0)") })
        try await harness.prepareAll()
        // Given worker "crashed" that sends the batch and then hangs before recording anything
        let gate = Gate()
        let crashed = hangingWorker(harness, gate: gate, owner: "crashed")
        let hung = Task { try await crashed.deliverOnce(force: true) }
        for _ in 0..<200 where harness.mock.requestCount == 0 { try await Task.sleep(for: .milliseconds(10)) }
        let firstIDs = try #require(harness.mock.received.first).eventIDs
        // When it dies (its task is cancelled, so its lease heartbeat stops) and its lease expires,
        // another worker takes the batch over
        hung.cancel()
        try await Task.sleep(for: .milliseconds(450))
        let done = try await harness.deliverUntil { try await harness.states()["delivered"] == 5 }
        #expect(done)
        #expect(harness.mock.received.count == 2)
        #expect(harness.mock.received[1].eventIDs == firstIDs, "the same event ids, so Meta deduplicates")
        // And when the crashed worker wakes up, its outcome no longer applies
        await gate.open()
        _ = try? await hung.value
        #expect(try await harness.states() == ["delivered": 5])
        await harness.close()
    }

    @Test("a send that outlives its lease renews it: no other worker takes the batch over, and its outcome is recorded")
    func slowSendKeepsItsLease() async throws {
        let harness = try await PipelineHarness(tune: { $0.lease = .lasting(.milliseconds(300)) })
        try await harness.post((1...3).map { PipelineHarness.purchase("sale:t:slow-\($0)") })
        try await harness.prepareAll()
        // Given a worker whose send hangs for four lease lengths
        let gate = Gate()
        let slow = hangingWorker(harness, gate: gate, owner: "slow")
        let sending = Task { try await slow.deliverOnce(force: true) }
        for _ in 0..<200 where harness.mock.requestCount == 0 { try await Task.sleep(for: .milliseconds(10)) }
        // When other workers look for work meanwhile
        _ = try await harness.deliverUntil(timeout: .milliseconds(1200)) { false }
        // Then they found nothing to take over
        #expect(harness.mock.requestCount == 1, "the renewed lease kept the batch with its worker")
        // And the slow worker's outcome is what the store records
        await gate.open()
        _ = try await sending.value
        #expect(try await harness.states() == ["delivered": 3])
        #expect(harness.mock.requestCount == 1)
        await harness.close()
    }

    /// A worker of the harness's destination whose transport sends, then waits for `gate`.
    func hangingWorker(_ harness: PipelineHarness, gate: Gate, owner: String) -> DestinationWorkers {
        DestinationWorkers(
            destination: harness.workers.destination, store: harness.store,
            transport: HangingTransport(inner: DefaultTransport(client: harness.runtime.httpClient), gate: gate),
            sealer: harness.sealer, audit: nil, metrics: BridgeMetrics(factory: NOOPMetricsHandler.instance), logger: .init(label: owner),
            settings: { var s = DeliverySettings(); s.lease = harness.workers.settings.lease; s.maxWait = .zero; return s }(), owner: owner,
            now: { Timestamp.now() })
    }

    @Test("auth failure dead-letters and pauses the destination")
    func authFailure() async throws {
        let harness = try await PipelineHarness()
        harness.mock.script(.graphError(code: 190, subcode: 463, status: 400))
        try await harness.post([PipelineHarness.purchase("sale:t:auth")])
        try await harness.prepareAll()
        let dead = try await harness.deliverUntil { try await harness.states()["dead"] == 1 }
        #expect(dead)
        if case .paused = harness.workers.breakerStatus {} else { Issue.record("expected the destination to be paused") }
        try await harness.post([PipelineHarness.purchase("sale:t:after-auth")])
        try await harness.prepareAll()
        _ = try await harness.deliverUntil(timeout: .milliseconds(300)) { false }
        #expect(harness.mock.requestCount == 1, "nothing is sent while paused")
        await harness.close()
    }
}

/// Sends for real, then hangs (like a process that died before recording)
/// until the gate opens.
struct HangingTransport: Transport {
    let inner: DefaultTransport
    let gate: Gate

    func send(_ request: OutboundRequest, timeout: Duration) async -> TransportResult {
        let result = await inner.send(request, timeout: timeout)
        await gate.wait()
        return result
    }
}

actor Gate {
    private var waiters: [CheckedContinuation<Void, Never>] = []
    private var isOpen = false

    func wait() async {
        if isOpen { return }
        await withCheckedContinuation { waiters.append($0) }
    }

    func open() {
        isOpen = true
        for waiter in waiters { waiter.resume() }
        waiters = []
    }
}
