import BridgeCore
import Foundation
import Logging
import PostgresNIO

extension PostgresStore {
    /// Commits a group of requests in one transaction, each inside its own
    /// savepoint so one failing request does not take the others down. A
    /// failure of the transaction itself (connection lost, commit refused)
    /// fails every request in it.
    ///
    /// Two instances committing groups at once can deadlock: each waits for a
    /// key or event id the other inserted and has not committed yet.
    /// PostgreSQL aborts one of the two statements; that request's savepoint is
    /// rolled back and the request is set aside, the rest of its group commits
    /// (releasing the locks the other instance waits for), and the set-aside
    /// requests run again in a transaction of their own, where they find the
    /// other instance's rows committed. After three rounds a request fails.
    ///
    /// Deadlocks cost both instances PostgreSQL's `deadlock_timeout` (1 s by
    /// default), so each group is applied in the order of its requests' event
    /// ids and delivery keys rather than of arrival: two instances holding
    /// the same events then take their row locks in the same order and wait
    /// for each other instead of deadlocking. Requests in one group were all in
    /// flight at once, so any order among them is one arrival could have had.
    static func commit(_ requests: [IngestRequest], client: AbandonablePostgresClient, logger: Logger) async -> [Result<IngestResult, StoreError>] {
        var results = [Result<IngestResult, StoreError>?](repeating: nil, count: requests.count)
        let lockOrder = requests.map(lockOrderKey)
        var remaining = requests.indices.sorted { lockOrder[$0] < lockOrder[$1] || (lockOrder[$0] == lockOrder[$1] && $0 < $1) }
        for round in 1...3 where !remaining.isEmpty {
            let isLastRound = round == 3
            let batch = remaining
            do {
                let (applied, setAside) = try await client.withTransaction(logger: logger) { connection in
                    var applied: [(Int, Result<IngestResult, StoreError>)] = []
                    var setAside: [Int] = []
                    applied.reserveCapacity(batch.count)
                    for index in batch {
                        switch try await applyInSavepoint(requests[index], on: connection, logger: logger) {
                        case .applied(let result): applied.append((index, result))
                        case .conflicted(let error): isLastRound ? applied.append((index, .failure(error))) : setAside.append(index)
                        }
                    }
                    return (applied, setAside)
                }
                for (index, result) in applied { results[index] = result }
                remaining = setAside
            } catch {
                let failure = StoreError.postgres(error)
                for index in batch { results[index] = .failure(failure) }
                remaining = []
            }
        }
        return results.map { $0 ?? .failure(StoreError(.unavailable, "request was not applied")) }
    }

    /// The row locks a request takes first, as one sortable string: its
    /// smallest event id, then its smallest delivery key, within its source.
    static func lockOrderKey(_ request: IngestRequest) -> String {
        let event = request.records.map(\.eventID).min() ?? ""
        let key = request.deliveryKeys.min() ?? ""
        return "\(request.source)\u{1}\(event)\u{1}\(key)"
    }

    /// What became of one request inside the group's transaction.
    enum SavepointOutcome {
        /// Stored, recognised as a duplicate, or failed for good.
        case applied(Result<IngestResult, StoreError>)
        /// Aborted to break a deadlock with another instance: try it again
        /// once this transaction has committed.
        case conflicted(StoreError)
    }

    /// Runs one request in a savepoint: released when the request stored
    /// something (or only recorded its keys), rolled back when it is a
    /// duplicate delivery or failed.
    /// - Throws: only when the savepoint itself cannot be handled (the
    ///   connection is gone): the whole transaction is lost then.
    static func applyInSavepoint(_ request: IngestRequest, on connection: PostgresConnection, logger: Logger) async throws
        -> SavepointOutcome
    {
        try await connection.run("SAVEPOINT ingest_request", logger: logger)
        do {
            let result = try await apply(request, on: connection, logger: logger)
            if result == .duplicateDelivery {
                try await connection.run("ROLLBACK TO SAVEPOINT ingest_request", logger: logger)
                try await noteDuplicates(request.records.map(\.eventID), of: request, on: connection, logger: logger)
            }
            try await connection.run("RELEASE SAVEPOINT ingest_request", logger: logger)
            return .applied(.success(result))
        } catch {
            // Leaving the savepoint aborted would make COMMIT roll back everything.
            try await connection.run("ROLLBACK TO SAVEPOINT ingest_request", logger: logger)
            try await connection.run("RELEASE SAVEPOINT ingest_request", logger: logger)
            let failure = StoreError.postgres(error)
            return StoreError.isTransient(error) ? .conflicted(failure) : .applied(.failure(failure))
        }
    }

    /// Applies one request: the delivery keys first (one already known, here
    /// or committed by another instance, makes the whole request a duplicate
    /// delivery: the caller rolls the savepoint back), then the events, each
    /// stored unless its source and event id are known.
    ///
    /// Inserting first, rather than looking up, is what makes this race-free
    /// across instances: an insert of a key another transaction inserted but
    /// has not committed waits for that transaction and then conflicts (or
    /// goes through, if it rolled back).
    static func apply(_ request: IngestRequest, on connection: PostgresConnection, logger: Logger) async throws -> IngestResult {
        // Sorted, so that two requests with the same keys lock them in the same order.
        let keys = Array(Set(request.deliveryKeys)).sorted()
        let receivedAt = request.receivedAt.millisecondsSinceEpoch
        if !keys.isEmpty {
            let inserted = try await connection.query(
                """
                INSERT INTO delivery_keys (source, key, received_at_ms)
                SELECT \(request.source), key, \(receivedAt) FROM unnest(\(keys)::text[]) AS key
                ON CONFLICT DO NOTHING RETURNING key
                """, logger: logger
            ).collect()
            if inserted.count < keys.count { return .duplicateDelivery }
        }
        var outcomes: [IngestResult.EventOutcome] = []
        outcomes.reserveCapacity(request.records.count)
        for record in request.records {
            if let adjustment = record.pendingAdjustment {
                outcomes.append(try await insertCumulativeRefund(record, adjustment, request: request, on: connection, logger: logger))
            } else {
                let stored = try await insertEvent(record, body: record.body, request: request, on: connection, logger: logger)
                outcomes.append(stored ? .accepted : .duplicate)
            }
        }
        return .stored(outcomes)
    }

    /// Inserts one event unless its source and event id are known, with its
    /// erasure keys in `identity_index`; true when stored. A known event
    /// counts a duplicate (`noteDuplicates`).
    static func insertEvent(
        _ record: OutboxRecord, body: [UInt8], request: IngestRequest, on connection: PostgresConnection, logger: Logger
    ) async throws -> Bool {
        let rows = try await connection.query(
            """
            INSERT INTO events (
                source, event_id, event_name, event_time_ms, received_at_ms, is_test, body, sealed, order_id, delivery_keys, trace_parent)
            VALUES (\(request.source), \(record.eventID), \(record.eventName.rawValue), \(record.eventTime.millisecondsSinceEpoch),
                    \(request.receivedAt.millisecondsSinceEpoch), \(record.isTest), \(Data(body)), \(record.sealed.map { Data($0) }),
                    \(record.orderID.map(Self.text)), \(request.arrivalKeys), \(request.traceParent?.header))
            ON CONFLICT (source, event_id) DO NOTHING RETURNING sequence
            """, logger: logger
        ).collect()
        guard let row = rows.first else {
            try await noteDuplicates([record.eventID], of: request, on: connection, logger: logger)
            return false
        }
        if !record.erasureKeys.isEmpty {
            let sequence = try row.decode(Int64.self)
            try await connection.run(
                """
                INSERT INTO identity_index (event_sequence, kind, digest, key_id)
                SELECT \(sequence), kind, digest, NULLIF(key_id, '')
                FROM unnest(\(record.erasureKeys.map(\.kind))::text[], \(record.erasureKeys.map(\.digest))::text[],
                    \(record.erasureKeys.map { $0.keyID ?? "" })::text[]) AS key (kind, digest, key_id)
                ON CONFLICT DO NOTHING
                """, logger: logger)
        }
        return true
    }

    /// Counts a duplicate arrival of each stored event among `eventIDs`
    /// (`events.duplicates_seen`, `last_duplicate_at_ms`, and the request's
    /// keys at the end of `duplicate_keys`, whose last 1000 characters are
    /// kept), in the caller's transaction; ids not stored change nothing.
    static func noteDuplicates(_ eventIDs: [String], of request: IngestRequest, on connection: PostgresConnection, logger: Logger) async throws {
        guard !eventIDs.isEmpty else { return }
        try await connection.run(
            """
            UPDATE events SET duplicates_seen = duplicates_seen + 1, last_duplicate_at_ms = \(request.receivedAt.millisecondsSinceEpoch),
                duplicate_keys = right(COALESCE(duplicate_keys || ' ', '') || \(request.duplicateKeyText), \(unescaped: String(IngestRequest.maxArrivalKeyCharacters)))
            WHERE source = \(request.source) AND event_id = ANY(\(Array(Set(eventIDs)).sorted()))
            """, logger: logger)
    }

    /// Stores a cumulative refund as its increase over the largest total
    /// recorded for its key, and records the new total; a repeat, an
    /// out-of-order older total or a known event id is a duplicate.
    ///
    /// The running total's row is locked first (an upsert that changes
    /// nothing but takes the row lock, creating the row at zero when
    /// missing), so instances refunding the same charge at once take turns:
    /// the second reads the total the first committed.
    static func insertCumulativeRefund(
        _ record: OutboxRecord, _ adjustment: (event: ConversionEvent, refund: CumulativeRefund), request: IngestRequest,
        on connection: PostgresConnection, logger: Logger
    ) async throws -> IngestResult.EventOutcome {
        let refund = adjustment.refund
        let rows = try await connection.query(
            """
            INSERT INTO refund_totals (source, key, currency, total) VALUES (\(request.source), \(refund.key), \(refund.recorded.currency), '0')
            ON CONFLICT (source, key) DO UPDATE SET total = refund_totals.total
            RETURNING currency, total
            """, logger: logger
        ).collect()
        var recorded: CumulativeRefund.Recorded?
        if let row = rows.first {
            let (currency, amount) = try row.decode((String, String).self)
            recorded = CumulativeRefund.Recorded(currency: currency, amount: amount)
        }
        guard let event = refund.refundEvent(adjustment.event, recorded: recorded) else { return .duplicate }
        let body = JSONWriter.bytes(event.canonicalJSON(includeIdentifiers: false))
        // A known event id stores nothing and leaves the total as it was.
        guard try await insertEvent(record, body: body, request: request, on: connection, logger: logger) else { return .duplicate }
        try await connection.run(
            """
            UPDATE refund_totals SET currency = \(refund.recorded.currency), total = \(refund.recorded.amount)
            WHERE source = \(request.source) AND key = \(refund.key)
            """, logger: logger
        )
        return .accepted
    }
}
