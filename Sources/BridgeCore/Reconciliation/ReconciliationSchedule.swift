/// When `serve` reconciles on its own: once a day at a time of day in UTC,
/// over the `window` that ends at that time.
///
/// A pure state machine over the last slot that ran (kept in the store, so
/// it holds across restarts and instances):
///
/// | state | `decide(now:lastRun:)` |
/// |---|---|
/// | the latest slot (≤ now) has a run | `.wait(until: next slot)` |
/// | the latest slot has no run (a restart or an outage missed it) | `.run(slot)`: caught up once, at once |
///
/// Slots are `dailyAt` every UTC day; the run of slot `s` covers
/// `[s − window, s)`, so two instances, or a restart, reconcile the same
/// window and can tell it ran.
public struct ReconciliationSchedule: Sendable, Hashable {
    /// Minutes after midnight UTC.
    public let minuteOfDay: Int
    /// How far back each run looks.
    public let window: Duration

    /// What the scheduler does next.
    public enum Action: Sendable, Equatable {
        /// Reconcile the window ending at this slot.
        case run(slot: Timestamp)
        /// Nothing due before this instant.
        case wait(until: Timestamp)
    }

    /// Why a schedule is refused.
    public enum Problem: Error, Equatable, Sendable, CustomStringConvertible {
        case badTime
        case badWindow

        public var description: String {
            switch self {
            case .badTime: return "must be a UTC time of day as HH:MM (00:00 to 23:59)"
            case .badWindow: return "must be between 1 and 2208 hours (92 days)"
            }
        }
    }

    /// - Parameters:
    ///   - dailyAt: `HH:MM`, UTC.
    ///   - window: at most 92 days.
    /// - Throws: `Problem` for a malformed time or window.
    public init(dailyAt: String, window: Duration) throws(Problem) {
        let parts = dailyAt.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ $0.count == 2 }), let hour = Int(parts[0]), let minute = Int(parts[1]),
            (0..<24).contains(hour), (0..<60).contains(minute)
        else { throw .badTime }
        guard window >= .seconds(3600), window <= ReconciliationWindow.maximum else { throw .badWindow }
        self.minuteOfDay = hour * 60 + minute
        self.window = window
    }

    /// `HH:MM`.
    public var dailyAt: String {
        let hour = minuteOfDay / 60, minute = minuteOfDay % 60
        return (hour < 10 ? "0" : "") + String(hour) + ":" + (minute < 10 ? "0" : "") + String(minute)
    }

    static let day: Int64 = 86_400_000

    /// The latest slot at or before `now`.
    public func latestSlot(atOrBefore now: Timestamp) -> Timestamp {
        let offset = Int64(minuteOfDay) * 60_000
        let ms = now.millisecondsSinceEpoch - offset
        let midnight = ms - ((ms % Self.day) + Self.day) % Self.day
        return Timestamp(millisecondsSinceEpoch: midnight + offset)
    }

    /// The first slot after `now`.
    public func nextSlot(after now: Timestamp) -> Timestamp {
        latestSlot(atOrBefore: now).advanced(by: .milliseconds(Self.day))
    }

    /// The next action, given the slot of the last scheduled run (`nil` when none ran).
    public func decide(now: Timestamp, lastRun: Timestamp?) -> Action {
        let slot = latestSlot(atOrBefore: now)
        if let lastRun, lastRun >= slot { return .wait(until: nextSlot(after: now)) }
        return .run(slot: slot)
    }

    /// The window the run of `slot` covers: `[slot − window, slot)`.
    public func window(endingAt slot: Timestamp) -> ReconciliationWindow {
        // `init` bounds `window` to 1 h…92 d, which is a valid window.
        ReconciliationWindow(unchecked: slot.advanced(by: .zero - window), until: slot)
    }
}
