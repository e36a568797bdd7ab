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

    /// The report's filters (besides time), bound once as the one-row `filters`
    /// the queries below join: `reportFilters` reads its columns.
    static func filtersCTE(_ query: ReportQuery) -> PostgresQuery {
        """
        WITH filters AS (SELECT \(query.destination)::text AS destination, \(query.eventName)::text AS event_name,
            \(query.source)::text AS source, \(query.includeTest)::boolean AS include_test)
        """
    }

    /// `filtersCTE`'s conditions on a table with the deliveries' column names.
    static let reportFilters = """
        (filters.destination IS NULL OR t.destination = filters.destination)
          AND (filters.event_name IS NULL OR t.event_name = filters.event_name)
          AND (filters.source IS NULL OR t.source = filters.source)
          AND (filters.include_test OR NOT t.is_test)
        """

    /// Streams the deliveries received in `range` through `accumulator`
    /// (payloads are never read). The order no longer matters: the tally is
    /// computed from the cells the rows fold into.
    func addScan(_ range: Range<Int64>, query: ReportQuery, to accumulator: inout ReportAccumulator) async throws {
        var sql = Self.filtersCTE(query)
        sql.sql += """

            SELECT \(DeliveryRollupSQL.reportColumns("t."))
            FROM deliveries t, filters
            WHERE t.received_at_ms >= \(range.lowerBound) AND t.received_at_ms < \(range.upperBound) AND \(Self.reportFilters)
            """
        let rows = try await client.query(sql, logger: logger)
        for try await row in rows {
            if let report = try Self.reportRow(row.makeRandomAccess(), at: 0) { accumulator.add(report) }
        }
    }

    /// The cells of the hours in `range` and the deltas of those hours not
    /// folded yet, in one statement. Every row has `reportColumns` from column
    /// 2 on (a cell: its hour as `received_at_ms`, no state), after whether it
    /// is a cell (0) or a delta (1) and the delta's count; the cell last.
    func addRollup(_ range: Range<Int64>, query: ReportQuery, to accumulator: inout ReportAccumulator) async throws {
        var sql = Self.filtersCTE(query)
        sql.sql += """

            SELECT 0, 0::bigint, t.destination, t.event_name, t.hour_ms, NULL::text, NULL::text, NULL::text, NULL::bigint,
                NULL::bigint, NULL::bigint, NULL::text, NULL::bigint, t.source, t.campaign, t.cell
            FROM delivery_rollup_cells t, filters
            WHERE t.hour_ms >= \(range.lowerBound) AND t.hour_ms < \(range.upperBound) AND \(Self.reportFilters)
            UNION ALL
            SELECT 1, t.n, \(DeliveryRollupSQL.reportColumns("t.", reason: "t.reason")), NULL::bytea
            FROM delivery_rollup_deltas t, filters
            WHERE t.received_at_ms >= \(range.lowerBound) AND t.received_at_ms < \(range.upperBound) AND \(Self.reportFilters)
            """
        let rows = try await client.query(sql, logger: logger)
        for try await row in rows {
            let columns = row.makeRandomAccess()
            if try columns[0].decode(Int.self) == 0 {
                let cell = try Self.rollupCell(try columns[15].decode(ByteBuffer.self))
                accumulator.add(
                    cell, hourStart: try columns[4].decode(Int64.self), destination: try columns[2].decode(String.self),
                    eventName: try columns[3].decode(String.self), source: try columns[13].decode(String.self),
                    campaign: try columns[14].decode(String?.self))
            } else if let report = try Self.reportRow(columns, at: 2) {
                accumulator.add(report, count: try columns[1].decode(Int.self))
            }
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
