import BridgeCore
import Foundation
import GRDB

extension SQLiteStore: ReconciliationStore {
    static let reconciliationEventColumns = """
        e.sequence, e.event_id, e.event_time_ms, e.is_test, e.body, e.prepared_at_ms, e.backfill_run,
        d.destination, d.state, d.consent_reason, d.skip_reason, d.dead_code, d.attempts
        """

    public func reconciliationEvents(source: String, from: Timestamp, to: Timestamp, eventIDs: [String]) async throws(StoreError) -> [ReconciliationEvent] {
        do {
            return try await pool.read { db in
                var rows = ReconciliationEventRows(source: source)
                let select = "SELECT \(SQLiteStore.reconciliationEventColumns) FROM events e LEFT JOIN deliveries d ON d.event_sequence = e.sequence"
                for row in try Row.fetchAll(
                    db,
                    sql: "\(select) WHERE e.source = ? AND e.event_name = ? AND e.event_time_ms >= ? AND e.event_time_ms < ? ORDER BY e.sequence, d.id",
                    arguments: [source, EventName.purchase.rawValue, from.millisecondsSinceEpoch, to.millisecondsSinceEpoch])
                {
                    SQLiteStore.fold(row, into: &rows)
                }
                var seenIDs = Set(rows.result.map(\.eventID))
                let remaining = eventIDs.filter { seenIDs.insert($0).inserted }
                for chunk in remaining.chunked(SQLiteStore.maxVariables - 2) {
                    let placeholders = Array(repeating: "?", count: chunk.count).joined(separator: ",")
                    let arguments = StatementArguments([source, EventName.purchase.rawValue]) + StatementArguments(Array(chunk))
                    for row in try Row.fetchAll(
                        db, sql: "\(select) WHERE e.source = ? AND e.event_name = ? AND e.event_id IN (\(placeholders)) ORDER BY e.sequence, d.id",
                        arguments: arguments)
                    {
                        SQLiteStore.fold(row, into: &rows)
                    }
                }
                return rows.result
            }
        } catch {
            throw StoreError.wrapping(error)
        }
    }

    static func fold(_ row: Row, into rows: inout ReconciliationEventRows) {
        let body: Data = row["body"]
        let event = ReconciliationEventRows.Event(
            sequence: row["sequence"], eventID: row["event_id"], eventTime: Timestamp(millisecondsSinceEpoch: row["event_time_ms"]),
            isTest: row["is_test"], body: Array(body), prepared: (row["prepared_at_ms"] as Int64?) != nil, backfillRun: row["backfill_run"])
        var delivery: ReconciliationEventRows.Delivery?
        if let destination: String = row["destination"] {
            delivery = ReconciliationEventRows.Delivery(
                destination: destination, state: row["state"], consentReason: row["consent_reason"], skipReason: row["skip_reason"],
                deadCode: row["dead_code"], attempts: row["attempts"] ?? 0)
        }
        rows.add(event, delivery)
    }

    public func erasedEventIDs(source: String, among eventIDs: [String]) async throws(StoreError) -> Set<String> {
        guard !eventIDs.isEmpty else { return [] }
        do {
            return try await pool.read { db in
                var erased = Set<String>()
                for chunk in eventIDs.chunked(SQLiteStore.maxVariables - 1) {
                    let placeholders = Array(repeating: "?", count: chunk.count).joined(separator: ",")
                    erased.formUnion(
                        try String.fetchAll(
                            db, sql: "SELECT event_id FROM erased_events WHERE source = ? AND event_id IN (\(placeholders))",
                            arguments: StatementArguments([source]) + StatementArguments(Array(chunk))))
                }
                return erased
            }
        } catch {
            throw StoreError.wrapping(error)
        }
    }

    public func markBackfilled(source: String, eventIDs: [String], runID: String) async throws(StoreError) {
        guard !eventIDs.isEmpty else { return }
        do {
            try await pool.write { db in
                for chunk in eventIDs.chunked(SQLiteStore.maxVariables - 2) {
                    let placeholders = Array(repeating: "?", count: chunk.count).joined(separator: ",")
                    try db.execute(
                        sql: "UPDATE events SET backfill_run = ? WHERE source = ? AND event_id IN (\(placeholders))",
                        arguments: StatementArguments([runID, source]) + StatementArguments(Array(chunk)))
                }
            }
        } catch {
            throw StoreError.wrapping(error)
        }
    }

    public func saveReconciliationRun(_ run: ReconciliationRun) async throws(StoreError) {
        do {
            try await pool.write { db in
                try db.execute(
                    sql: """
                        INSERT OR REPLACE INTO reconciliation_runs (
                            id, source, trigger, state, since_ms, until_ms, backfill, requested_at_ms, started_at_ms, finished_at_ms, slot_ms,
                            owner, error, orders, missing, value_differs, undelivered, events_without_order, backfilled, alert_since_ms, report)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: SQLiteStore.arguments(run))
            }
        } catch {
            throw StoreError.wrapping(error)
        }
    }

    static func arguments(_ run: ReconciliationRun) -> StatementArguments {
        let summary = run.summary
        let values: [(any DatabaseValueConvertible)?] = [
            run.id, run.source, run.trigger.rawValue, run.state.rawValue, run.since.millisecondsSinceEpoch, run.until.millisecondsSinceEpoch,
            run.backfill, run.requestedAt.millisecondsSinceEpoch, run.startedAt?.millisecondsSinceEpoch, run.finishedAt?.millisecondsSinceEpoch,
            run.slot?.millisecondsSinceEpoch, run.owner, run.error, summary?.orders, summary?.missing, summary?.valueDiffers,
            summary?.undelivered, summary?.eventsWithoutOrder, summary?.backfilled, run.alertSince?.millisecondsSinceEpoch,
            run.report.map { Data($0) },
        ]
        return StatementArguments(values)
    }

    static let runColumns = """
        id, source, trigger, state, since_ms, until_ms, backfill, requested_at_ms, started_at_ms, finished_at_ms, slot_ms, owner, error,
        orders, missing, value_differs, undelivered, events_without_order, backfilled, alert_since_ms
        """

    static func run(from row: Row, withReport: Bool) -> ReconciliationRun? {
        guard let trigger = ReconciliationRun.Trigger(rawValue: row["trigger"]), let state = ReconciliationRun.State(rawValue: row["state"]) else {
            return nil
        }
        func time(_ column: String) -> Timestamp? { (row[column] as Int64?).map(Timestamp.init(millisecondsSinceEpoch:)) }
        var summary: ReconciliationRun.Summary?
        if let orders: Int = row["orders"] {
            summary = ReconciliationRun.Summary(
                orders: orders, missing: row["missing"] ?? 0, valueDiffers: row["value_differs"] ?? 0, undelivered: row["undelivered"] ?? 0,
                eventsWithoutOrder: row["events_without_order"] ?? 0, backfilled: row["backfilled"] ?? 0)
        }
        let report: Data? = withReport ? row["report"] : nil
        return ReconciliationRun(
            id: row["id"], source: row["source"], trigger: trigger, state: state, since: Timestamp(millisecondsSinceEpoch: row["since_ms"]),
            until: Timestamp(millisecondsSinceEpoch: row["until_ms"]), backfill: row["backfill"],
            requestedAt: Timestamp(millisecondsSinceEpoch: row["requested_at_ms"]), startedAt: time("started_at_ms"),
            finishedAt: time("finished_at_ms"), slot: time("slot_ms"), owner: row["owner"], error: row["error"], summary: summary,
            alertSince: time("alert_since_ms"), report: report.map { Array($0) })
    }

    public func reconciliationRun(id: String) async throws(StoreError) -> ReconciliationRun? {
        do {
            return try await pool.read { db in
                try Row.fetchOne(db, sql: "SELECT \(SQLiteStore.runColumns), report FROM reconciliation_runs WHERE id = ?", arguments: [id])
                    .flatMap { SQLiteStore.run(from: $0, withReport: true) }
            }
        } catch {
            throw StoreError.wrapping(error)
        }
    }

    public func reconciliationRuns(source: String?, limit: Int) async throws(StoreError) -> [ReconciliationRun] {
        do {
            return try await pool.read { db in
                let rows: [Row]
                if let source {
                    rows = try Row.fetchAll(
                        db, sql: "SELECT \(SQLiteStore.runColumns) FROM reconciliation_runs WHERE source = ? ORDER BY requested_at_ms DESC, id DESC LIMIT ?",
                        arguments: [source, limit])
                } else {
                    rows = try Row.fetchAll(
                        db, sql: "SELECT \(SQLiteStore.runColumns) FROM reconciliation_runs ORDER BY requested_at_ms DESC, id DESC LIMIT ?",
                        arguments: [limit])
                }
                return rows.compactMap { SQLiteStore.run(from: $0, withReport: false) }
            }
        } catch {
            throw StoreError.wrapping(error)
        }
    }

    public func claimQueuedReconciliation(owner: String, now: Timestamp) async throws(StoreError) -> ReconciliationRun? {
        do {
            return try await pool.write { db in
                guard let id = try String.fetchOne(
                    db, sql: "SELECT id FROM reconciliation_runs WHERE state = 'queued' ORDER BY requested_at_ms, id LIMIT 1")
                else { return nil }
                try db.execute(
                    sql: "UPDATE reconciliation_runs SET state = 'running', owner = ?, started_at_ms = ? WHERE id = ? AND state = 'queued'",
                    arguments: [owner, now.millisecondsSinceEpoch, id])
                return try Row.fetchOne(db, sql: "SELECT \(SQLiteStore.runColumns) FROM reconciliation_runs WHERE id = ?", arguments: [id])
                    .flatMap { SQLiteStore.run(from: $0, withReport: false) }
            }
        } catch {
            throw StoreError.wrapping(error)
        }
    }

    public func lastScheduledReconciliation(source: String, completedOnly: Bool) async throws(StoreError) -> ReconciliationRun? {
        do {
            return try await pool.read { db in
                try Row.fetchOne(
                    db,
                    sql: """
                        SELECT \(SQLiteStore.runColumns) FROM reconciliation_runs
                        WHERE source = ? AND trigger = 'schedule' AND (state = 'completed' OR (? = 0 AND state != 'failed'))
                        ORDER BY slot_ms DESC, requested_at_ms DESC LIMIT 1
                        """,
                    arguments: [source, completedOnly]
                ).flatMap { SQLiteStore.run(from: $0, withReport: false) }
            }
        } catch {
            throw StoreError.wrapping(error)
        }
    }

    public func failInterruptedReconciliations(ownedBy match: LeaseOwnerMatch, now: Timestamp) async throws(StoreError) -> Int {
        do {
            return try await pool.write { db in
                let message = "interrupted: the process running it stopped"
                switch match {
                case .all:
                    try db.execute(
                        sql: "UPDATE reconciliation_runs SET state = 'failed', error = ?, finished_at_ms = ? WHERE state = 'running'",
                        arguments: [message, now.millisecondsSinceEpoch])
                case .prefix(let prefix):
                    try db.execute(
                        sql: """
                            UPDATE reconciliation_runs SET state = 'failed', error = ?, finished_at_ms = ?
                            WHERE state = 'running' AND substr(owner, 1, ?) = ?
                            """,
                        arguments: [message, now.millisecondsSinceEpoch, prefix.count, prefix])
                }
                return db.changesCount
            }
        } catch {
            throw StoreError.wrapping(error)
        }
    }

    /// One `serve` per SQLite file (`SQLiteServeLock`): nothing else runs the schedule.
    public func withReconciliationLock<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T? {
        try await body()
    }
}
