import BridgeCore
import Testing

/// The daily schedule: which slot is due, and the window each slot covers.
@Suite("Reconciliation schedule")
struct ReconciliationScheduleTests {
    /// 2026-01-02T03:30:00Z
    static let slot = Timestamp(secondsSinceEpoch: 1_767_324_600)

    @Test("the latest slot runs once; a missed slot is caught up at once; the next waits for its time")
    func decide() throws {
        let schedule = try ReconciliationSchedule(dailyAt: "03:30", window: .seconds(48 * 3600))
        let afterSlot = Self.slot.advanced(by: .seconds(600))
        #expect(schedule.decide(now: afterSlot, lastRun: nil) == .run(slot: Self.slot))
        #expect(schedule.decide(now: afterSlot, lastRun: Self.slot) == .wait(until: Self.slot.advanced(by: .seconds(86_400))))
        // A slot missed yesterday (the last run was two slots ago): today's runs now
        #expect(schedule.decide(now: afterSlot, lastRun: Self.slot.advanced(by: .seconds(-86_400))) == .run(slot: Self.slot))
        // Just before the slot, yesterday's slot is the latest
        #expect(schedule.latestSlot(atOrBefore: Self.slot.advanced(by: .seconds(-1))) == Self.slot.advanced(by: .seconds(-86_400)))
        let window = schedule.window(endingAt: Self.slot)
        #expect(window.since == Self.slot.advanced(by: .seconds(-48 * 3600)) && window.until == Self.slot)
    }

    @Test("a malformed time or window is refused", arguments: ["3:30", "24:00", "03:60", "0330", ""])
    func refused(_ dailyAt: String) {
        #expect(throws: ReconciliationSchedule.Problem.badTime) { _ = try ReconciliationSchedule(dailyAt: dailyAt, window: .seconds(3600)) }
    }
}
