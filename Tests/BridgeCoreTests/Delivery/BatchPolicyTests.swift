import BridgeCore
import Testing

@Suite("Batch policy: when to send and how many")
struct BatchPolicyTests {
    @Test("Meta defaults: 1,000 events, 1 MiB, 1 s")
    func metaDefaults() {
        let meta = BatchPolicy.meta
        #expect(meta.maxEvents == 1000)
        #expect(meta.maxBytes == 1_048_576)
        #expect(meta.maxWait == .seconds(1))
    }

    @Test("bounded by the number of events")
    func boundedByCount() throws {
        let policy = try BatchPolicy(maxEvents: 3, maxBytes: 10_000)
        #expect(policy.count(fitting: [10, 10, 10, 10, 10]) == 3)
        #expect(policy.decide(readySizes: [10, 10, 10, 10], oldestReadyAt: t0, now: t0) == .send(count: 3))
        #expect(policy.decide(readySizes: [10, 10, 10], oldestReadyAt: t0, now: t0) == .send(count: 3))
    }

    @Test("bounded by bytes: envelope + items + separators, to the byte")
    func boundedByBytes() throws {
        let policy = try BatchPolicy(maxEvents: 100, maxBytes: 1000, envelopeBytes: 100, separatorBytes: 1)
        // 100 + 300 + 1 + 300 + 1 + 298 = 1000: fits exactly.
        #expect(policy.count(fitting: [300, 300, 298]) == 3)
        #expect(policy.count(fitting: [300, 300, 299]) == 2)
        // The next event does not fit: the request is full, send now.
        #expect(policy.decide(readySizes: [300, 300, 299], oldestReadyAt: t0, now: t0) == .send(count: 2))
    }

    @Test("waits for company until the oldest event has waited 1 s, then flushes")
    func maxWait() throws {
        let policy = try BatchPolicy(maxEvents: 1000, maxBytes: 1 << 20)
        #expect(policy.decide(readySizes: [], oldestReadyAt: nil, now: t0) == .idle)
        #expect(policy.decide(readySizes: [500], oldestReadyAt: t0, now: t0) == .wait(until: t0.plus(seconds: 1)))
        #expect(policy.decide(readySizes: [500, 400], oldestReadyAt: t0, now: t0.plus(seconds: 0.999)) == .wait(until: t0.plus(seconds: 1)))
        #expect(policy.decide(readySizes: [500, 400], oldestReadyAt: t0, now: t0.plus(seconds: 1)) == .send(count: 2))
        // A quiet hour: the single event goes out a second after it became ready.
        #expect(policy.decide(readySizes: [500], oldestReadyAt: t0, now: t0.advanced(by: .hours(1))) == .send(count: 1))
    }

    @Test("draining flushes at once")
    func draining() throws {
        let policy = try BatchPolicy(maxEvents: 10, maxBytes: 10_000)
        #expect(policy.decide(readySizes: [10], oldestReadyAt: t0, now: t0, draining: true) == .send(count: 1))
    }

    @Test("an event too large for any request is dead-lettered")
    func oversized() throws {
        let policy = try BatchPolicy(maxEvents: 10, maxBytes: 1000, envelopeBytes: 100)
        #expect(policy.decide(readySizes: [10, 950], oldestReadyAt: t0, now: t0) == .send(count: 1))
        let action = policy.decide(readySizes: [950, 10], oldestReadyAt: t0, now: t0)
        guard case .deadLetterFirst(let reason) = action else {
            Issue.record("expected a dead letter, got \(action)")
            return
        }
        #expect(reason.code == .payloadTooLarge)
        #expect(reason.message == "event of 950 bytes does not fit a request of 1000 bytes (100 bytes of envelope)")
        // Absurd sizes neither overflow nor slip through.
        #expect(policy.count(fitting: [10, Int.max]) == 1)
        if case .deadLetterFirst = policy.decide(readySizes: [Int.max], oldestReadyAt: t0, now: t0) {} else {
            Issue.record("an Int.max event must be dead-lettered")
        }
    }

    @Test("refuses impossible settings")
    func validation() {
        #expect(throws: DeliveryPolicyError.notPositive(setting: "batch_max_events")) { try BatchPolicy(maxEvents: 0, maxBytes: 1000) }
        #expect(throws: DeliveryPolicyError.self) { try BatchPolicy(maxEvents: 1, maxBytes: 100, envelopeBytes: 100) }
        #expect(throws: DeliveryPolicyError.self) { try BatchPolicy(maxEvents: 1, maxBytes: 1000, maxWait: .seconds(-1)) }
    }
}
