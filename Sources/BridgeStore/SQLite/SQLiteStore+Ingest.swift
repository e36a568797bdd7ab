import BridgeCore
import Foundation
import GRDB

extension SQLiteStore {
    /// Commits a group of requests in one transaction, each inside its own
    /// savepoint so one failing request does not take the others down.
    static func commit(_ requests: [IngestRequest], pool: DatabasePool) async -> [Result<IngestResult, StoreError>] {
        do {
            return try await pool.write { db in
                var results: [Result<IngestResult, StoreError>] = []
                results.reserveCapacity(requests.count)
                for request in requests {
                    do {
                        var result = IngestResult.duplicateDelivery
                        try db.inSavepoint {
                            result = try apply(request, in: db)
                            return .commit
                        }
                        results.append(.success(result))
                    } catch {
                        results.append(.failure(StoreError.wrapping(error)))
                    }
                }
                return results
            }
        } catch {
            let failure = StoreError.wrapping(error)
            return requests.map { _ in .failure(failure) }
        }
    }

    /// Applies one request: delivery dedupe, event dedupe, refund deltas, then
    /// the delivery keys.
    static func apply(_ request: IngestRequest, in db: Database) throws -> IngestResult {
        let keyLookup = try db.cachedStatement(sql: "SELECT 1 FROM delivery_keys WHERE source = ? AND key = ?")
        for key in request.deliveryKeys {
            if try Int.fetchOne(keyLookup, arguments: [request.source, key]) != nil {
                for record in request.records { try noteDuplicate(record.eventID, of: request, in: db) }
                return .duplicateDelivery
            }
        }
        let insertEvent = try db.cachedStatement(
            sql: """
                INSERT INTO events (
                    source, event_id, event_name, event_time_ms, received_at_ms, is_test, body, sealed, erasure_keys, order_id, delivery_keys,
                    trace_parent)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (source, event_id) DO NOTHING
                """)
        let arrivalKeys = request.arrivalKeys
        let eventLookup = try db.cachedStatement(sql: "SELECT 1 FROM events WHERE source = ? AND event_id = ?")
        var outcomes: [IngestResult.EventOutcome] = []
        outcomes.reserveCapacity(request.records.count)
        for record in request.records {
            var body = record.body
            if let adjustment = record.pendingAdjustment {
                if try Int.fetchOne(eventLookup, arguments: [request.source, record.eventID]) != nil {
                    try noteDuplicate(record.eventID, of: request, in: db)
                    outcomes.append(.duplicate)
                    continue
                }
                guard let adjusted = try applyCumulativeRefund(adjustment, source: request.source, in: db) else {
                    outcomes.append(.duplicate)
                    continue
                }
                body = JSONWriter.bytes(adjusted.canonicalJSON(includeIdentifiers: false))
            }
            try insertEvent.execute(arguments: [
                request.source, record.eventID, record.eventName.rawValue, record.eventTime.millisecondsSinceEpoch,
                request.receivedAt.millisecondsSinceEpoch, record.isTest, Data(body), record.sealed.map { Data($0) },
                SQLiteStore.erasureWords(record.erasureKeys), record.orderID, arrivalKeys, request.traceParent?.header,
            ])
            if db.changesCount > 0 {
                outcomes.append(.accepted)
            } else {
                try noteDuplicate(record.eventID, of: request, in: db)
                outcomes.append(.duplicate)
            }
        }
        let insertKey = try db.cachedStatement(
            sql: "INSERT INTO delivery_keys (source, key, received_at_ms) VALUES (?, ?, ?) ON CONFLICT DO NOTHING")
        for key in request.deliveryKeys {
            try insertKey.execute(arguments: [request.source, key, request.receivedAt.millisecondsSinceEpoch])
        }
        return .stored(outcomes)
    }

    /// Counts a duplicate arrival of a stored event (`events.duplicates_seen`,
    /// `last_duplicate_at_ms`, and the request's keys at the end of
    /// `duplicate_keys`, whose last 1000 characters are kept). Nothing
    /// happens when the event is not stored (a refund total that did not grow).
    static func noteDuplicate(_ eventID: String, of request: IngestRequest, in db: Database) throws {
        let statement = try db.cachedStatement(
            sql: """
                UPDATE events SET duplicates_seen = duplicates_seen + 1, last_duplicate_at_ms = ?,
                    duplicate_keys = substr(COALESCE(duplicate_keys || ' ', '') || ?, -\(IngestRequest.maxArrivalKeyCharacters))
                WHERE source = ? AND event_id = ?
                """)
        try statement.execute(arguments: [request.receivedAt.millisecondsSinceEpoch, request.duplicateKeyText, request.source, eventID])
    }

    /// The `erasure_keys` column: `kind:keyid:digest` words (128 bits of
    /// each digest, the seal key id that made it). Rows stored before key
    /// rings hold `kind:digest` words.
    static func erasureWords(_ keys: [ErasureKeys.Key]) -> String? {
        keys.isEmpty ? nil : keys.map(erasureWord).joined(separator: " ")
    }

    /// The word stored for `key` (`kind:keyid:digest`, or `kind:digest` without a key id).
    static func erasureWord(_ key: ErasureKeys.Key) -> String {
        if let keyID = key.keyID { return "\(key.kind):\(keyID):\(key.digest.prefix(32))" }
        return "\(key.kind):\(key.digest.prefix(32))"
    }

    /// Replaces a cumulative refund's value by its increase over the largest
    /// total recorded for its key (`CumulativeRefund.refundEvent`), and
    /// records the new total. Returns `nil` when there is no increase (a
    /// repeat or an out-of-order older total).
    static func applyCumulativeRefund(
        _ adjustment: (event: ConversionEvent, refund: CumulativeRefund), source: String, in db: Database
    ) throws -> ConversionEvent? {
        let refund = adjustment.refund
        let recorded = try Row.fetchOne(
            db, sql: "SELECT currency, total FROM refund_totals WHERE source = ? AND key = ?", arguments: [source, refund.key]
        ).map { CumulativeRefund.Recorded(currency: $0["currency"], amount: $0["total"]) }
        guard let event = refund.refundEvent(adjustment.event, recorded: recorded) else { return nil }
        try db.execute(
            sql: """
                INSERT INTO refund_totals (source, key, currency, total) VALUES (?, ?, ?, ?)
                ON CONFLICT (source, key) DO UPDATE SET currency = excluded.currency, total = excluded.total
                """,
            arguments: [source, refund.key, refund.recorded.currency, refund.recorded.amount])
        return event
    }
}
