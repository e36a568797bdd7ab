import BridgeCore
import Testing

@Suite("Token bucket rate limit")
struct TokenBucketTests {
    @Test("follows the documented timeline (10/s, burst 20)")
    func documentedTable() throws {
        var bucket = try TokenBucket(rate: 10, burst: 20, now: t0)
        #expect(bucket.take(20, now: t0) == .granted)
        #expect(bucket.take(5, now: t0) == .wait(until: t0.plus(seconds: 0.5)))
        #expect(bucket.take(5, now: t0.plus(seconds: 0.5)) == .granted)
        #expect(bucket.take(30, now: t0.plus(seconds: 10)) == .granted)
        #expect(bucket.available(now: t0.plus(seconds: 10)) == -10)
        #expect(bucket.take(1, now: t0.plus(seconds: 10)) == .wait(until: t0.plus(seconds: 11.1)))
        #expect(bucket.take(1, now: t0.plus(seconds: 11.1)) == .granted)
    }

    @Test("starts full and never holds more than the burst")
    func capacity() throws {
        var bucket = try TokenBucket(rate: 1, burst: 3, now: t0)
        #expect(bucket.available(now: t0.advanced(by: .hours(1))) == 3)
        for _ in 0..<3 { #expect(bucket.take(1, now: t0) == .granted) }
        #expect(bucket.take(1, now: t0) == .wait(until: t0.plus(seconds: 1)))
    }

    @Test("a wait does not take tokens; asking again at the instant given succeeds")
    func waitThenGrant() throws {
        var bucket = try TokenBucket(rate: 3, burst: 1, now: t0)
        #expect(bucket.take(1, now: t0) == .granted)
        guard case .wait(let until) = bucket.take(1, now: t0) else {
            Issue.record("expected a wait")
            return
        }
        #expect(until == t0.plus(seconds: 0.334))  // 1/3 s rounded up to the millisecond
        #expect(bucket.take(1, now: until) == .granted)
    }

    @Test("a request larger than the burst waits for a full bucket, then leaves a debt")
    func oversized() throws {
        var bucket = try TokenBucket(rate: 100, burst: 50, now: t0)
        #expect(bucket.take(10, now: t0) == .granted)
        #expect(bucket.take(200, now: t0) == .wait(until: t0.plus(seconds: 0.1)))
        #expect(bucket.take(200, now: t0.plus(seconds: 0.1)) == .granted)
        #expect(bucket.take(1, now: t0.plus(seconds: 0.1)) == .wait(until: t0.plus(seconds: 1.61)))
    }

    @Test("hold(until:) refuses everything until then, while the bucket refills")
    func hold() throws {
        var bucket = try TokenBucket(rate: 1, burst: 5, now: t0)
        #expect(bucket.take(5, now: t0) == .granted)
        bucket.hold(until: t0.plus(seconds: 60))
        bucket.hold(until: t0.plus(seconds: 30))  // an earlier hold does not shorten it
        #expect(bucket.take(1, now: t0.plus(seconds: 59)) == .wait(until: t0.plus(seconds: 60)))
        #expect(bucket.take(5, now: t0.plus(seconds: 60)) == .granted)
    }

    @Test("a clock stepping back mints no tokens")
    func clockBackwards() throws {
        var bucket = try TokenBucket(rate: 1, burst: 2, now: t0)
        #expect(bucket.take(2, now: t0.plus(seconds: 10)) == .granted)
        #expect(bucket.take(1, now: t0.plus(seconds: 5)) == .wait(until: t0.plus(seconds: 6)))
        #expect(bucket.take(1, now: t0.plus(seconds: 11)) == .granted)
    }

    @Test("taking nothing is always granted; bad settings are refused")
    func edges() throws {
        var bucket = try TokenBucket(rate: 1, burst: 1, now: t0)
        #expect(bucket.take(1, now: t0) == .granted)
        #expect(bucket.take(0, now: t0) == .granted)
        #expect(throws: DeliveryPolicyError.notPositive(setting: "rate_limit_per_second")) { try TokenBucket(rate: 0, burst: 1, now: t0) }
        #expect(throws: DeliveryPolicyError.notPositive(setting: "rate_limit_burst")) { try TokenBucket(rate: 1, burst: 0, now: t0) }
    }
}
