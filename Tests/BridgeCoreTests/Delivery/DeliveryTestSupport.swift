import BridgeCore

// `SplitMix64(seed:)`, the seeded generator, lives in Support/SplitMix64.swift.

/// Always answers the same word: `.max` draws the top of any range, `1` the
/// bottom (the standard library's unbiased sampling would loop for ever on 0).
struct ConstantGenerator: RandomNumberGenerator {
    let value: UInt64
    static let highest = ConstantGenerator(value: .max)
    static let lowest = ConstantGenerator(value: 1)
    mutating func next() -> UInt64 { value }
}

/// 2026-03-14T12:00:00Z, the reference instant of the delivery tests.
let t0 = Timestamp(millisecondsSinceEpoch: 1_773_489_600_000)

extension Timestamp {
    /// `self` plus whole seconds, for readable test timelines.
    func plus(seconds: Double) -> Timestamp {
        Timestamp(millisecondsSinceEpoch: millisecondsSinceEpoch + Int64((seconds * 1000).rounded()))
    }
}

extension Duration {
    static func hours(_ hours: Int64) -> Duration { .seconds(hours * 3600) }
    static func days(_ days: Int64) -> Duration { .seconds(days * 86_400) }
}
