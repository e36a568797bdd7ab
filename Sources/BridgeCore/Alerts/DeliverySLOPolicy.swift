/// Judges each destination's delivery health from outcome counts (all
/// instances, per minute): pure.
///
/// Counted per event, where a worker records its outcome: *delivered* (the
/// platform acknowledged it), *retried* (a failed attempt that will be
/// tried again), *dead-lettered* (given up: refused, too old, past the retry
/// horizon, and every event of a batch refused for its credentials).
/// Consent suppressions and skips never reach a worker and count nowhere.
///
/// | condition | over | holds when |
/// |---|---|---|
/// | `delivery_slo_breached` | `sloWindow` (1 h) | at least `minOutcomes` (20) events reached an outcome, and delivered ÷ (delivered + dead-lettered) < the destination's target (99.5 %) |
/// | `error_rate_spike` | `spikeWindow` (5 min) | at least `spikeMinAttempts` (20) attempts, and (retried + dead-lettered) ÷ (delivered + retried + dead-lettered) ≥ `spikeErrorRate` (25 %) |
///
/// The SLO counts only final outcomes (a retry may still succeed); the
/// spike counts every attempt, so a platform answering 503 to everything
/// shows within minutes, long before the retries give up. The minimum
/// counts keep one failure among a handful of events from paging anyone.
public struct DeliverySLOPolicy: Sendable, Hashable {
    /// Success target for destinations without their own (0.995 = 99.5 %).
    public var successTarget: Double
    /// Per-destination targets, by configured name.
    public var targets: [String: Double]
    public var sloWindow: Duration
    public var minOutcomes: Int
    /// Share of failed attempts (0.25 = 25 %) at which a spike is raised.
    public var spikeErrorRate: Double
    public var spikeWindow: Duration
    public var spikeMinAttempts: Int

    /// - Throws: `DeliveryPolicyError` for a rate outside (0, 1], a window
    ///   not above zero or a minimum below 1.
    public init(
        successTarget: Double = 0.995, targets: [String: Double] = [:], sloWindow: Duration = .seconds(3600), minOutcomes: Int = 20,
        spikeErrorRate: Double = 0.25, spikeWindow: Duration = .seconds(300), spikeMinAttempts: Int = 20
    ) throws(DeliveryPolicyError) {
        for (name, target) in [("success_percent", successTarget)] + targets.sorted(by: { $0.key < $1.key }).map({ ("destinations.\($0.key)", $0.value) })
        where !(target > 0 && target <= 1) {
            throw .outOfRange(setting: name, allowed: "above 0 and at most 100 %")
        }
        guard spikeErrorRate > 0, spikeErrorRate <= 1 else { throw .outOfRange(setting: "error_percent", allowed: "above 0 and at most 100 %") }
        guard sloWindow > .zero else { throw .notPositive(setting: "delivery_slo.window_minutes") }
        guard spikeWindow > .zero else { throw .notPositive(setting: "error_spike.window_minutes") }
        guard minOutcomes >= 1 else { throw .outOfRange(setting: "min_outcomes", allowed: "1 or more") }
        guard spikeMinAttempts >= 1 else { throw .outOfRange(setting: "min_attempts", allowed: "1 or more") }
        self.successTarget = successTarget
        self.targets = targets
        self.sloWindow = sloWindow
        self.minOutcomes = minOutcomes
        self.spikeErrorRate = spikeErrorRate
        self.spikeWindow = spikeWindow
        self.spikeMinAttempts = spikeMinAttempts
    }

    /// The defaults in the table above.
    public static var standard: DeliverySLOPolicy {
        DeliverySLOPolicy(unchecked: ())
    }

    private init(unchecked: Void) {
        (successTarget, targets, sloWindow, minOutcomes) = (0.995, [:], .seconds(3600), 20)
        (spikeErrorRate, spikeWindow, spikeMinAttempts) = (0.25, .seconds(300), 20)
    }

    /// Outcome counts of one destination over one window.
    public struct Counts: Sendable, Hashable {
        public var delivered: Int
        public var retried: Int
        public var deadLettered: Int

        public init(delivered: Int = 0, retried: Int = 0, deadLettered: Int = 0) {
            self.delivered = delivered
            self.retried = retried
            self.deadLettered = deadLettered
        }

        /// delivered ÷ (delivered + dead-lettered); `nil` without a final outcome.
        public var successRatio: Double? {
            let outcomes = delivered + deadLettered
            return outcomes == 0 ? nil : Double(delivered) / Double(outcomes)
        }

        /// (retried + dead-lettered) ÷ all attempts; `nil` without an attempt.
        public var errorRatio: Double? {
            let attempts = delivered + retried + deadLettered
            return attempts == 0 ? nil : Double(retried + deadLettered) / Double(attempts)
        }
    }

    /// The success target of `destination`.
    public func target(for destination: String) -> Double { targets[destination] ?? successTarget }

    /// One finding per condition (`delivery_slo_breached`, `error_rate_spike`).
    /// - Parameters:
    ///   - slo: counts over `sloWindow`.
    ///   - recent: counts over `spikeWindow`.
    public func findings(destination: String, slo: Counts, recent: Counts) -> [AlertFinding] {
        let subject = AlertSubject.destination(destination)
        var breach: String?
        let target = target(for: destination)
        let outcomes = slo.delivered + slo.deadLettered
        if outcomes >= minOutcomes, let ratio = slo.successRatio, ratio < target {
            breach = "\(Self.percent(ratio)) of \(outcomes) events were delivered in the last \(DurationText.describe(sloWindow)) "
                + "(SLO \(Self.percent(target))): \(slo.deadLettered) dead-lettered; `capi-bridge dlq list --destination \(destination)` shows why"
        }
        var spike: String?
        let attempts = recent.delivered + recent.retried + recent.deadLettered
        if attempts >= spikeMinAttempts, let ratio = recent.errorRatio, ratio >= spikeErrorRate {
            spike = "\(Self.percent(ratio)) of \(attempts) delivery attempts failed in the last \(DurationText.describe(spikeWindow)) "
                + "(threshold \(Self.percent(spikeErrorRate))): \(recent.retried) to retry, \(recent.deadLettered) dead-lettered"
        }
        return [
            AlertFinding(subject: subject, condition: .deliverySLOBreached, detail: breach),
            AlertFinding(subject: subject, condition: .errorRateSpike, detail: spike),
        ]
    }

    /// `99.5 %`, `100 %`, `87.25 %`: at most two decimals, no trailing zeros.
    static func percent(_ ratio: Double) -> String {
        // Down, so a rate just under a target never prints as the target; the
        // epsilon keeps binary fractions (0.995 is 0.99499…) from losing a digit.
        let hundredths = Int64((ratio * 10_000 + 1e-6).rounded(.down))
        let whole = hundredths / 100
        let fraction = hundredths % 100
        if fraction == 0 { return "\(whole) %" }
        if fraction % 10 == 0 { return "\(whole).\(fraction / 10) %" }
        return "\(whole).\(fraction < 10 ? "0" : "")\(fraction) %"
    }
}
