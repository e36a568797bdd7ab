import BridgeCore
import PostgresNIO

extension PostgresStore: ReportRollupStore {
    /// Takes the oldest deltas out (`DELETE … RETURNING`: exactly those it
    /// folds, whatever commits meanwhile) and folds them into their cells,
    /// in one transaction holding a transaction-scoped advisory lock: one
    /// instance compacts at a time, the others return 0 at once. Outcome
    /// commits never wait for it: they only append deltas.
    public func compactReportRollups(limit: Int) async throws(StoreError) -> Int {
        do {
            return try await client.withTransaction(logger: logger) { [logger] connection in
                let locked = try await connection.query(
                    "SELECT pg_try_advisory_xact_lock(hashtext('capi-bridge/report-rollups'), hashtext(current_schema()))", logger: logger
                ).collect().first?.decode(Bool.self) ?? false
                guard locked else { return 0 }
                let rows = try await connection.query(
                    """
                    DELETE FROM delivery_rollup_deltas
                    WHERE id IN (SELECT id FROM delivery_rollup_deltas ORDER BY id LIMIT \(Int64(max(1, limit))))
                    RETURNING n, is_test, \(unescaped: DeliveryRollupSQL.reportColumns(reason: "reason"))
                    """, logger: logger
                ).collect()
                var cells: [DeliveryRollupSQL.CellKey: DeliveryRollupCell] = [:]
                for row in rows {
                    let columns = row.makeRandomAccess()
                    guard let report = try Self.reportRow(columns, at: 2) else { continue }
                    cells[DeliveryRollupSQL.CellKey(report, isTest: try columns[1].decode(Bool.self)), default: DeliveryRollupCell()]
                        .add(report, count: try columns[0].decode(Int.self))
                }
                for (key, delta) in cells {
                    let existing = try await connection.query(
                        """
                        SELECT id, cell FROM delivery_rollup_cells
                        WHERE hour_ms = \(key.hourStart) AND destination = \(key.destination) AND event_name = \(key.eventName)
                          AND source = \(key.source) AND campaign IS NOT DISTINCT FROM \(key.campaign)::text AND is_test = \(key.isTest)
                        """, logger: logger
                    ).collect().first
                    var cell = DeliveryRollupCell()
                    var id: Int64?
                    if let existing {
                        let (existingID, bytes) = try existing.decode((Int64, ByteBuffer).self)
                        id = existingID
                        cell = try Self.rollupCell(bytes)
                    }
                    cell.merge(delta)
                    switch (id, cell.isEmpty) {
                    case (let id?, true):
                        _ = try await connection.query("DELETE FROM delivery_rollup_cells WHERE id = \(id)", logger: logger).collect()
                    case (let id?, false):
                        _ = try await connection.query(
                            "UPDATE delivery_rollup_cells SET cell = \(ByteBuffer(bytes: cell.bytes)) WHERE id = \(id)", logger: logger
                        ).collect()
                    case (nil, false):
                        _ = try await connection.query(
                            """
                            INSERT INTO delivery_rollup_cells (hour_ms, destination, event_name, source, campaign, is_test, cell)
                            VALUES (\(key.hourStart), \(key.destination), \(key.eventName), \(key.source), \(key.campaign),
                                \(key.isTest), \(ByteBuffer(bytes: cell.bytes)))
                            """, logger: logger
                        ).collect()
                    case (nil, true):
                        break
                    }
                }
                return rows.count
            }
        } catch {
            throw storeError(error)
        }
    }

    public func reportRollupBacklog() async throws(StoreError) -> Int {
        do {
            let rows = try await client.query("SELECT COUNT(*) FROM delivery_rollup_deltas", logger: logger).collect()
            return try rows.first?.decode(Int.self) ?? 0
        } catch {
            throw storeError(error)
        }
    }

    public func matchQualityScanTally(_ query: ReportQuery) async throws(StoreError) -> ReportTally {
        let since = query.since.millisecondsSinceEpoch
        let until = query.until.millisecondsSinceEpoch
        do {
            var accumulator = ReportAccumulator(query: query)
            if since < until { try await addScan(since..<until, query: query, to: &accumulator) }
            return accumulator.tally
        } catch {
            throw storeError(error)
        }
    }
}
