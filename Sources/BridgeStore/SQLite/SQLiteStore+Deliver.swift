import BridgeCore
import Foundation
import GRDB

extension SQLiteStore {
    public func claim(_ request: DeliveryClaimRequest) async throws(StoreError) -> DeliveryClaim {
        let nowMS = request.now.millisecondsSinceEpoch
        do {
            return try await pool.write { db in
                let candidates = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT id, payload_bytes, MAX(prepared_at_ms, next_attempt_ms) AS ready_ms FROM deliveries
                        WHERE destination = ? AND state = 'pending' AND next_attempt_ms <= ?
                          AND (lease_until_ms IS NULL OR lease_until_ms < ?)
                        ORDER BY next_attempt_ms, id LIMIT ?
                        """,
                    arguments: [request.destination, nowMS, nowMS, request.limit])
                let oldest = candidates.map { $0["ready_ms"] as Int64 }.min().map(Timestamp.init(millisecondsSinceEpoch:))
                var claim = DeliveryClaim(deliveries: [], due: candidates.count, oldestReadyAt: oldest)
                if let flush = request.flushReadyBefore, candidates.count < request.limit, let oldest, oldest > flush { return claim }
                var ids: [Int64] = []
                var bytes = 0
                for row in candidates {
                    let size: Int = row["payload_bytes"]
                    if !ids.isEmpty, bytes + size > request.maxBytes { break }
                    bytes += size
                    ids.append(row["id"])
                }
                guard !ids.isEmpty else { return claim }
                var arguments: StatementArguments = [request.owner, request.leaseUntil.millisecondsSinceEpoch]
                arguments += StatementArguments(ids)
                try db.execute(
                    sql: "UPDATE deliveries SET lease_owner = ?, lease_until_ms = ? WHERE id IN (\(SQLiteStore.placeholders(ids.count)))",
                    arguments: arguments)
                let rows = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT d.id, d.event_sequence, d.destination, d.source, d.event_id, d.event_name, d.event_time_ms, d.received_at_ms,
                            d.payload, d.sealed, d.attempts, d.first_attempt_ms, e.body, e.client_sealed, e.trace_parent
                        FROM deliveries d JOIN events e ON e.sequence = d.event_sequence
                        WHERE d.id IN (\(SQLiteStore.placeholders(ids.count)))
                        """,
                    arguments: StatementArguments(ids))
                let order = Dictionary(uniqueKeysWithValues: ids.enumerated().map { ($1, $0) })
                claim.deliveries = rows.map(SQLiteStore.claimedDelivery(from:)).sorted { order[$0.id, default: 0] < order[$1.id, default: 0] }
                return claim
            }
        } catch {
            throw StoreError.wrapping(error)
        }
    }

    public func dueDeliveries(destination: String, now: Timestamp, limit: Int) async throws(StoreError) -> (count: Int, oldestReadyAt: Timestamp?) {
        do {
            return try await pool.read { db in
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT COUNT(*) AS n, MIN(ready_ms) AS oldest FROM (
                            SELECT MAX(prepared_at_ms, next_attempt_ms) AS ready_ms FROM deliveries
                            WHERE destination = ? AND state = 'pending' AND next_attempt_ms <= ?
                              AND (lease_until_ms IS NULL OR lease_until_ms < ?)
                            ORDER BY next_attempt_ms, id LIMIT ?)
                        """,
                    arguments: [destination, now.millisecondsSinceEpoch, now.millisecondsSinceEpoch, limit])
                let count: Int = row?["n"] ?? 0
                let oldest: Int64? = row?["oldest"]
                return (count, oldest.map(Timestamp.init(millisecondsSinceEpoch:)))
            }
        } catch {
            throw StoreError.wrapping(error)
        }
    }

    public func complete(_ outcomes: [DeliveryOutcome], owner: String, now: Timestamp) async throws(StoreError) {
        guard !outcomes.isEmpty else { return }
        let nowMS = now.millisecondsSinceEpoch
        do {
            try await pool.write { db in
                let appendAttempt = "attempt_log = substr(COALESCE(attempt_log, '') || ?, -\(DeliveryAttemptLog.maxStoredCharacters))"
                let retry = try db.cachedStatement(
                    sql: """
                        UPDATE deliveries SET attempts = attempts + 1, next_attempt_ms = ?, last_status = ?, last_error = ?,
                            last_attempt_ms = ?, first_attempt_ms = COALESCE(first_attempt_ms, ?), lease_owner = NULL, lease_until_ms = NULL,
                            \(appendAttempt)
                        WHERE id = ? AND lease_owner = ?
                        """)
                let release = try db.cachedStatement(
                    sql: "UPDATE deliveries SET next_attempt_ms = ?, lease_owner = NULL, lease_until_ms = NULL WHERE id = ? AND lease_owner = ?")
                let dead = try db.cachedStatement(
                    sql: """
                        UPDATE deliveries SET state = 'dead', dead_code = ?, last_error = ?, last_status = ?, dead_at_ms = ?,
                            attempts = attempts + 1, last_attempt_ms = ?, lease_owner = NULL, lease_until_ms = NULL, \(appendAttempt)
                        WHERE id = ? AND lease_owner = ?
                        """)
                // Deliveries of one batch share batch id and status: one statement for all of them.
                var deliveredByBatch: [String: (status: Int, ids: [Int64])] = [:]
                for case .delivered(let id, let batchID, let status) in outcomes {
                    deliveredByBatch[batchID, default: (status, [])].ids.append(id)
                }
                for (batchID, group) in deliveredByBatch {
                    for chunk in stride(from: 0, to: group.ids.count, by: 500) {
                        let ids = Array(group.ids[chunk..<min(chunk + 500, group.ids.count)])
                        let attempt = DeliveryAttemptLog.line(
                            .init(at: now, outcome: .delivered, status: group.status, detail: "batch \(batchID)"))
                        var arguments: StatementArguments = [nowMS, batchID, group.status, nowMS, nowMS, attempt, owner]
                        arguments += StatementArguments(ids)
                        try db.execute(
                            sql: """
                                UPDATE deliveries SET state = 'delivered', delivered_at_ms = ?, batch_id = ?, last_status = ?,
                                    last_attempt_ms = ?, first_attempt_ms = COALESCE(first_attempt_ms, ?), sealed = NULL,
                                    lease_owner = NULL, lease_until_ms = NULL, last_error = NULL, \(appendAttempt)
                                WHERE lease_owner = ? AND id IN (\(Array(repeating: "?", count: ids.count).joined(separator: ",")))
                                """,
                            arguments: arguments)
                    }
                }
                for outcome in outcomes {
                    switch outcome {
                    case .delivered:
                        continue
                    case .retry(let id, let at, let status, let error):
                        let attempt = DeliveryAttemptLog.line(.init(at: now, outcome: .retry, status: status, nextAttemptAt: at, detail: error))
                        try retry.execute(
                            arguments: [at.millisecondsSinceEpoch, status, String(error.prefix(1000)), nowMS, nowMS, attempt, id, owner])
                    case .release(let id, let at):
                        try release.execute(arguments: [at.millisecondsSinceEpoch, id, owner])
                    case .dead(let id, let code, let message, let status):
                        let attempt = DeliveryAttemptLog.line(.init(at: now, outcome: .deadLetter, status: status, detail: "\(code): \(message)"))
                        try dead.execute(arguments: [code, String(message.prefix(1000)), status, nowMS, nowMS, attempt, id, owner])
                    }
                }
                // An event's browser context is kept while any of its deliveries may still be sent
                // (pending, or dead and replayable until retention erases it).
                for chunk in outcomes.map(\.id).chunked(by: SQLiteStore.maxVariablesPerStatement) {
                    try db.execute(
                        sql: """
                            UPDATE events SET client_sealed = NULL
                            WHERE client_sealed IS NOT NULL
                              AND sequence IN (SELECT event_sequence FROM deliveries WHERE id IN (\(SQLiteStore.placeholders(chunk.count))))
                              AND NOT EXISTS (SELECT 1 FROM deliveries WHERE event_sequence = events.sequence AND state IN ('pending', 'dead'))
                            """,
                        arguments: StatementArguments(Array(chunk)))
                }
            }
        } catch {
            throw StoreError.wrapping(error)
        }
    }

    public func queueStats(now: Timestamp) async throws(StoreError) -> [String: QueueStats] {
        do {
            return try await pool.read { db in
                var stats: [String: QueueStats] = [:]
                for row in try Row.fetchAll(
                    db,
                    sql: """
                        SELECT destination, state, COUNT(*) AS n, MIN(received_at_ms) AS oldest
                        FROM deliveries WHERE state IN ('pending', 'dead') GROUP BY destination, state
                        """)
                {
                    let destination: String = row["destination"]
                    var entry = stats[destination] ?? QueueStats()
                    if (row["state"] as String) == "pending" {
                        entry.pending = row["n"]
                        entry.oldestPendingReceivedAt = (row["oldest"] as Int64?).map(Timestamp.init(millisecondsSinceEpoch:))
                    } else {
                        entry.dead = row["n"]
                    }
                    stats[destination] = entry
                }
                let unprepared = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM events WHERE prepared_at_ms IS NULL") ?? 0
                for key in stats.keys { stats[key]?.unprepared = unprepared }
                if stats.isEmpty, unprepared > 0 { stats["*"] = QueueStats(unprepared: unprepared) }
                return stats
            }
        } catch {
            throw StoreError.wrapping(error)
        }
    }

    static func claimedDelivery(from row: Row) -> ClaimedDelivery {
        let payload: Data? = row["payload"]
        let sealed: Data? = row["sealed"]
        let body: Data? = row["body"]
        let clientSealed: Data? = row["client_sealed"]
        return ClaimedDelivery(
            id: row["id"], eventSequence: row["event_sequence"], destination: row["destination"], source: row["source"],
            eventID: row["event_id"], eventName: row["event_name"], eventTime: Timestamp(millisecondsSinceEpoch: row["event_time_ms"]),
            receivedAt: Timestamp(millisecondsSinceEpoch: row["received_at_ms"]), payload: payload.map { Array($0) } ?? [],
            sealed: sealed.map { Array($0) }, eventBody: body.map { Array($0) } ?? [], clientSealed: clientSealed.map { Array($0) },
            attempts: row["attempts"], firstAttemptAt: (row["first_attempt_ms"] as Int64?).map(Timestamp.init(millisecondsSinceEpoch:)),
            traceParent: (row["trace_parent"] as String?).flatMap(TraceParent.init(header:)))
    }
}
