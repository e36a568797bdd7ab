import BridgeCore
import Foundation
import GRDB

extension SQLiteStore: ReportStore {
    /// The whole hours of the window from the rollup (`DeliveryRollupSQL`:
    /// folded cells plus the deltas not folded yet), the partial hours at
    /// its edges from the deliveries' covering index, all in one read
    /// transaction: the same tally as `matchQualityScanTally`, exactly.
    public func matchQualityTally(_ query: ReportQuery) async throws(StoreError) -> ReportTally {
        let split = query.rollupSplit
        do {
            return try await pool.read { db in
                var accumulator = ReportAccumulator(query: query)
                if let hours = split.hours { try Self.addRollup(hours, query: query, db: db, to: &accumulator) }
                for edge in split.edges { try Self.addScan(edge, query: query, db: db, to: &accumulator) }
                return accumulator.tally
            }
        } catch {
            throw StoreError.wrapping(error)
        }
    }

    /// The report's filters (besides time) on a table with the deliveries' column names.
    static func reportFilters(_ query: ReportQuery) -> (conditions: [String], arguments: StatementArguments) {
        var conditions: [String] = []
        var arguments: StatementArguments = []
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
        return (conditions, arguments)
    }

    /// One pass over the covering index `deliveries_report_scan` (received
    /// time first) for `range`, streaming rows through `accumulator`: no row
    /// is kept, payloads are never read.
    static func addScan(_ range: Range<Int64>, query: ReportQuery, db: Database, to accumulator: inout ReportAccumulator) throws {
        let filters = reportFilters(query)
        let sql = """
            SELECT \(DeliveryRollupSQL.reportColumns())
            FROM deliveries INDEXED BY deliveries_report_scan
            WHERE \((["received_at_ms >= ?", "received_at_ms < ?"] + filters.conditions).joined(separator: " AND "))
            """
        let rows = try Row.fetchCursor(db, sql: sql, arguments: [range.lowerBound, range.upperBound] + filters.arguments)
        while let row = try rows.next() {
            if let report = reportRow(row, at: 0) { accumulator.add(report) }
        }
    }

    /// The cells of the hours in `range`, then the deltas of those hours not folded yet.
    static func addRollup(_ range: Range<Int64>, query: ReportQuery, db: Database, to accumulator: inout ReportAccumulator) throws {
        let filters = reportFilters(query)
        let cells = try Row.fetchCursor(
            db,
            sql: """
                SELECT hour_ms, destination, event_name, source, campaign, cell FROM delivery_rollup_cells
                WHERE \((["hour_ms >= ?", "hour_ms < ?"] + filters.conditions).joined(separator: " AND "))
                """, arguments: [range.lowerBound, range.upperBound] + filters.arguments)
        while let row = try cells.next() {
            let cell = try rollupCell(row[5])
            accumulator.add(cell, hourStart: row[0], destination: row[1], eventName: row[2], source: row[3], campaign: row[4])
        }
        let deltas = try Row.fetchCursor(
            db,
            sql: """
                SELECT n, \(DeliveryRollupSQL.reportColumns(reason: "reason")) FROM delivery_rollup_deltas
                WHERE \((["received_at_ms >= ?", "received_at_ms < ?"] + filters.conditions).joined(separator: " AND "))
                """, arguments: [range.lowerBound, range.upperBound] + filters.arguments)
        while let row = try deltas.next() {
            if let report = reportRow(row, at: 1) { accumulator.add(report, count: row[0]) }
        }
    }

    /// A stored cell; one that cannot be read is a corrupt store.
    static func rollupCell(_ data: Data) throws(StoreError) -> DeliveryRollupCell {
        do throws(BinaryReader.Truncated) {
            return try DeliveryRollupCell(bytes: [UInt8](data))
        } catch {
            throw StoreError(.corrupt, "delivery_rollup_cells: \(error.description)")
        }
    }

    /// A report row from the columns of `DeliveryRollupSQL.reportColumns`
    /// starting at `first`; `nil` for a state reports do not know.
    static func reportRow(_ row: Row, at first: Int) -> DeliveryReportRow? {
        let stateText: String = row[first + 3]
        guard let state = ReportDeliveryState(rawValue: stateText) else { return nil }
        let action: String = row[first + 4]
        return DeliveryReportRow(
            destination: row[first], eventName: row[first + 1], receivedAtMS: row[first + 2], state: state, limited: action == "send_limited",
            reason: row[first + 5], attempts: row[first + 6], identifiers: row[first + 7], enriched: row[first + 8], enrichedBy: row[first + 9],
            deliveredAtMS: row[first + 10], source: row[first + 11], campaign: row[first + 12])
    }
}
