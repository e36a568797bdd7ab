/// Decides the reconciliation alert of one source from each scheduled run:
/// one alert when a run first finds missing orders or undelivered value
/// above the thresholds, one "resolved" when a later run finds them clear.
///
/// The state is the start time of the active alert, kept with the stored
/// runs (so it survives restarts and is shared by instances):
///
/// | active before | this run | action | active after |
/// |---|---|---|---|
/// | no | above a threshold | `.raise` | since now |
/// | yes | above a threshold | none | unchanged |
/// | yes | clear | `.resolve` | no |
/// | no | clear | none | no |
///
/// "Above": more than `missingOrders` orders missing in the bridge, or, in
/// any one currency, more than `undeliveredValue` of value missing or
/// dead-lettered at a destination (when set). Defaults: any missing order
/// alerts; value is not watched.
public struct ReconciliationAlertPolicy: Sendable, Hashable {
    /// Missing orders strictly above this raise the alert.
    public var missingOrders: Int
    /// Missing plus dead-lettered value strictly above this, in any currency,
    /// raises it; `nil`: not watched.
    public var undeliveredValue: Money.Amount?

    public init(missingOrders: Int = 0, undeliveredValue: Money.Amount? = nil) {
        self.missingOrders = missingOrders
        self.undeliveredValue = undeliveredValue
    }

    /// What one run means for the alert.
    public struct Decision: Sendable, Equatable {
        /// Send this, if anything.
        public var action: AlertAction?
        /// The start of the alert still active after the run (store it with the run).
        public var activeSince: Timestamp?
    }

    /// - Parameters:
    ///   - report: the run's report (before any backfill fixed what it found).
    ///   - activeSince: the start of the alert active before the run, `nil` when none.
    public func decide(_ report: ReconciliationReport, activeSince: Timestamp?, now: Timestamp) -> Decision {
        let detail = self.detail(report)
        switch (activeSince, detail) {
        case (nil, let detail?):
            let alert = Alert(subject: .source(report.source), condition: .reconciliationGap, startedAt: now, detail: detail)
            return Decision(action: .raise(alert), activeSince: now)
        case (let since?, nil):
            let alert = Alert(subject: .source(report.source), condition: .reconciliationGap, startedAt: since, detail: "a reconciliation found everything delivered")
            return Decision(action: .resolve(alert, at: now), activeSince: nil)
        case (let since?, _?):
            return Decision(action: nil, activeSince: since)
        case (nil, nil):
            return Decision(action: nil, activeSince: nil)
        }
    }

    /// The alert text when `report` is above a threshold, else `nil`: counts,
    /// values and the window only.
    public func detail(_ report: ReconciliationReport) -> String? {
        let missing = report.missing
        var undelivered = missing.values
        for (code, amount) in report.deadLettered.values {
            let current = undelivered[code] ?? Money.Amount(units: 0, scale: 0)
            undelivered[code] = current.adding(amount) ?? current
        }
        let missingAbove = missing.count > missingOrders
        let valueAbove = undeliveredValue.map { limit in undelivered.values.contains { $0 > limit } } ?? false
        guard missingAbove || valueAbove else { return nil }
        var parts: [String] = []
        parts.append("\(missing.count) paid order\(missing.count == 1 ? "" : "s") missing in the bridge" + (missing.values.isEmpty ? "" : " (\(missing.valueText))"))
        if report.deadLettered.count > 0 {
            parts.append("\(report.deadLettered.count) dead-lettered at a destination (\(report.deadLettered.valueText))")
        }
        var thresholds = "threshold \(missingOrders) missing"
        if let undeliveredValue { thresholds += ", \(undeliveredValue) undelivered per currency" }
        return parts.joined(separator: "; ") + " between \(report.window.since.rfc3339) and \(report.window.until.rfc3339) (\(thresholds))"
    }
}
