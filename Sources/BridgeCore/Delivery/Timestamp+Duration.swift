/// Arithmetic between `Timestamp` (whole milliseconds) and Swift's `Duration`,
/// used by the delivery policies. Durations are truncated to whole
/// milliseconds, the resolution of every timestamp the bridge stores.
extension Timestamp {
    /// This instant moved by `duration` (negative durations move it back).
    /// Saturates instead of overflowing.
    public func advanced(by duration: Duration) -> Timestamp {
        let (sum, overflow) = millisecondsSinceEpoch.addingReportingOverflow(duration.wholeMilliseconds)
        if overflow { return Timestamp(millisecondsSinceEpoch: duration < .zero ? .min : .max) }
        return Timestamp(millisecondsSinceEpoch: sum)
    }

    /// The time from `earlier` to this instant; negative when `earlier` is later.
    public func duration(since earlier: Timestamp) -> Duration {
        let (difference, overflow) = millisecondsSinceEpoch.subtractingReportingOverflow(earlier.millisecondsSinceEpoch)
        if overflow { return .milliseconds(self < earlier ? Int64.min : Int64.max) }
        return .milliseconds(difference)
    }
}

extension Duration {
    /// The duration in whole milliseconds, rounded toward zero, saturating at
    /// the bounds of `Int64`.
    var wholeMilliseconds: Int64 {
        let (seconds, attoseconds) = components
        let (millis, overflow) = seconds.multipliedReportingOverflow(by: 1000)
        if overflow { return seconds < 0 ? .min : .max }
        let (total, overflow2) = millis.addingReportingOverflow(attoseconds / 1_000_000_000_000_000)
        if overflow2 { return seconds < 0 ? .min : .max }
        return total
    }
}

/// Short human forms of durations for messages and alerts ("1 h", "600 s",
/// "7 d", "250 ms"): the largest unit that divides the value exactly.
enum DurationText {
    static func describe(_ duration: Duration) -> String {
        let millis = duration.wholeMilliseconds
        let units: [(Int64, String)] = [(86_400_000, "d"), (3_600_000, "h"), (60_000, "min"), (1000, "s")]
        for (size, name) in units where millis != 0 && millis % size == 0 {
            return "\(millis / size) \(name)"
        }
        return "\(millis) ms"
    }
}
