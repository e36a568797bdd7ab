import BridgeCore
import Foundation
import PostgresNIO

extension PostgresStore {
    /// Claims due deliveries in one statement: the candidates are locked with
    /// `FOR UPDATE SKIP LOCKED` in queue order (`next_attempt_ms, id`); unless
    /// the batcher's wait says not yet (fewer than the limit, the oldest ready
    /// after `flushReadyBefore`), the longest prefix whose payloads fit in
    /// `maxBytes` (always at least one) is leased to the owner and returned
    /// with its event's clear part and browser context. Candidates left out
    /// are unlocked at once. The count and oldest ready time of the due
    /// deliveries come back in every row, and alone when nothing is claimed.
    public func claim(_ request: DeliveryClaimRequest) async throws(StoreError) -> DeliveryClaim {
        let nowMS = request.now.millisecondsSinceEpoch
        let flushMS = request.flushReadyBefore?.millisecondsSinceEpoch ?? Int64.max
        do {
            let rows = try await client.query(
                """
                WITH candidates AS (
                    SELECT id, payload_bytes, next_attempt_ms, GREATEST(prepared_at_ms, next_attempt_ms) AS ready_ms FROM deliveries
                    WHERE destination = \(request.destination) AND state = 'pending' AND next_attempt_ms <= \(nowMS)
                      AND (lease_until_ms IS NULL OR lease_until_ms < \(nowMS))
                    ORDER BY next_attempt_ms, id LIMIT \(Self.sqlLimit(request.limit))
                    FOR UPDATE SKIP LOCKED),
                due AS (SELECT COUNT(*) AS n, MIN(ready_ms) AS oldest FROM candidates),
                sized AS (
                    SELECT id,
                        row_number() OVER (ORDER BY next_attempt_ms, id) AS position,
                        sum(payload_bytes) OVER (ORDER BY next_attempt_ms, id) AS running_bytes
                    FROM candidates),
                claimed AS (
                    UPDATE deliveries AS d SET lease_owner = \(request.owner), lease_until_ms = \(request.leaseUntil.millisecondsSinceEpoch)
                    FROM sized, due
                    WHERE d.id = sized.id AND (sized.position = 1 OR sized.running_bytes <= \(Int64(request.maxBytes)))
                      AND (due.n >= \(Int64(request.limit)) OR due.oldest <= \(flushMS))
                    RETURNING \(unescaped: Self.claimColumns), sized.position)
                SELECT due.n, due.oldest, c.*, e.body, e.client_sealed, e.trace_parent
                FROM due LEFT JOIN claimed c ON true LEFT JOIN events e ON e.sequence = c.event_sequence
                """, logger: logger
            ).collect()
            var claim = DeliveryClaim(deliveries: [], due: 0, oldestReadyAt: nil)
            var positioned: [(Int64, ClaimedDelivery)] = []
            for row in rows {
                let (due, oldest) = try row.decode((Int64, Int64?).self)
                claim.due = Int(due)
                claim.oldestReadyAt = oldest.map(Timestamp.init(millisecondsSinceEpoch:))
                let columns = row.makeRandomAccess()
                guard let id = try columns[2].decode(Int64?.self) else { continue }
                let eventSequence = try columns[3].decode(Int64.self)
                let destination = try columns[4].decode(String.self)
                let source = try columns[5].decode(String.self)
                let eventID = try columns[6].decode(String.self)
                let eventName = try columns[7].decode(String.self)
                let eventTime = try columns[8].decode(Int64.self)
                let receivedAt = try columns[9].decode(Int64.self)
                let payload = try columns[10].decode(Data?.self)
                let sealed = try columns[11].decode(Data?.self)
                let attempts = try columns[12].decode(Int.self)
                let firstAttempt = try columns[13].decode(Int64?.self)
                let position = try columns[14].decode(Int64.self)
                let body = try columns[15].decode(Data?.self)
                let clientSealed = try columns[16].decode(Data?.self)
                let traceParent = try columns[17].decode(String?.self)
                positioned.append(
                    (position,
                     ClaimedDelivery(
                        id: id, eventSequence: eventSequence, destination: destination, source: source, eventID: eventID, eventName: eventName,
                        eventTime: Timestamp(millisecondsSinceEpoch: eventTime), receivedAt: Timestamp(millisecondsSinceEpoch: receivedAt),
                        payload: payload.map { Array($0) } ?? [], sealed: sealed.map { Array($0) }, eventBody: body.map { Array($0) } ?? [],
                        clientSealed: clientSealed.map { Array($0) }, attempts: attempts,
                        firstAttemptAt: firstAttempt.map(Timestamp.init(millisecondsSinceEpoch:)),
                        traceParent: traceParent.flatMap(TraceParent.init(header:)))))
            }
            claim.deliveries = positioned.sorted { $0.0 < $1.0 }.map(\.1)
            return claim
        } catch {
            throw storeError(error)
        }
    }

    /// The columns a claim returns, in the order `claim` decodes them.
    static let claimColumns = """
        d.id, d.event_sequence, d.destination, d.source, d.event_id, d.event_name, d.event_time_ms, d.received_at_ms, d.payload,
        d.sealed, d.attempts, d.first_attempt_ms
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
    /// One statement per kind of outcome (arrays, not one per delivery), and
    /// one erasing the browser context of events none of whose deliveries can
    /// still be sent.
    public func complete(_ outcomes: [DeliveryOutcome], owner: String, now: Timestamp) async throws(StoreError) {
        guard !outcomes.isEmpty else { return }
        let logger = self.logger
        let nowMS = now.millisecondsSinceEpoch
        var delivered: [String: (status: Int64, ids: [Int64])] = [:]
        // Statuses travel as arrays of integers; -1 stands for "no answer" (NULL).
        var retries: (ids: [Int64], at: [Int64], status: [Int64], error: [String], attempt: [String]) = ([], [], [], [], [])
        var releases: (ids: [Int64], at: [Int64]) = ([], [])
        var dead: (ids: [Int64], code: [String], message: [String], status: [Int64], attempt: [String]) = ([], [], [], [], [])
        for outcome in outcomes {
            switch outcome {
            case .delivered(let id, let batchID, let status):
                delivered["\(status) \(Self.text(batchID))", default: (Int64(status), [])].ids.append(id)
            case .retry(let id, let at, let status, let error):
                retries.ids.append(id)
                retries.at.append(at.millisecondsSinceEpoch)
                retries.status.append(status.map(Int64.init) ?? -1)
                retries.error.append(Self.text(String(error.prefix(1000))))
                retries.attempt.append(
                    Self.text(DeliveryAttemptLog.line(.init(at: now, outcome: .retry, status: status, nextAttemptAt: at, detail: error))))
            case .release(let id, let at):
                releases.ids.append(id)
                releases.at.append(at.millisecondsSinceEpoch)
            case .dead(let id, let code, let message, let status):
                dead.ids.append(id)
                dead.code.append(Self.text(code))
                dead.message.append(Self.text(String(message.prefix(1000))))
                dead.status.append(status.map(Int64.init) ?? -1)
                dead.attempt.append(
                    Self.text(DeliveryAttemptLog.line(.init(at: now, outcome: .deadLetter, status: status, detail: "\(code): \(message)"))))
            }
        }
        let allIDs = outcomes.map(\.id)
        do {
            let (delivered, retries, releases, dead) = (delivered, retries, releases, dead)
            try await client.withTransaction(logger: logger) { [logger] connection in
                for (key, group) in delivered {
                    let batchID = String(key.drop { $0 != " " }.dropFirst())
                    let attempt = Self.text(
                        DeliveryAttemptLog.line(.init(at: now, outcome: .delivered, status: Int(group.status), detail: "batch \(batchID)")))
                    try await connection.run(
                        """
                        UPDATE deliveries SET state = 'delivered', delivered_at_ms = \(nowMS), batch_id = \(batchID),
                            last_status = \(group.status), last_attempt_ms = \(nowMS), first_attempt_ms = COALESCE(first_attempt_ms, \(nowMS)),
                            sealed = NULL, lease_owner = NULL, lease_until_ms = NULL, last_error = NULL,
                            attempt_log = right(COALESCE(attempt_log, '') || \(attempt), \(unescaped: Self.attemptLogLimit))
                        WHERE id = ANY(\(group.ids)) AND lease_owner = \(owner)
                        """, logger: logger)
                }
                if !retries.ids.isEmpty {
                    try await connection.run(
                        """
                        UPDATE deliveries AS d SET attempts = d.attempts + 1, next_attempt_ms = r.at, last_status = NULLIF(r.status, -1),
                            last_error = r.error, last_attempt_ms = \(nowMS), first_attempt_ms = COALESCE(d.first_attempt_ms, \(nowMS)),
                            lease_owner = NULL, lease_until_ms = NULL,
                            attempt_log = right(COALESCE(d.attempt_log, '') || r.attempt, \(unescaped: Self.attemptLogLimit))
                        FROM unnest(\(retries.ids)::bigint[], \(retries.at)::bigint[], \(retries.status)::bigint[], \(retries.error)::text[],
                            \(retries.attempt)::text[])
                            AS r (id, at, status, error, attempt)
                        WHERE d.id = r.id AND d.lease_owner = \(owner)
                        """, logger: logger)
                }
                if !releases.ids.isEmpty {
                    try await connection.run(
                        """
                        UPDATE deliveries AS d SET next_attempt_ms = r.at, lease_owner = NULL, lease_until_ms = NULL
                        FROM unnest(\(releases.ids)::bigint[], \(releases.at)::bigint[]) AS r (id, at)
                        WHERE d.id = r.id AND d.lease_owner = \(owner)
                        """, logger: logger)
                }
                if !dead.ids.isEmpty {
                    try await connection.run(
                        """
                        UPDATE deliveries AS d SET state = 'dead', dead_code = r.code, last_error = r.message, last_status = NULLIF(r.status, -1),
                            dead_at_ms = \(nowMS), attempts = d.attempts + 1, last_attempt_ms = \(nowMS), lease_owner = NULL, lease_until_ms = NULL,
                            attempt_log = right(COALESCE(d.attempt_log, '') || r.attempt, \(unescaped: Self.attemptLogLimit))
                        FROM unnest(\(dead.ids)::bigint[], \(dead.code)::text[], \(dead.message)::text[], \(dead.status)::bigint[],
                            \(dead.attempt)::text[])
                            AS r (id, code, message, status, attempt)
                        WHERE d.id = r.id AND d.lease_owner = \(owner)
                        """, logger: logger)
                }
                // An event's browser context is kept while any of its deliveries may still be sent
                // (pending, or dead and replayable until retention erases it).
                try await connection.run(
                    """
                    UPDATE events SET client_sealed = NULL
                    WHERE client_sealed IS NOT NULL
                      AND sequence IN (SELECT event_sequence FROM deliveries WHERE id = ANY(\(allIDs)))
                      AND NOT EXISTS (SELECT 1 FROM deliveries WHERE event_sequence = events.sequence AND state IN ('pending', 'dead'))
                    """, logger: logger)
            }
        } catch {
            throw storeError(error)
        }
    }

    /// `DeliveryAttemptLog.maxStoredCharacters` as SQL text (a literal, so
    /// `right(text, integer)` needs no cast).
    static let attemptLogLimit = String(DeliveryAttemptLog.maxStoredCharacters)

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
