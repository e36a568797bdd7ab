import BridgeCore
import PostgresNIO

extension PostgresStore: ReportStore {
    /// The same rows as `SQLiteStore`'s report, in the same order, streamed
    /// through a `ReportAccumulator`: no row is kept, payloads are never read.
    ///
    /// The order matters: the accumulator sums floating-point scores, and
    /// sums taken in another order may differ in their last bits. Both stores
    /// walk their `deliveries_report_scan` index in key order
    /// (`reportScanOrder`), so the tallies of the same data are equal, bit
    /// for bit. Here that index serves the `ORDER BY` without a sort.
    public func matchQualityTally(_ query: ReportQuery) async throws(StoreError) -> ReportTally {
        do {
            let rows = try await client.query(
                """
                SELECT destination, event_name, received_at_ms, state, consent_action,
                    CASE state WHEN 'suppressed' THEN consent_reason WHEN 'skipped' THEN skip_reason WHEN 'dead' THEN dead_code END,
                    attempts, identifiers_mask, enriched_mask, enriched_by, delivered_at_ms, source, campaign
                FROM deliveries
                WHERE received_at_ms >= \(query.since.millisecondsSinceEpoch) AND received_at_ms < \(query.until.millisecondsSinceEpoch)
                  AND (\(query.destination)::text IS NULL OR destination = \(query.destination)::text)
                  AND (\(query.eventName)::text IS NULL OR event_name = \(query.eventName)::text)
                  AND (\(query.source)::text IS NULL OR source = \(query.source)::text)
                  AND (\(query.includeTest)::boolean OR NOT is_test)
                ORDER BY \(unescaped: Self.reportScanOrder)
                """, logger: logger)
            var accumulator = ReportAccumulator(query: query)
            for try await row in rows {
                let (destination, eventName, receivedAt, stateText, action, reason, attempts, identifiers, enriched, enrichedBy, deliveredAt, source, campaign) =
                    try row.decode((String, String, Int64, String, String, String?, Int, Int64, Int64, String?, Int64?, String, String?).self)
                guard let state = ReportDeliveryState(rawValue: stateText) else { continue }
                accumulator.add(
                    DeliveryReportRow(
                        destination: destination, eventName: eventName, receivedAtMS: receivedAt, state: state, limited: action == "send_limited",
                        reason: reason, attempts: attempts, identifiers: identifiers, enriched: enriched, enrichedBy: enrichedBy,
                        deliveredAtMS: deliveredAt, source: source, campaign: campaign))
            }
            return accumulator.tally
        } catch {
            throw storeError(error)
        }
    }

    /// The key of the `deliveries_report_scan` index (migration
    /// `v4-enrichment-reports`), column for column: SQLite's order for its
    /// index of the same name (byte-wise text, NULLs first).
    static let reportScanOrder = """
        received_at_ms, destination COLLATE "C", event_name COLLATE "C", is_test, state COLLATE "C",
        consent_action COLLATE "C", consent_reason COLLATE "C", skip_reason COLLATE "C" NULLS FIRST,
        dead_code COLLATE "C" NULLS FIRST, attempts, identifiers_mask, enriched_mask,
        enriched_by COLLATE "C" NULLS FIRST, delivered_at_ms NULLS FIRST, source COLLATE "C", campaign COLLATE "C" NULLS FIRST
        """
}
