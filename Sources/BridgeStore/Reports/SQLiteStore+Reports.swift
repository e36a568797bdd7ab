import BridgeCore
import GRDB

extension SQLiteStore: ReportStore {
    /// One pass over the covering index `deliveries_report_scan` (received
    /// time first), streaming rows through a `ReportAccumulator` on a reader
    /// connection: no row is kept, payloads are never read.
    ///
    /// The rows come in the index's key order (the search walks it), and
    /// `PostgresStore` orders its rows by the same key: the accumulator's
    /// floating-point sums depend on the order, so keep the two in step.
    public func matchQualityTally(_ query: ReportQuery) async throws(StoreError) -> ReportTally {
        var conditions = ["received_at_ms >= ?", "received_at_ms < ?"]
        var arguments: StatementArguments = [query.since.millisecondsSinceEpoch, query.until.millisecondsSinceEpoch]
        if let destination = query.destination {
            conditions.append("destination = ?")
            arguments += [destination]
        }
        if let eventName = query.eventName {
            conditions.append("event_name = ?")
            arguments += [eventName]
        }
        if let source = query.source {
            conditions.append("source = ?")
            arguments += [source]
        }
        if !query.includeTest { conditions.append("is_test = 0") }
        let sql = """
            SELECT destination, event_name, received_at_ms, state, consent_action,
                CASE state WHEN 'suppressed' THEN consent_reason WHEN 'skipped' THEN skip_reason WHEN 'dead' THEN dead_code END,
                attempts, identifiers_mask, enriched_mask, enriched_by, delivered_at_ms, source, campaign
            FROM deliveries INDEXED BY deliveries_report_scan
            WHERE \(conditions.joined(separator: " AND "))
            """
        let bound = arguments
        do {
            return try await pool.read { db in
                var accumulator = ReportAccumulator(query: query)
                let rows = try Row.fetchCursor(db, sql: sql, arguments: bound)
                while let row = try rows.next() {
                    let stateText: String = row[3]
                    guard let state = ReportDeliveryState(rawValue: stateText) else { continue }
                    let action: String = row[4]
                    accumulator.add(
                        DeliveryReportRow(
                            destination: row[0], eventName: row[1], receivedAtMS: row[2], state: state, limited: action == "send_limited",
                            reason: row[5], attempts: row[6], identifiers: row[7], enriched: row[8], enrichedBy: row[9],
                            deliveredAtMS: row[10], source: row[11], campaign: row[12]))
                }
                return accumulator.tally
            }
        } catch {
            throw StoreError.wrapping(error)
        }
    }
}
