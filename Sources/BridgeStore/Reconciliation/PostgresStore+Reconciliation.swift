import BridgeCore
import Foundation
import PostgresNIO

extension PostgresStore: ReconciliationStore {
    public func reconciliationEvents(source: String, from: Timestamp, to: Timestamp, eventIDs: [String]) async throws(StoreError) -> [ReconciliationEvent] {
        do {
            let rows = try await client.query(
                """
                SELECT e.sequence, e.event_id, e.event_time_ms, e.is_test, e.body, e.prepared_at_ms, e.backfill_run,
                    d.destination, d.state, d.consent_reason, d.skip_reason, d.dead_code, d.attempts
                FROM events e LEFT JOIN deliveries d ON d.event_sequence = e.sequence
                WHERE e.source = \(source) AND e.event_name = \(EventName.purchase.rawValue)
                  AND ((e.event_time_ms >= \(from.millisecondsSinceEpoch) AND e.event_time_ms < \(to.millisecondsSinceEpoch))
                       OR e.event_id = ANY(\(eventIDs)::text[]))
                ORDER BY e.sequence, d.id
                """, logger: logger)
            var folded = ReconciliationEventRows(source: source)
            for try await row in rows {
                let columns = try row.decode((Int64, String, Int64, Bool, Data, Int64?, String?, String?, String?, String?, String?, String?, Int?).self)
                let event = ReconciliationEventRows.Event(
                    sequence: columns.0, eventID: columns.1, eventTime: Timestamp(millisecondsSinceEpoch: columns.2), isTest: columns.3,
                    body: Array(columns.4), prepared: columns.5 != nil, backfillRun: columns.6)
                var delivery: ReconciliationEventRows.Delivery?
                if let destination = columns.7, let state = columns.8 {
                    delivery = ReconciliationEventRows.Delivery(
                        destination: destination, state: state, consentReason: columns.9, skipReason: columns.10, deadCode: columns.11,
                        attempts: columns.12 ?? 0)
                }
                folded.add(event, delivery)
            }
            return folded.result
        } catch {
            throw storeError(error)
        }
    }

    public func erasedEventIDs(source: String, among eventIDs: [String]) async throws(StoreError) -> Set<String> {
        guard !eventIDs.isEmpty else { return [] }
        do {
            var erased = Set<String>()
            let rows = try await client.query(
                "SELECT event_id FROM erased_events WHERE source = \(source) AND event_id = ANY(\(eventIDs)::text[])", logger: logger)
            for try await id in rows.decode(String.self) { erased.insert(id) }
            return erased
        } catch {
            throw storeError(error)
        }
    }

    public func markBackfilled(source: String, eventIDs: [String], runID: String) async throws(StoreError) {
        guard !eventIDs.isEmpty else { return }
        do {
            _ = try await client.query(
                "UPDATE events SET backfill_run = \(runID) WHERE source = \(source) AND event_id = ANY(\(eventIDs)::text[])", logger: logger
            ).collect()
        } catch {
            throw storeError(error)
        }
    }

    public func saveReconciliationRun(_ run: ReconciliationRun) async throws(StoreError) {
        let summary = run.summary
        do {
            _ = try await client.query(
                """
                INSERT INTO reconciliation_runs (
                    id, source, trigger, state, since_ms, until_ms, backfill, requested_at_ms, started_at_ms, finished_at_ms, slot_ms,
                    owner, error, orders, missing, value_differs, undelivered, events_without_order, backfilled, alert_since_ms, report)
                VALUES (
                    \(run.id), \(run.source), \(run.trigger.rawValue), \(run.state.rawValue), \(run.since.millisecondsSinceEpoch),
                    \(run.until.millisecondsSinceEpoch), \(run.backfill), \(run.requestedAt.millisecondsSinceEpoch),
                    \(run.startedAt?.millisecondsSinceEpoch), \(run.finishedAt?.millisecondsSinceEpoch), \(run.slot?.millisecondsSinceEpoch),
                    \(run.owner), \(run.error), \(summary?.orders), \(summary?.missing), \(summary?.valueDiffers), \(summary?.undelivered),
                    \(summary?.eventsWithoutOrder), \(summary?.backfilled), \(run.alertSince?.millisecondsSinceEpoch), \(run.report.map { Data($0) }))
                ON CONFLICT (id) DO UPDATE SET
                    source = excluded.source, trigger = excluded.trigger, state = excluded.state, since_ms = excluded.since_ms,
                    until_ms = excluded.until_ms, backfill = excluded.backfill, requested_at_ms = excluded.requested_at_ms,
                    started_at_ms = excluded.started_at_ms, finished_at_ms = excluded.finished_at_ms, slot_ms = excluded.slot_ms,
                    owner = excluded.owner, error = excluded.error, orders = excluded.orders, missing = excluded.missing,
                    value_differs = excluded.value_differs, undelivered = excluded.undelivered,
                    events_without_order = excluded.events_without_order, backfilled = excluded.backfilled,
                    alert_since_ms = excluded.alert_since_ms, report = excluded.report
                """, logger: logger
            ).collect()
        } catch {
            throw storeError(error)
        }
    }

    static let runColumns = """
        id, source, trigger, state, since_ms, until_ms, backfill, requested_at_ms, started_at_ms, finished_at_ms, slot_ms, owner, error,
        orders, missing, value_differs, undelivered, events_without_order, backfilled, alert_since_ms
        """

    /// A run from the columns `runColumns` lists, then `report` when `withReport`.
    static func run(from row: PostgresRow, withReport: Bool) throws -> ReconciliationRun? {
        let columns = row.makeRandomAccess()
        func time(_ index: Int) throws -> Timestamp? { try columns[index].decode(Int64?.self).map(Timestamp.init(millisecondsSinceEpoch:)) }
        guard let trigger = ReconciliationRun.Trigger(rawValue: try columns[2].decode(String.self)),
            let state = ReconciliationRun.State(rawValue: try columns[3].decode(String.self))
        else { return nil }
        var summary: ReconciliationRun.Summary?
        if let orders = try columns[13].decode(Int?.self) {
            summary = ReconciliationRun.Summary(
                orders: orders, missing: try columns[14].decode(Int?.self) ?? 0, valueDiffers: try columns[15].decode(Int?.self) ?? 0,
                undelivered: try columns[16].decode(Int?.self) ?? 0, eventsWithoutOrder: try columns[17].decode(Int?.self) ?? 0,
                backfilled: try columns[18].decode(Int?.self) ?? 0)
        }
        let report = withReport ? try columns[20].decode(Data?.self) : nil
        return ReconciliationRun(
            id: try columns[0].decode(String.self), source: try columns[1].decode(String.self), trigger: trigger, state: state,
            since: Timestamp(millisecondsSinceEpoch: try columns[4].decode(Int64.self)),
            until: Timestamp(millisecondsSinceEpoch: try columns[5].decode(Int64.self)), backfill: try columns[6].decode(Bool.self),
            requestedAt: Timestamp(millisecondsSinceEpoch: try columns[7].decode(Int64.self)), startedAt: try time(8), finishedAt: try time(9),
            slot: try time(10), owner: try columns[11].decode(String?.self), error: try columns[12].decode(String?.self), summary: summary,
            alertSince: try time(19), report: report.map { Array($0) })
    }

    public func reconciliationRun(id: String) async throws(StoreError) -> ReconciliationRun? {
        do {
            let rows = try await client.query(
                "SELECT \(unescaped: Self.runColumns), report FROM reconciliation_runs WHERE id = \(id)", logger: logger
            ).collect()
            return try rows.first.flatMap { try Self.run(from: $0, withReport: true) }
        } catch {
            throw storeError(error)
        }
    }

    public func reconciliationRuns(source: String?, limit: Int) async throws(StoreError) -> [ReconciliationRun] {
        do {
            let rows = try await client.query(
                """
                SELECT \(unescaped: Self.runColumns) FROM reconciliation_runs
                WHERE (\(source)::text IS NULL OR source = \(source)::text)
                ORDER BY requested_at_ms DESC, id DESC LIMIT \(Self.sqlLimit(limit))
                """, logger: logger
            ).collect()
            return try rows.compactMap { try Self.run(from: $0, withReport: false) }
        } catch {
            throw storeError(error)
        }
    }

    public func claimQueuedReconciliation(owner: String, now: Timestamp) async throws(StoreError) -> ReconciliationRun? {
        do {
            let rows = try await client.query(
                """
                UPDATE reconciliation_runs SET state = 'running', owner = \(owner), started_at_ms = \(now.millisecondsSinceEpoch)
                WHERE id = (
                    SELECT id FROM reconciliation_runs WHERE state = 'queued' ORDER BY requested_at_ms, id LIMIT 1 FOR UPDATE SKIP LOCKED)
                RETURNING \(unescaped: Self.runColumns)
                """, logger: logger
            ).collect()
            return try rows.first.flatMap { try Self.run(from: $0, withReport: false) }
        } catch {
            throw storeError(error)
        }
    }

    public func lastScheduledReconciliation(source: String, completedOnly: Bool) async throws(StoreError) -> ReconciliationRun? {
        do {
            let rows = try await client.query(
                """
                SELECT \(unescaped: Self.runColumns) FROM reconciliation_runs
                WHERE source = \(source) AND trigger = 'schedule' AND (state = 'completed' OR (NOT \(completedOnly)::boolean AND state != 'failed'))
                ORDER BY slot_ms DESC NULLS LAST, requested_at_ms DESC LIMIT 1
                """, logger: logger
            ).collect()
            return try rows.first.flatMap { try Self.run(from: $0, withReport: false) }
        } catch {
            throw storeError(error)
        }
    }

    public func failInterruptedReconciliations(ownedBy match: LeaseOwnerMatch, now: Timestamp) async throws(StoreError) -> Int {
        let prefix: String?
        switch match {
        case .all: prefix = nil
        case .prefix(let value): prefix = value
        }
        do {
            let rows = try await client.query(
                """
                UPDATE reconciliation_runs SET state = 'failed', error = 'interrupted: the process running it stopped',
                    finished_at_ms = \(now.millisecondsSinceEpoch)
                WHERE state = 'running' AND (\(prefix)::text IS NULL OR starts_with(owner, \(prefix)::text))
                RETURNING id
                """, logger: logger
            ).collect()
            return rows.count
        } catch {
            throw storeError(error)
        }
    }

    /// A session advisory lock keyed by the schema, held on one pooled
    /// connection while `body` runs (`pg_try_advisory_lock`): the instance
    /// that gets it runs the schedule; the others return `nil` at once.
    public func withReconciliationLock<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T? {
        let logger = self.logger
        let schema = configuration.schema ?? ""
        // Not abandonable: the lock is held for `body`'s whole run, which owns its own cancellation.
        return try await client.pool.withConnection { connection in
            let rows = try await connection.query(
                "SELECT pg_try_advisory_lock(hashtext('capi-bridge/reconciliation'), hashtext(\(schema)))", logger: logger
            ).collect()
            guard let row = rows.first, try row.decode(Bool.self) else { return nil }
            do {
                let result = try await body()
                _ = try? await connection.query(
                    "SELECT pg_advisory_unlock(hashtext('capi-bridge/reconciliation'), hashtext(\(schema)))", logger: logger
                ).collect()
                return result
            } catch {
                _ = try? await connection.query(
                    "SELECT pg_advisory_unlock(hashtext('capi-bridge/reconciliation'), hashtext(\(schema)))", logger: logger
                ).collect()
                throw error
            }
        }
    }
}
