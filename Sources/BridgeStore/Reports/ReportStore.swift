import BridgeCore

/// The reports' view of the store: aggregates over what each delivery row
/// records (state, consent decision, identifier masks, enrichment
/// attribution, times), never over logs and never reading payloads.
public protocol ReportStore: Sendable {
    /// Every delivery `query` covers (by receipt time, destination, event
    /// name, test flag), folded into a `ReportTally` by `ReportAccumulator`.
    /// Memory is bounded by the number of series, periods and distinct
    /// identifier combinations, not by the number of deliveries. Read from
    /// the hourly rollup for the window's whole hours (`ReportRollupStore`)
    /// and from the deliveries for its partial edge hours: exactly the tally
    /// of a scan of the rows.
    func matchQualityTally(_ query: ReportQuery) async throws(StoreError) -> ReportTally
}
