import BridgeCore

/// The SQL both stores use for the hourly rollup of the deliveries
/// (`delivery_rollup_deltas` and `delivery_rollup_cells`, migration
/// `v11-delivery-rollups`) and the report scan; see `docs/architecture.md`,
/// "Report rollups".
///
/// Triggers on `deliveries` append one delta row (`n` = +1 or −1) per change
/// of a column a report counts, in the transaction of the change, whichever
/// code path writes it (prepare, outcomes, replay, erasure, retention, …).
/// A delta holds exactly the columns the report scan reads, so it becomes
/// the same `DeliveryReportRow`. `compactReportRollups` folds deltas into
/// one `DeliveryRollupCell` per series and hour; reports read cells and the
/// deltas not folded yet.
enum DeliveryRollupSQL {
    /// The reason a report reads, by state, over the columns of `row`
    /// (`""` for the table itself, `"NEW."`, `"OLD."` in triggers).
    static func reason(_ row: String = "") -> String {
        "CASE \(row)state WHEN 'suppressed' THEN \(row)consent_reason WHEN 'skipped' THEN \(row)skip_reason WHEN 'dead' THEN \(row)dead_code END"
    }

    /// The columns of a report row, in the order `reportRow` reads them.
    static func reportColumns(_ row: String = "", reason: String? = nil) -> String {
        "\(row)destination, \(row)event_name, \(row)received_at_ms, \(row)state, \(row)consent_action, \(reason ?? Self.reason(row)), "
            + "\(row)attempts, \(row)identifiers_mask, \(row)enriched_mask, \(row)enriched_by, \(row)delivered_at_ms, \(row)source, \(row)campaign"
    }

    /// The delta table's columns, in the order `deltaValues` gives them.
    static let deltaColumns = """
        n, is_test, destination, event_name, received_at_ms, state, consent_action, reason, attempts, identifiers_mask, \
        enriched_mask, enriched_by, delivered_at_ms, source, campaign
        """

    /// The values of a delta row of `row` (`NEW.` or `OLD.`) counted `n` times.
    static func deltaValues(_ row: String, n: Int) -> String {
        "\(n), \(row)is_test, " + reportColumns(row)
    }

    /// Whether a trigger's `OLD` and `NEW` differ in anything a report
    /// counts (`distinct` is SQLite's `IS NOT` or PostgreSQL's `IS DISTINCT FROM`).
    /// The attempts count only as "more than none" and "more than one"
    /// (`DeliveryReportRow.wasRetried`), so a retry adds no delta.
    static func changed(distinct: String) -> String {
        let columns = [
            "destination", "event_name", "source", "campaign", "is_test", "received_at_ms", "state", "consent_action", "consent_reason",
            "skip_reason", "dead_code", "identifiers_mask", "enriched_mask", "enriched_by", "delivered_at_ms",
        ]
        return (columns.map { "OLD.\($0) \(distinct) NEW.\($0)" }
            + ["(OLD.attempts > 0) \(distinct) (NEW.attempts > 0)", "(OLD.attempts > 1) \(distinct) (NEW.attempts > 1)"])
            .joined(separator: " OR ")
    }

    /// The columns whose updates can matter (SQLite's `UPDATE OF`).
    static let countedColumns = """
        destination, event_name, source, campaign, is_test, received_at_ms, state, consent_action, consent_reason, skip_reason, \
        dead_code, attempts, identifiers_mask, enriched_mask, enriched_by, delivered_at_ms
        """

    /// The cell a delivery counts in.
    struct CellKey: Hashable {
        var hourStart: Int64
        var destination: String
        var eventName: String
        var source: String
        var campaign: String?
        var isTest: Bool

        init(_ row: DeliveryReportRow, isTest: Bool) {
            hourStart = ReportPeriod.hour.start(of: row.receivedAtMS)
            destination = row.destination
            eventName = row.eventName
            source = row.source
            campaign = row.campaign
            self.isTest = isTest
        }
    }
}

extension ReportQuery {
    /// The whole hours of the window, read from the rollup (`nil` when the
    /// window holds none), and the ragged edges before and after them, read
    /// from the deliveries: the rollup counts by hour of receipt, so only
    /// whole hours can come from it. A window from "7 days ago" to now scans
    /// at most two partial hours.
    var rollupSplit: (hours: Range<Int64>?, edges: [Range<Int64>]) {
        let since = since.millisecondsSinceEpoch
        let until = until.millisecondsSinceEpoch
        guard since < until else { return (nil, []) }
        let first = ReportPeriod.hour.start(of: since) == since ? since : ReportPeriod.hour.start(of: since) + ReportPeriod.hour.milliseconds
        let end = ReportPeriod.hour.start(of: until)
        guard first < end else { return (nil, [since..<until]) }
        var edges: [Range<Int64>] = []
        if since < first { edges.append(since..<first) }
        if end < until { edges.append(end..<until) }
        return (first..<end, edges)
    }
}
