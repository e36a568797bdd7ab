import BridgeCore

/// The reports' view of the store: aggregates over what each delivery row
/// records (state, consent decision, identifier masks, enrichment
/// attribution, times), never over logs and never reading payloads.
public protocol ReportStore: Sendable {
    /// Every delivery `query` covers (by receipt time, destination, event
    /// name, test flag), folded into a `ReportTally` by `ReportAccumulator`.
    /// Memory is bounded by the number of series, periods and distinct
    /// identifier combinations, not by the number of deliveries.
    func matchQualityTally(_ query: ReportQuery) async throws(StoreError) -> ReportTally
}
