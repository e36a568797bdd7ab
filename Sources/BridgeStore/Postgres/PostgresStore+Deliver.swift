import BridgeCore
import Foundation
import PostgresNIO

extension PostgresStore {
    /// Claims due deliveries in one statement: the candidates are locked with
    /// `FOR UPDATE SKIP LOCKED` in queue order (`next_attempt_ms, id`), then
    /// the longest prefix whose payloads fit in `maxBytes` (always at least
    /// one) is leased to `owner`. Candidates left out are unlocked at once.
    public func claimDeliveries(
        destination: String, limit: Int, maxBytes: Int, owner: String, leaseUntil: Timestamp, now: Timestamp
    ) async throws(StoreError) -> [ClaimedDelivery] {
        let nowMS = now.millisecondsSinceEpoch
        do {
            let rows = try await client.query(
                """
                WITH candidates AS (
                    SELECT id, payload_bytes, next_attempt_ms FROM deliveries
                    WHERE destination = \(destination) AND state = 'pending' AND next_attempt_ms <= \(nowMS)
                      AND (lease_until_ms IS NULL OR lease_until_ms < \(nowMS))
                    ORDER BY next_attempt_ms, id LIMIT \(Self.sqlLimit(limit))
                    FOR UPDATE SKIP LOCKED),
                sized AS (
                    SELECT id,
                        row_number() OVER (ORDER BY next_attempt_ms, id) AS position,
                        sum(payload_bytes) OVER (ORDER BY next_attempt_ms, id) AS running_bytes
                    FROM candidates)
                UPDATE deliveries AS d SET lease_owner = \(owner), lease_until_ms = \(leaseUntil.millisecondsSinceEpoch)
                FROM sized
                WHERE d.id = sized.id AND (sized.position = 1 OR sized.running_bytes <= \(Int64(maxBytes)))
                RETURNING \(unescaped: Self.claimColumns), sized.position
                """, logger: logger
            ).collect()
            return try rows.map { row in
                let (id, destination, source, eventID, eventName, eventTime, receivedAt, payload, sealed, attempts, firstAttempt, position) =
                    try row.decode((Int64, String, String, String, String, Int64, Int64, Data?, Data?, Int, Int64?, Int64).self)
                let claimed = ClaimedDelivery(
                    id: id, destination: destination, source: source, eventID: eventID, eventName: eventName,
                    eventTime: Timestamp(millisecondsSinceEpoch: eventTime), receivedAt: Timestamp(millisecondsSinceEpoch: receivedAt),
                    payload: payload.map { Array($0) } ?? [], sealed: sealed.map { Array($0) }, attempts: attempts,
                    firstAttemptAt: firstAttempt.map(Timestamp.init(millisecondsSinceEpoch:)))
                return (position, claimed)
            }
            .sorted { $0.0 < $1.0 }
            .map(\.1)
        } catch {
            throw storeError(error)
        }
    }

    /// The columns a claim returns, in the order `claimDeliveries` decodes them.
    static let claimColumns = """
        d.id, d.destination, d.source, d.event_id, d.event_name, d.event_time_ms, d.received_at_ms, d.payload, d.sealed,
        d.attempts, d.first_attempt_ms
        """

    public func dueDeliveries(destination: String, now: Timestamp, limit: Int) async throws(StoreError) -> (count: Int, oldestReadyAt: Timestamp?) {
        let nowMS = now.millisecondsSinceEpoch
        do {
            let rows = try await client.query(
                """
                SELECT COUNT(*), MIN(ready_ms) FROM (
                    SELECT GREATEST(prepared_at_ms, next_attempt_ms) AS ready_ms FROM deliveries
                    WHERE destination = \(destination) AND state = 'pending' AND next_attempt_ms <= \(nowMS)
                      AND (lease_until_ms IS NULL OR lease_until_ms < \(nowMS))
                    ORDER BY next_attempt_ms, id LIMIT \(Self.sqlLimit(limit))) AS due
                """, logger: logger
            ).collect()
            guard let row = rows.first else { return (0, nil) }
            let (count, oldest) = try row.decode((Int, Int64?).self)
            return (count, oldest.map(Timestamp.init(millisecondsSinceEpoch:)))
        } catch {
            throw storeError(error)
        }
    }

    /// Applies outcomes in one transaction, each only while `owner` still
    /// holds the delivery's lease (`WHERE lease_owner = owner`): an outcome
    /// from a worker whose lease ran out and was taken over changes nothing.
    public func complete(_ outcomes: [DeliveryOutcome], owner: String, now: Timestamp) async throws(StoreError) {
        guard !outcomes.isEmpty else { return }
        let logger = self.logger
        let nowMS = now.millisecondsSinceEpoch
        do {
            try await client.withTransaction(logger: logger) { connection in
                for outcome in outcomes {
                    let query: PostgresQuery
                    switch outcome {
                    case .delivered(let id, let batchID, let status):
                        query = """
                            UPDATE deliveries SET state = 'delivered', delivered_at_ms = \(nowMS), batch_id = \(Self.text(batchID)),
                                last_status = \(Int64(status)), last_attempt_ms = \(nowMS), first_attempt_ms = COALESCE(first_attempt_ms, \(nowMS)),
                                sealed = NULL, lease_owner = NULL, lease_until_ms = NULL, last_error = NULL
                            WHERE id = \(id) AND lease_owner = \(owner)
                            """
                    case .retry(let id, let at, let status, let error):
                        query = """
                            UPDATE deliveries SET attempts = attempts + 1, next_attempt_ms = \(at.millisecondsSinceEpoch),
                                last_status = \(status.map(Int64.init)), last_error = \(Self.text(String(error.prefix(1000)))),
                                last_attempt_ms = \(nowMS), first_attempt_ms = COALESCE(first_attempt_ms, \(nowMS)),
                                lease_owner = NULL, lease_until_ms = NULL
                            WHERE id = \(id) AND lease_owner = \(owner)
                            """
                    case .release(let id, let at):
                        query = """
                            UPDATE deliveries SET next_attempt_ms = \(at.millisecondsSinceEpoch), lease_owner = NULL, lease_until_ms = NULL
                            WHERE id = \(id) AND lease_owner = \(owner)
                            """
                    case .dead(let id, let code, let message, let status):
                        query = """
                            UPDATE deliveries SET state = 'dead', dead_code = \(Self.text(code)), last_error = \(Self.text(String(message.prefix(1000)))),
                                last_status = \(status.map(Int64.init)), dead_at_ms = \(nowMS), attempts = attempts + 1,
                                last_attempt_ms = \(nowMS), lease_owner = NULL, lease_until_ms = NULL
                            WHERE id = \(id) AND lease_owner = \(owner)
                            """
                    }
                    try await connection.run(query, logger: logger)
                }
            }
        } catch {
            throw storeError(error)
        }
    }

    /// Text from outside (a platform's error message) cut at its first NUL
    /// character: PostgreSQL `TEXT` cannot hold one, and SQLite's text reads
    /// back only up to it, so both stores keep the same message.
    static func text(_ value: String) -> String {
        guard let nul = value.firstIndex(of: "\u{0}") else { return value }
        return String(value[..<nul])
    }

    public func queueStats(now: Timestamp) async throws(StoreError) -> [String: QueueStats] {
        do {
            var stats: [String: QueueStats] = [:]
            let rows = try await client.query(
                """
                SELECT destination, state, COUNT(*), MIN(received_at_ms)
                FROM deliveries WHERE state IN ('pending', 'dead') GROUP BY destination, state
                """, logger: logger)
            for try await (destination, state, count, oldest) in rows.decode((String, String, Int, Int64?).self) {
                var entry = stats[destination] ?? QueueStats()
                if state == "pending" {
                    entry.pending = count
                    entry.oldestPendingReceivedAt = oldest.map(Timestamp.init(millisecondsSinceEpoch:))
                } else {
                    entry.dead = count
                }
                stats[destination] = entry
            }
            var unprepared = 0
            for try await count in try await client.query(
                "SELECT COUNT(*) FROM events WHERE prepared_at_ms IS NULL", logger: logger
            ).decode(Int.self) {
                unprepared = count
            }
            for key in stats.keys { stats[key]?.unprepared = unprepared }
            if stats.isEmpty, unprepared > 0 { stats["*"] = QueueStats(unprepared: unprepared) }
            return stats
        } catch {
            throw storeError(error)
        }
    }
}
