import BridgeCore
import Foundation
import PostgresNIO

extension PostgresStore {
    // Each query selects dead letters by `DeadLetterFilter` with every value
    // bound: a filter left out is `NULL` and matches everything; an empty id
    // list matches nothing (as SQLite's `id IN (NULL)`).

    public func deadLetters(_ filter: DeadLetterFilter, limit: Int) async throws(StoreError) -> [DeadLetter] {
        do {
            let query: PostgresQuery = """
            SELECT id, destination, source, event_id, event_name, event_time_ms, received_at_ms, attempts, dead_code, last_error,
                last_status, dead_at_ms, consent_action, consent_reason, payload
            FROM deliveries
            WHERE state = 'dead'
              AND (\(filter.ids)::bigint[] IS NULL OR id = ANY(\(filter.ids)::bigint[]))
              AND (\(filter.destination)::text IS NULL OR destination = \(filter.destination)::text)
              AND (\(filter.code)::text IS NULL OR dead_code = \(filter.code)::text)
            ORDER BY dead_at_ms DESC, id DESC LIMIT \(Self.sqlLimit(limit))
            """
            return try await client.query(query, logger: logger).collect().map { row in
                let (id, destination, source, eventID, eventName, eventTime, receivedAt, attempts, code, message, lastStatus, deadAt) =
                    try row.decode((Int64, String, String, String, String, Int64, Int64, Int, String?, String?, Int?, Int64?).self)
                let random = row.makeRandomAccess()
                let action = try random["consent_action"].decode(String.self)
                let reason = try random["consent_reason"].decode(String.self)
                let payload = try random["payload"].decode(Data?.self)
                return DeadLetter(
                    id: id, destination: destination, source: source, eventID: eventID, eventName: eventName,
                    eventTime: Timestamp(millisecondsSinceEpoch: eventTime), receivedAt: Timestamp(millisecondsSinceEpoch: receivedAt),
                    attempts: attempts, code: code ?? "unknown", message: message ?? "", lastStatus: lastStatus,
                    deadAt: Timestamp(millisecondsSinceEpoch: deadAt ?? 0), consent: "\(action):\(reason)",
                    payload: payload.map { Array($0) })
            }
        } catch {
            throw storeError(error)
        }
    }

    /// Re-queues matching dead letters that still hold their payload (one
    /// dropped by retention has nothing left to send); returns how many.
    public func replayDeadLetters(_ filter: DeadLetterFilter, now: Timestamp) async throws(StoreError) -> Int {
        do {
            let query: PostgresQuery = """
            UPDATE deliveries SET state = 'pending', next_attempt_ms = \(now.millisecondsSinceEpoch), attempts = 0,
                first_attempt_ms = NULL, dead_code = NULL, dead_at_ms = NULL, lease_owner = NULL, lease_until_ms = NULL
            WHERE state = 'dead' AND payload IS NOT NULL
              AND (\(filter.ids)::bigint[] IS NULL OR id = ANY(\(filter.ids)::bigint[]))
              AND (\(filter.destination)::text IS NULL OR destination = \(filter.destination)::text)
              AND (\(filter.code)::text IS NULL OR dead_code = \(filter.code)::text)
            RETURNING id
            """
            return try await client.query(query, logger: logger).collect().count
        } catch {
            throw storeError(error)
        }
    }

    public func purgeDeadLetters(_ filter: DeadLetterFilter) async throws(StoreError) -> Int {
        do {
            let query: PostgresQuery = """
            DELETE FROM deliveries
            WHERE state = 'dead'
              AND (\(filter.ids)::bigint[] IS NULL OR id = ANY(\(filter.ids)::bigint[]))
              AND (\(filter.destination)::text IS NULL OR destination = \(filter.destination)::text)
              AND (\(filter.code)::text IS NULL OR dead_code = \(filter.code)::text)
            RETURNING id
            """
            return try await client.query(query, logger: logger).collect().count
        } catch {
            throw storeError(error)
        }
    }
}
