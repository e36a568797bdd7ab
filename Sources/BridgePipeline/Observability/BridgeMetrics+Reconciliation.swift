import BridgeCore
import CoreMetrics

/// The reconciliation part of the metrics catalog (`BridgeMetrics`): labels
/// are configured source names and a fixed outcome set.
extension BridgeMetrics {
    /// Counts `capi_bridge_reconciliation_runs_total{source, trigger, outcome}` (`completed`, `failed`).
    public func reconciliationRun(source: String, trigger: String, outcome: String) {
        counter("capi_bridge_reconciliation_runs_total", [("source", source), ("trigger", trigger), ("outcome", outcome)]).increment()
    }

    /// The latest completed run's findings per source:
    /// `capi_bridge_reconciliation_orders{source, category}` (every category,
    /// `events_without_order` and `dead_lettered`).
    public func reconciliationFindings(_ report: ReconciliationReport) {
        let source = report.source
        for category in ReconciliationCategory.allCases {
            gauge("capi_bridge_reconciliation_orders", [("source", source), ("category", category.rawValue)]).record(report.totals[category].count)
        }
        gauge("capi_bridge_reconciliation_orders", [("source", source), ("category", "events_without_order")])
            .record(report.totals.eventsWithoutOrder.count)
        gauge("capi_bridge_reconciliation_orders", [("source", source), ("category", "dead_lettered")]).record(report.totals.deadLettered.count)
    }

    /// Counts `capi_bridge_reconciliation_backfilled_events_total{source}`.
    public func reconciliationBackfilled(source: String, count: Int) {
        if count > 0 { counter("capi_bridge_reconciliation_backfilled_events_total", [("source", source)]).increment(by: count) }
    }

    /// `capi_bridge_reconciliation_alert_active{source}`: 1 while the reconciliation alert is raised.
    public func reconciliationAlert(source: String, active: Bool) {
        gauge("capi_bridge_reconciliation_alert_active", [("source", source)]).record(active ? 1 : 0)
    }
}
