import BridgeCore

/// The hourly rollup behind the reports (`DeliveryRollupSQL`): kept by
/// triggers in every transaction that changes a counted delivery column,
/// compacted by `ReportRollupService`.
public protocol ReportRollupStore: Sendable {
    /// Folds up to `limit` pending delta rows into the hourly cells, in one
    /// transaction; returns how many it folded (fewer than `limit`: nothing
    /// is left). On PostgreSQL one instance compacts at a time; the others
    /// fold nothing (0) and try again later.
    func compactReportRollups(limit: Int) async throws(StoreError) -> Int

    /// How many delta rows wait to be folded (operators, tests).
    func reportRollupBacklog() async throws(StoreError) -> Int

    /// The match-quality tally computed by scanning every delivery, without
    /// the rollup: what `matchQualityTally` must equal (tests, benchmarks).
    func matchQualityScanTally(_ query: ReportQuery) async throws(StoreError) -> ReportTally
}
