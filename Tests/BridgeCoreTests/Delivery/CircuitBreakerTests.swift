import BridgeCore
import Testing

@Suite("Circuit breaker state machine")
struct CircuitBreakerTests {
    @Test("closed → open after 5 consecutive failures; a success resets the count")
    func opensAfterConsecutiveFailures() {
        var breaker = CircuitBreaker()
        #expect(breaker.shouldAttempt(now: t0) == .proceed)
        for i in 0..<4 { #expect(breaker.requestFailed(now: t0.plus(seconds: Double(i))) == .none) }
        #expect(breaker.requestSucceeded(now: t0.plus(seconds: 4)) == .none)
        for i in 5..<9 { #expect(breaker.requestFailed(now: t0.plus(seconds: Double(i))) == .none) }
        #expect(breaker.status == .closed)
        #expect(breaker.requestFailed(now: t0.plus(seconds: 9)) == .opened(until: t0.plus(seconds: 39)))
        #expect(breaker.status == .open(until: t0.plus(seconds: 39)))
        #expect(breaker.shouldAttempt(now: t0.plus(seconds: 10)) == .wait(until: t0.plus(seconds: 39)))
    }

    @Test("open → half-open after the cool-down: one probe, the others wait; success closes")
    func probeSucceeds() {
        var breaker = opened()
        let until = t0.plus(seconds: 30)
        #expect(breaker.shouldAttempt(now: until.plus(seconds: -0.001)) == .wait(until: until))
        #expect(breaker.shouldAttempt(now: until) == .probe)
        #expect(breaker.status == .halfOpen)
        #expect(breaker.shouldAttempt(now: until.plus(seconds: 1)) == .wait(until: until.plus(seconds: 60)))
        #expect(breaker.requestSucceeded(now: until.plus(seconds: 2)) == .closed)
        #expect(breaker.status == .closed)
        #expect(breaker.shouldAttempt(now: until.plus(seconds: 3)) == .proceed)
        // Counters were reset: four failures do not re-open.
        for i in 0..<4 { breaker.requestFailed(now: until.plus(seconds: 4 + Double(i))) }
        #expect(breaker.status == .closed)
    }

    @Test("a failed probe re-opens with a doubled cool-down, up to 10 minutes")
    func probeFailsBacksOff() {
        var breaker = opened()
        var now = t0
        var coolDowns: [Int64] = []
        var coolDown: Int64 = 30
        for _ in 0..<8 {
            now = now.plus(seconds: Double(coolDown))
            #expect(breaker.shouldAttempt(now: now) == .probe)
            guard case .opened(let until) = breaker.requestFailed(now: now) else {
                Issue.record("probe failure must re-open")
                return
            }
            coolDown = until.duration(since: now).wholeSeconds
            coolDowns.append(coolDown)
        }
        #expect(coolDowns == [60, 120, 240, 480, 600, 600, 600, 600])
        // A successful probe resets the cool-down to 30 s for the next opening.
        now = now.plus(seconds: 600)
        #expect(breaker.shouldAttempt(now: now) == .probe)
        #expect(breaker.requestSucceeded(now: now) == .closed)
        for _ in 0..<5 { breaker.requestFailed(now: now) }
        #expect(breaker.status == .open(until: now.plus(seconds: 30)))
    }

    @Test("a probe lost without an answer is replaced after the probe timeout")
    func lostProbe() {
        var breaker = opened()
        let until = t0.plus(seconds: 30)
        #expect(breaker.shouldAttempt(now: until) == .probe)
        #expect(breaker.shouldAttempt(now: until.plus(seconds: 59.999)) == .wait(until: until.plus(seconds: 60)))
        #expect(breaker.shouldAttempt(now: until.plus(seconds: 60)) == .probe)
        #expect(breaker.shouldAttempt(now: until.plus(seconds: 61)) == .wait(until: until.plus(seconds: 120)))
    }

    @Test("outcomes of requests sent before it opened are ignored while open")
    func ignoresLateOutcomesWhileOpen() {
        var breaker = opened()
        #expect(breaker.requestSucceeded(now: t0.plus(seconds: 1)) == .none)
        #expect(breaker.requestFailed(now: t0.plus(seconds: 2)) == .none)
        #expect(breaker.status == .open(until: t0.plus(seconds: 30)))
    }

    @Test("opens on a failure ratio of 50 % over at least 20 requests in the window")
    func opensOnRatio() {
        var breaker = CircuitBreaker()
        // Alternate failure/success: never 5 in a row, 50 % failures.
        for i in 0..<19 {
            let now = t0.plus(seconds: Double(i))
            if i.isMultiple(of: 2) { breaker.requestFailed(now: now) } else { breaker.requestSucceeded(now: now) }
        }
        #expect(breaker.status == .closed)  // 19 samples, 10 failures: below the minimum count
        #expect(breaker.requestSucceeded(now: t0.plus(seconds: 19)) == .none)  // successes never open
        #expect(breaker.requestFailed(now: t0.plus(seconds: 20)) == .opened(until: t0.plus(seconds: 50)))
    }

    @Test("old outcomes leave the 60 s window")
    func windowSlides() {
        var breaker = CircuitBreaker()
        // 19 outcomes, 10 of them failures: one more failure would open…
        for i in 0..<19 {
            let now = t0.plus(seconds: Double(i))
            if i.isMultiple(of: 2) { breaker.requestFailed(now: now) } else { breaker.requestSucceeded(now: now) }
        }
        #expect(breaker.status == .closed)
        // …but 90 s later they have left the window: 1 failure of 1 outcome.
        #expect(breaker.requestFailed(now: t0.plus(seconds: 90)) == .none)
        #expect(breaker.status == .closed)
    }

    @Test("an auth failure pauses from any state; only resume clears it")
    func pauseAndResume() {
        var breaker = CircuitBreaker()
        #expect(breaker.authFailed("HTTP 401: token expired", now: t0) == .paused(reason: "HTTP 401: token expired"))
        #expect(breaker.shouldAttempt(now: t0.advanced(by: .hours(48))) == .paused("HTTP 401: token expired"))
        #expect(breaker.requestSucceeded(now: t0.plus(seconds: 1)) == .none)
        #expect(breaker.authFailed("again", now: t0.plus(seconds: 2)) == .none)
        #expect(breaker.status == .paused(reason: "HTTP 401: token expired"))
        #expect(breaker.resume(now: t0.plus(seconds: 3)) == .closed)
        #expect(breaker.shouldAttempt(now: t0.plus(seconds: 3)) == .proceed)
        #expect(breaker.resume(now: t0.plus(seconds: 4)) == .none)

        var open = opened()
        #expect(open.authFailed("denied", now: t0.plus(seconds: 1)) == .paused(reason: "denied"))
        var halfOpen = opened()
        #expect(halfOpen.shouldAttempt(now: t0.plus(seconds: 30)) == .probe)
        #expect(halfOpen.record(.authFailure(message: "denied"), now: t0.plus(seconds: 31)) == .paused(reason: "denied"))
    }

    @Test("verdicts count as the table in DeliveryVerdict says")
    func recordVerdicts() {
        var breaker = CircuitBreaker()
        let bad = DeadLetterReason(code: .invalidParameters, message: "")
        for _ in 0..<4 { breaker.record(.retry(after: nil, reason: .timeout), now: t0) }
        breaker.record(.throttled(after: nil), now: t0)  // the platform answered: resets the run
        for _ in 0..<4 { breaker.record(.retry(after: nil, reason: .httpStatus(503)), now: t0) }
        breaker.record(.deadLetter(bad), now: t0)
        for _ in 0..<4 { breaker.record(.retry(after: nil, reason: .networkError("reset")), now: t0) }
        breaker.record(.partial([.delivered, .deadLetter(bad)]), now: t0)
        #expect(breaker.status == .closed)
        for _ in 0..<5 { breaker.record(.retry(after: nil, reason: .timeout), now: t0) }
        #expect(breaker.status == .open(until: t0.plus(seconds: 30)))
    }

    @Test("refuses impossible settings")
    func validation() throws {
        #expect(throws: DeliveryPolicyError.self) { try CircuitBreaker.Configuration(consecutiveFailures: 0) }
        #expect(throws: DeliveryPolicyError.self) { try CircuitBreaker.Configuration(failureRatio: 1.5) }
        #expect(throws: DeliveryPolicyError.self) { try CircuitBreaker.Configuration(coolDown: .seconds(60), maxCoolDown: .seconds(30)) }
        #expect(throws: Never.self) { try CircuitBreaker.Configuration() }
        #expect(try CircuitBreaker.Configuration() == CircuitBreaker.Configuration.standard)
    }

    /// A breaker opened at `t0` (cool-down 30 s).
    private func opened() -> CircuitBreaker {
        var breaker = CircuitBreaker()
        for _ in 0..<5 { breaker.requestFailed(now: t0) }
        return breaker
    }
}

extension Duration {
    var wholeSeconds: Int64 { components.seconds }
}
