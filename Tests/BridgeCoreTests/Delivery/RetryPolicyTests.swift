import BridgeCore
import Testing

@Suite("Retry policy: exponential backoff with full jitter")
struct RetryPolicyTests {
    let policy = RetryPolicy.standard

    @Test(
        "the ceiling doubles from 1 s and stops at the 600 s cap (the documented table)",
        arguments: [
            (1, 1), (2, 2), (3, 4), (4, 8), (5, 16), (6, 32), (7, 64), (8, 128), (9, 256), (10, 512), (11, 600),
            (12, 600), (300, 600), (Int.max, 600),
        ] as [(Int, Int64)])
    func ceilingTable(failures: Int, seconds: Int64) {
        #expect(policy.ceiling(afterFailures: failures) == .seconds(seconds))
    }

    @Test("the highest draw is exactly the ceiling, the lowest is now")
    func drawBounds() {
        var high = ConstantGenerator.highest
        var low = ConstantGenerator.lowest
        for failures in 1...12 {
            let state = RetryState(failures: failures, since: t0)
            let ceiling = policy.ceiling(afterFailures: failures)
            #expect(policy.decide(after: state, now: t0, using: &high) == .retry(at: t0.advanced(by: ceiling)))
            #expect(policy.decide(after: state, now: t0, using: &low) == .retry(at: t0))
        }
    }

    @Test("seeded draws stay within [now, now + ceiling] and spread over the whole interval")
    func jitterSpread() throws {
        var generator = SplitMix64(seed: 42)
        let state = RetryState(failures: 4, since: t0)  // ceiling 8 s
        var delays: [Int64] = []
        for _ in 0..<2000 {
            guard case .retry(let at) = policy.decide(after: state, now: t0, using: &generator) else {
                Issue.record("gave up inside the horizon")
                return
            }
            delays.append(at.millisecondsSinceEpoch - t0.millisecondsSinceEpoch)
        }
        #expect(delays.allSatisfy { (0...8000).contains($0) })
        let mean = Double(delays.reduce(0, +)) / Double(delays.count)
        #expect((3600...4400).contains(mean), "full jitter has mean ceiling/2")
        #expect(try #require(delays.min()) < 400)
        #expect(try #require(delays.max()) > 7600)
    }

    @Test("the same seed gives the same schedule")
    func deterministic() {
        var a = SplitMix64(seed: 7)
        var b = SplitMix64(seed: 7)
        for failures in 1...20 {
            let state = RetryState(failures: failures, since: t0)
            #expect(policy.decide(after: state, now: t0, using: &a) == policy.decide(after: state, now: t0, using: &b))
        }
    }

    @Test("Retry-After is a floor, even beyond the cap")
    func retryAfterFloor() {
        var high = ConstantGenerator.highest
        let state = RetryState(failures: 1, since: t0)  // draw at most 1 s
        // Later than the draw: wins.
        #expect(policy.decide(after: state, now: t0, retryAfter: t0.plus(seconds: 120), using: &high) == .retry(at: t0.plus(seconds: 120)))
        // Beyond the 600 s cap: still honoured.
        #expect(policy.decide(after: state, now: t0, retryAfter: t0.plus(seconds: 3600), using: &high) == .retry(at: t0.plus(seconds: 3600)))
        // Earlier than the draw, or in the past: the draw wins.
        #expect(policy.decide(after: state, now: t0, retryAfter: t0.plus(seconds: 0.5), using: &high) == .retry(at: t0.plus(seconds: 1)))
        #expect(policy.decide(after: state, now: t0, retryAfter: t0.plus(seconds: -30), using: &high) == .retry(at: t0.plus(seconds: 1)))
    }

    @Test("retries up to the 24 h horizon and gives up once the next attempt would pass it")
    func horizon() {
        var high = ConstantGenerator.highest
        let state = RetryState(failures: 40, since: t0)
        let lastChance = t0.advanced(by: .hours(24) - .seconds(600))
        #expect(policy.decide(after: state, now: lastChance, using: &high) == .retry(at: t0.advanced(by: .hours(24))))
        let decision = policy.decide(after: state, now: lastChance.plus(seconds: 0.001), using: &high)
        guard case .giveUp(let reason) = decision else {
            Issue.record("expected to give up, got \(decision)")
            return
        }
        #expect(reason.code == .retryHorizonExceeded)
        #expect(reason.code.rawValue == "retry_horizon_exceeded")
        #expect(reason.message.contains("40 failed attempts"))
    }

    @Test("a Retry-After beyond the horizon gives up at once")
    func retryAfterBeyondHorizon() {
        var low = ConstantGenerator.lowest
        let state = RetryState(failures: 1, since: t0)
        let decision = policy.decide(after: state, now: t0, retryAfter: t0.advanced(by: .hours(25)), using: &low)
        #expect(decision.giveUpCode == .retryHorizonExceeded)
    }

    @Test("never schedules past the event-age limit minus the margin (Meta: 7 d − 1 h)")
    func eventAgeCutOff() throws {
        let meta = try RetryPolicy(eventAge: .meta)
        var high = ConstantGenerator.highest
        let eventTime = t0
        let latest = eventTime.advanced(by: .days(7) - .hours(1))
        // Received late (e.g. a replay): the horizon is far, the age limit is near.
        let state = RetryState(failures: 20, since: latest.advanced(by: .hours(-2)), oldestEventTime: eventTime)
        #expect(meta.decide(after: state, now: latest.plus(seconds: -600), using: &high) == .retry(at: latest))
        let decision = meta.decide(after: state, now: latest.plus(seconds: -599), using: &high)
        #expect(decision.giveUpCode == .eventTooOld)
        #expect(decision.giveUpCode?.rawValue == "event_too_old")
    }

    @Test("when both cut-offs are passed, the earlier one names the reason")
    func earlierDeadlineWins() throws {
        let meta = try RetryPolicy(eventAge: .meta)
        var low = ConstantGenerator.lowest
        let now = t0.advanced(by: .days(3))
        // Horizon ended first (since = now − 30 h), age limit later.
        let horizonFirst = RetryState(failures: 3, since: now.advanced(by: .hours(-30)), oldestEventTime: now.advanced(by: .days(-6)))
        #expect(meta.decide(after: horizonFirst, now: now, retryAfter: now.advanced(by: .days(2)), using: &low).giveUpCode == .retryHorizonExceeded)
        // Age limit ended first.
        let ageFirst = RetryState(failures: 3, since: now.advanced(by: .hours(-1)), oldestEventTime: now.advanced(by: .days(-6) - .hours(2)))
        #expect(meta.decide(after: ageFirst, now: now, retryAfter: now.advanced(by: .days(2)), using: &low).giveUpCode == .eventTooOld)
    }

    @Test("without an oldest event time the age cut-off is skipped")
    func noEventTime() throws {
        let meta = try RetryPolicy(eventAge: .meta)
        var low = ConstantGenerator.lowest
        let state = RetryState(failures: 1, since: t0)
        #expect(meta.decide(after: state, now: t0, using: &low) == .retry(at: t0))
    }

    @Test("refuses settings that cannot work")
    func validation() {
        #expect(throws: DeliveryPolicyError.notPositive(setting: "retry_base")) { try RetryPolicy(base: .zero) }
        #expect(throws: DeliveryPolicyError.outOfRange(setting: "retry_factor", allowed: "1 or more")) { try RetryPolicy(factor: 0.5) }
        #expect(throws: DeliveryPolicyError.outOfRange(setting: "retry_cap", allowed: "at least retry_base")) {
            try RetryPolicy(base: .seconds(10), cap: .seconds(5))
        }
        #expect(throws: DeliveryPolicyError.notPositive(setting: "retry_horizon")) { try RetryPolicy(horizon: .zero) }
    }

    @Test("a factor of 1 is a constant delay")
    func constantFactor() throws {
        let flat = try RetryPolicy(base: .seconds(5), factor: 1, cap: .seconds(60))
        #expect(flat.ceiling(afterFailures: 1) == .seconds(5))
        #expect(flat.ceiling(afterFailures: 1_000_000) == .seconds(5))
    }
}

extension RetryDecision {
    var giveUpCode: DeadLetterReason.Code? {
        if case .giveUp(let reason) = self { return reason.code }
        return nil
    }
}
