import BridgeCore
import Foundation
import GRDB

extension SQLiteStore: ReportRollupStore {
    public func compactReportRollups(limit: Int) async throws(StoreError) -> Int {
        do {
            return try await pool.write { db in
                let rows = try Row.fetchAll(
                    db,
                    sql: "SELECT id, n, is_test, \(DeliveryRollupSQL.reportColumns(reason: "reason")) FROM delivery_rollup_deltas ORDER BY id LIMIT ?",
                    arguments: [max(1, limit)])
                guard let lastID: Int64 = rows.last?[0] else { return 0 }
                var cells: [DeliveryRollupSQL.CellKey: DeliveryRollupCell] = [:]
                for row in rows {
                    guard let report = Self.reportRow(row, at: 3) else { continue }
                    cells[DeliveryRollupSQL.CellKey(report, isTest: row[2]), default: DeliveryRollupCell()].add(report, count: row[1])
                }
                for (key, delta) in cells {
                    let existing = try Row.fetchOne(
                        db,
                        sql: """
                            SELECT id, cell FROM delivery_rollup_cells
                            WHERE hour_ms = ? AND destination = ? AND event_name = ? AND source = ? AND campaign IS ? AND is_test = ?
                            """, arguments: [key.hourStart, key.destination, key.eventName, key.source, key.campaign, key.isTest])
                    var cell = DeliveryRollupCell()
                    if let existing { cell = try Self.rollupCell(existing[1]) }
                    cell.merge(delta)
                    switch (existing, cell.isEmpty) {
                    case (let existing?, true):
                        try db.execute(sql: "DELETE FROM delivery_rollup_cells WHERE id = ?", arguments: [existing[0] as Int64])
                    case (let existing?, false):
                        try db.execute(sql: "UPDATE delivery_rollup_cells SET cell = ? WHERE id = ?", arguments: [Data(cell.bytes), existing[0] as Int64])
                    case (nil, false):
                        try db.execute(
                            sql: """
                                INSERT INTO delivery_rollup_cells (hour_ms, destination, event_name, source, campaign, is_test, cell)
                                VALUES (?, ?, ?, ?, ?, ?, ?)
                                """,
                            arguments: [key.hourStart, key.destination, key.eventName, key.source, key.campaign, key.isTest, Data(cell.bytes)])
                    case (nil, true):
                        break
                    }
                }
                // The store's single writer: no delta below `lastID` can commit later.
                try db.execute(sql: "DELETE FROM delivery_rollup_deltas WHERE id <= ?", arguments: [lastID])
                return rows.count
            }
        } catch {
            throw StoreError.wrapping(error)
        }
    }

    public func reportRollupBacklog() async throws(StoreError) -> Int {
        do {
            return try await pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM delivery_rollup_deltas") ?? 0 }
        } catch {
            throw StoreError.wrapping(error)
        }
    }

    public func matchQualityScanTally(_ query: ReportQuery) async throws(StoreError) -> ReportTally {
        let since = query.since.millisecondsSinceEpoch
        let until = query.until.millisecondsSinceEpoch
        do {
            return try await pool.read { db in
                var accumulator = ReportAccumulator(query: query)
                if since < until { try Self.addScan(since..<until, query: query, db: db, to: &accumulator) }
                return accumulator.tally
            }
        } catch {
            throw StoreError.wrapping(error)
        }
    }
}
