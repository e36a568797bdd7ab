import BridgeCore
import Testing

@Suite("Event age check before sending")
struct EventAgeLimitTests {
    let meta = EventAgeLimit.meta

    @Test("Meta's limits: 7 days, 1 hour margin, 5 minutes ahead")
    func metaDefaults() {
        #expect(meta.maxAge == .days(7))
        #expect(meta.safetyMargin == .hours(1))
        #expect(meta.futureTolerance == .seconds(300))
        #expect(meta.latestSendTime(forEventAt: t0) == t0.advanced(by: .days(7) - .hours(1)))
    }

    @Test("sendable from 5 minutes ahead up to 7 days minus 1 hour old")
    func window() {
        #expect(meta.check(eventTime: t0, now: t0) == .sendable)
        #expect(meta.check(eventTime: t0, now: t0.advanced(by: .days(7) - .hours(1))) == .sendable)
        #expect(meta.check(eventTime: t0.plus(seconds: 300), now: t0) == .sendable)
    }

    @Test("older than the limit: event_too_old, without sending")
    func tooOld() {
        let now = t0.advanced(by: .days(7) - .hours(1)).plus(seconds: 0.001)
        let verdict = meta.check(eventTime: t0, now: now)
        #expect(verdict == .tooOld(age: now.duration(since: t0), limit: .days(7) - .hours(1)))
        #expect(verdict.deadLetterReason?.code == .eventTooOld)
        #expect(meta.check(eventTime: t0, now: t0.advanced(by: .days(30))).deadLetterReason?.message == "event time is 30 d old; the limit is 167 h")
    }

    @Test("further in the future than the tolerance: event_in_future")
    func inFuture() {
        let verdict = meta.check(eventTime: t0.plus(seconds: 301), now: t0)
        #expect(verdict == .inFuture(ahead: .seconds(301), tolerance: .seconds(300)))
        #expect(verdict.deadLetterReason?.code == .eventInFuture)
        #expect(meta.check(eventTime: t0.advanced(by: .hours(2)), now: t0).deadLetterReason?.message
            == "event time is 2 h in the future; the tolerance is 5 min")
    }

    @Test("refuses a margin as long as the window")
    func validation() {
        #expect(throws: DeliveryPolicyError.self) { try EventAgeLimit(maxAge: .hours(1), safetyMargin: .hours(1), futureTolerance: .zero) }
        #expect(throws: DeliveryPolicyError.self) { try EventAgeLimit(maxAge: .hours(1), safetyMargin: .seconds(-1), futureTolerance: .zero) }
        #expect(throws: DeliveryPolicyError.self) { try EventAgeLimit(maxAge: .hours(1), safetyMargin: .zero, futureTolerance: .seconds(-1)) }
        #expect(throws: Never.self) { try EventAgeLimit(maxAge: .hours(72), safetyMargin: .zero, futureTolerance: .zero) }
    }
}
