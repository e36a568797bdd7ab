import BridgeCore
import PostgresNIO

extension PostgresStore: ReportStore {
    /// As `SQLiteStore`'s: the whole hours from the rollup (cells and the
    /// deltas not folded yet, in one statement, so one snapshot: a compaction
    /// committing meanwhile neither hides nor doubles a delta), the partial
    /// hours at the window's edges from the deliveries.
    public func matchQualityTally(_ query: ReportQuery) async throws(StoreError) -> ReportTally {
        let split = query.rollupSplit
        do {
            var accumulator = ReportAccumulator(query: query)
            if let hours = split.hours { try await addRollup(hours, query: query, to: &accumulator) }
            for edge in split.edges { try await addScan(edge, query: query, to: &accumulator) }
            return accumulator.tally
        } catch {
            throw storeError(error)
        }
    }

    /// Streams the deliveries received in `range` through `accumulator`
    /// (payloads are never read). The order no longer matters: the tally is
    /// computed from the cells the rows fold into.
    func addScan(_ range: Range<Int64>, query: ReportQuery, to accumulator: inout ReportAccumulator) async throws {
        let rows = try await client.query(
            """
            SELECT \(unescaped: DeliveryRollupSQL.reportColumns())
            FROM deliveries
            WHERE received_at_ms >= \(range.lowerBound) AND received_at_ms < \(range.upperBound)
              AND (\(query.destination)::text IS NULL OR destination = \(query.destination)::text)
              AND (\(query.eventName)::text IS NULL OR event_name = \(query.eventName)::text)
              AND (\(query.source)::text IS NULL OR source = \(query.source)::text)
              AND (\(query.includeTest)::boolean OR NOT is_test)
            """, logger: logger)
        for try await row in rows {
            if let report = try Self.reportRow(row.makeRandomAccess(), at: 0) { accumulator.add(report) }
        }
    }

    /// The cells of the hours in `range` and the deltas of those hours not folded yet.
    func addRollup(_ range: Range<Int64>, query: ReportQuery, to accumulator: inout ReportAccumulator) async throws {
        let rows = try await client.query(
            """
            SELECT 0, hour_ms, destination, event_name, source, campaign, cell, 0::bigint,
                NULL::text, NULL::text, NULL::text, NULL::bigint, NULL::bigint, NULL::bigint, NULL::text, NULL::bigint
            FROM delivery_rollup_cells
            WHERE hour_ms >= \(range.lowerBound) AND hour_ms < \(range.upperBound)
              AND (\(query.destination)::text IS NULL OR destination = \(query.destination)::text)
              AND (\(query.eventName)::text IS NULL OR event_name = \(query.eventName)::text)
              AND (\(query.source)::text IS NULL OR source = \(query.source)::text)
              AND (\(query.includeTest)::boolean OR NOT is_test)
            UNION ALL
            SELECT 1, received_at_ms, destination, event_name, source, campaign, NULL::bytea, n,
                state, consent_action, reason, attempts, identifiers_mask, enriched_mask, enriched_by, delivered_at_ms
            FROM delivery_rollup_deltas
            WHERE received_at_ms >= \(range.lowerBound) AND received_at_ms < \(range.upperBound)
              AND (\(query.destination)::text IS NULL OR destination = \(query.destination)::text)
              AND (\(query.eventName)::text IS NULL OR event_name = \(query.eventName)::text)
              AND (\(query.source)::text IS NULL OR source = \(query.source)::text)
              AND (\(query.includeTest)::boolean OR NOT is_test)
            """, logger: logger)
        for try await row in rows {
            let columns = row.makeRandomAccess()
            let kind = try columns[0].decode(Int.self)
            let at = try columns[1].decode(Int64.self)
            let destination = try columns[2].decode(String.self)
            let eventName = try columns[3].decode(String.self)
            let source = try columns[4].decode(String.self)
            let campaign = try columns[5].decode(String?.self)
            if kind == 0 {
                let cell = try Self.rollupCell(try columns[6].decode(ByteBuffer.self))
                accumulator.add(cell, hourStart: at, destination: destination, eventName: eventName, source: source, campaign: campaign)
                continue
            }
            guard let state = ReportDeliveryState(rawValue: try columns[8].decode(String.self)) else { continue }
            let row = DeliveryReportRow(
                destination: destination, eventName: eventName, receivedAtMS: at, state: state,
                limited: try columns[9].decode(String.self) == "send_limited", reason: try columns[10].decode(String?.self),
                attempts: try columns[11].decode(Int.self), identifiers: try columns[12].decode(Int64.self),
                enriched: try columns[13].decode(Int64.self), enrichedBy: try columns[14].decode(String?.self),
                deliveredAtMS: try columns[15].decode(Int64?.self), source: source, campaign: campaign)
            accumulator.add(row, count: try columns[7].decode(Int.self))
        }
    }

    /// A report row from the columns of `DeliveryRollupSQL.reportColumns`
    /// starting at `first`; `nil` for a state reports do not know.
    static func reportRow(_ columns: PostgresRandomAccessRow, at first: Int) throws -> DeliveryReportRow? {
        guard let state = ReportDeliveryState(rawValue: try columns[first + 3].decode(String.self)) else { return nil }
        return DeliveryReportRow(
            destination: try columns[first].decode(String.self), eventName: try columns[first + 1].decode(String.self),
            receivedAtMS: try columns[first + 2].decode(Int64.self), state: state,
            limited: try columns[first + 4].decode(String.self) == "send_limited", reason: try columns[first + 5].decode(String?.self),
            attempts: try columns[first + 6].decode(Int.self), identifiers: try columns[first + 7].decode(Int64.self),
            enriched: try columns[first + 8].decode(Int64.self), enrichedBy: try columns[first + 9].decode(String?.self),
            deliveredAtMS: try columns[first + 10].decode(Int64?.self), source: try columns[first + 11].decode(String.self),
            campaign: try columns[first + 12].decode(String?.self))
    }

    static func rollupCell(_ buffer: ByteBuffer) throws(StoreError) -> DeliveryRollupCell {
        do throws(BinaryReader.Truncated) {
            return try DeliveryRollupCell(bytes: Array(buffer.readableBytesView))
        } catch {
            throw StoreError(.corrupt, "delivery_rollup_cells: \(error.description)")
        }
    }
}
