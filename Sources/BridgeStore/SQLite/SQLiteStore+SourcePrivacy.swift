import BridgeCore
import Foundation
import GRDB

extension SQLiteStore: SourcePrivacyStore {
    public func erase(source: String, matching match: SourceEventMatch) async throws(StoreError) -> ErasureResult {
        guard !match.isEmpty else { return ErasureResult() }
        do {
            return try await pool.write { db in
                try SQLiteStore.deleteEvents(SQLiteStore.sequences(of: source, matching: match, in: db).sorted(), in: db)
            }
        } catch {
            throw StoreError.wrapping(error)
        }
    }

    public func eraseSource(_ source: String) async throws(StoreError) -> SourceHoldings {
        do {
            return try await pool.write { db in
                let sequences = try Int64.fetchAll(db, sql: "SELECT sequence FROM events WHERE source = ? ORDER BY sequence", arguments: [source])
                let holdings = try SQLiteStore.holdings(sequences, in: db)
                try db.execute(sql: "DELETE FROM deliveries WHERE source = ?", arguments: [source])
                try db.execute(sql: "DELETE FROM events WHERE source = ?", arguments: [source])
                try db.execute(sql: "DELETE FROM delivery_keys WHERE source = ?", arguments: [source])
                try db.execute(sql: "DELETE FROM refund_totals WHERE source = ?", arguments: [source])
                return holdings
            }
        } catch {
            throw StoreError.wrapping(error)
        }
    }

    public func holdings(source: String, matching match: SourceEventMatch) async throws(StoreError) -> SourceHoldings {
        guard !match.isEmpty else { return SourceHoldings() }
        do {
            return try await pool.read { db in
                try SQLiteStore.holdings(SQLiteStore.sequences(of: source, matching: match, in: db).sorted(), in: db)
            }
        } catch {
            throw StoreError.wrapping(error)
        }
    }

    /// The events of `source` that `match` finds: by erasure words (stored
    /// with a key id and, for rows stored before key rings, without), exact
    /// event ids and event-id prefixes, in chunks of `maxVariables`.
    static func sequences(of source: String, matching match: SourceEventMatch, in db: Database) throws -> Set<Int64> {
        var words: [String] = []
        for key in match.keys {
            for word in [erasureWord(key), erasureWord(ErasureKeys.Key(kind: key.kind, digest: key.digest, keyID: nil))] where !words.contains(word) {
                words.append(word)
            }
        }
        var sequences = Set<Int64>()
        for chunk in words.chunked(maxVariables - 1) {
            let matches = Array(repeating: "instr(' ' || erasure_keys || ' ', ?) > 0", count: chunk.count).joined(separator: " OR ")
            sequences.formUnion(
                try Int64.fetchAll(
                    db, sql: "SELECT sequence FROM events WHERE source = ? AND erasure_keys IS NOT NULL AND (\(matches))",
                    arguments: StatementArguments([source] + chunk.map { " " + $0 + " " })))
        }
        for chunk in match.eventIDs.chunked(maxVariables - 1) {
            let placeholders = Array(repeating: "?", count: chunk.count).joined(separator: ",")
            sequences.formUnion(
                try Int64.fetchAll(
                    db, sql: "SELECT sequence FROM events WHERE source = ? AND event_id IN (\(placeholders))",
                    arguments: StatementArguments([source] + Array(chunk))))
        }
        for prefix in match.eventIDPrefixes where !prefix.isEmpty {
            // Event ids are printable ASCII: characters and bytes count alike.
            sequences.formUnion(
                try Int64.fetchAll(
                    db, sql: "SELECT sequence FROM events WHERE source = ? AND substr(event_id, 1, ?) = ?",
                    arguments: [source, prefix.utf8.count, prefix]))
        }
        return sequences
    }

    /// What is stored for `sequences` (counts and the first event ids).
    static func holdings(_ sequences: [Int64], in db: Database) throws -> SourceHoldings {
        var holdings = SourceHoldings()
        for chunk in sequences.chunked(maxVariables) {
            let placeholders = Array(repeating: "?", count: chunk.count).joined(separator: ",")
            let arguments = StatementArguments(Array(chunk))
            for row in try Row.fetchAll(
                db, sql: "SELECT event_id, sealed IS NOT NULL OR client_sealed IS NOT NULL FROM events WHERE sequence IN (\(placeholders)) ORDER BY sequence",
                arguments: arguments)
            {
                holdings.events += 1
                if row[1] as Bool { holdings.eventsWithSealedData += 1 }
                if holdings.eventIDs.count < SourceHoldings.eventIDLimit { holdings.eventIDs.append(row[0]) }
            }
            for state in try String.fetchAll(db, sql: "SELECT state FROM deliveries WHERE event_sequence IN (\(placeholders))", arguments: arguments) {
                holdings.countDelivery(state: state)
            }
        }
        return holdings
    }

    /// Deletes the events `sequences` with their deliveries, in chunks of
    /// `maxVariables`, inside the caller's transaction.
    static func deleteEvents(_ sequences: [Int64], in db: Database) throws -> ErasureResult {
        var result = ErasureResult()
        for chunk in sequences.chunked(maxVariables) {
            let placeholders = Array(repeating: "?", count: chunk.count).joined(separator: ",")
            let arguments = StatementArguments(Array(chunk))
            result.eventIDs += try String.fetchAll(
                db, sql: "SELECT event_id FROM events WHERE sequence IN (\(placeholders)) ORDER BY sequence", arguments: arguments)
            let sent = try Int.fetchOne(
                db, sql: "SELECT COUNT(*) FROM deliveries WHERE event_sequence IN (\(placeholders)) AND state = 'delivered'",
                arguments: arguments) ?? 0
            try db.execute(sql: "DELETE FROM deliveries WHERE event_sequence IN (\(placeholders))", arguments: arguments)
            result.sentDeliveries += sent
            result.unsentDeliveries += db.changesCount - sent
            try db.execute(sql: "DELETE FROM events WHERE sequence IN (\(placeholders))", arguments: arguments)
        }
        return result
    }
}
