import BridgeCore
import Foundation
import GRDB

extension SQLiteStore: PrivacyStore {
    /// Deletes every event linked to any of `keys` (matching words stored
    /// with a key id and, for rows stored before key rings, without), with
    /// its deliveries, in one transaction. Lookups and deletions go in chunks
    /// of `maxVariables` bound values, so any number of keys and matching
    /// rows stays under SQLite's variable limit.
    public func erase(keys: [ErasureKeys.Key]) async throws(StoreError) -> ErasureResult {
        guard !keys.isEmpty else { return ErasureResult() }
        var words: [String] = []
        for key in keys {
            for word in [SQLiteStore.erasureWord(key), SQLiteStore.erasureWord(ErasureKeys.Key(kind: key.kind, digest: key.digest, keyID: nil))]
            where !words.contains(word) {
                words.append(word)
            }
        }
        let lookupWords = words
        do {
            return try await pool.write { db in
                var sequences = Set<Int64>()
                for chunk in lookupWords.chunked(SQLiteStore.maxVariables) {
                    let matches = Array(repeating: "instr(' ' || erasure_keys || ' ', ?) > 0", count: chunk.count).joined(separator: " OR ")
                    sequences.formUnion(
                        try Int64.fetchAll(
                            db, sql: "SELECT sequence FROM events WHERE erasure_keys IS NOT NULL AND (\(matches))",
                            arguments: StatementArguments(chunk.map { " " + $0 + " " })))
                }
                return try SQLiteStore.deleteEvents(sequences.sorted(), in: db)
            }
        } catch {
            throw StoreError.wrapping(error)
        }
    }

    public func applyRetention(_ policy: RetentionPolicy, now: Timestamp) async throws(StoreError) -> RetentionResult {
        let sealedCutoff = now.advanced(by: .zero - policy.sealedIdentifiers).millisecondsSinceEpoch
        let payloadCutoff = now.advanced(by: .zero - policy.deliveredPayloads).millisecondsSinceEpoch
        do {
            return try await pool.write { db in
                var result = RetentionResult()
                try db.execute(
                    sql: """
                        UPDATE events SET sealed = NULL, client_sealed = NULL
                        WHERE (sealed IS NOT NULL OR client_sealed IS NOT NULL) AND received_at_ms < ?
                        """,
                    arguments: [sealedCutoff])
                result.eventsErased = db.changesCount
                try db.execute(
                    sql: """
                        UPDATE deliveries SET state = 'dead', dead_code = 'expired', dead_at_ms = ?, sealed = NULL,
                            last_error = 'the raw identifiers passed their retention limit before delivery',
                            lease_owner = NULL, lease_until_ms = NULL
                        WHERE state = 'pending' AND received_at_ms < ?
                        """,
                    arguments: [now.millisecondsSinceEpoch, sealedCutoff])
                result.deliveriesExpired = db.changesCount
                try db.execute(
                    sql: "UPDATE deliveries SET sealed = NULL WHERE sealed IS NOT NULL AND state <> 'pending' AND received_at_ms < ?",
                    arguments: [sealedCutoff])
                result.deadLettersErased = db.changesCount
                try db.execute(
                    sql: "UPDATE deliveries SET payload = NULL WHERE state = 'delivered' AND payload IS NOT NULL AND delivered_at_ms < ?",
                    arguments: [payloadCutoff])
                result.payloadsDropped = db.changesCount
                try db.execute(
                    sql: "UPDATE deliveries SET payload = NULL WHERE state = 'dead' AND payload IS NOT NULL AND dead_at_ms < ?",
                    arguments: [payloadCutoff])
                result.deadLetterPayloadsDropped = db.changesCount
                return result
            }
        } catch {
            throw StoreError.wrapping(error)
        }
    }

    public func auditHead() async throws(StoreError) -> AuditChainHead? {
        do {
            return try await pool.read { db in
                try Row.fetchOne(db, sql: "SELECT sequence, hash FROM audit_head WHERE id = 1").map {
                    AuditChainHead(sequence: $0["sequence"], hash: $0["hash"])
                }
            }
        } catch {
            throw StoreError.wrapping(error)
        }
    }

    public func recordAuditHead(_ head: AuditChainHead) async throws(StoreError) {
        do {
            try await pool.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO audit_head (id, sequence, hash) VALUES (1, ?, ?)
                        ON CONFLICT (id) DO UPDATE SET sequence = excluded.sequence, hash = excluded.hash
                        WHERE excluded.sequence > audit_head.sequence
                        """,
                    arguments: [head.sequence, head.hash])
            }
        } catch {
            throw StoreError.wrapping(error)
        }
    }
}
