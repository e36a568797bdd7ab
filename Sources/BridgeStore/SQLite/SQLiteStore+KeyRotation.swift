import BridgeCore
import Foundation
import GRDB

extension SQLiteStore: KeyRotationStore {
    public func countStaleSealed(_ column: SealedColumn, currentHeader: [UInt8]) async throws(StoreError) -> Int {
        let (table, _, blob, _) = column.sql
        do {
            return try await pool.read { db in
                try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM \(table) WHERE \(blob) IS NOT NULL AND substr(\(blob), 1, ?) <> ?",
                    arguments: [currentHeader.count, Data(currentHeader)]) ?? 0
            }
        } catch {
            throw StoreError.wrapping(error)
        }
    }

    public func countStaleErasureKeys(currentKeyID: String) async throws(StoreError) -> Int {
        do {
            return try await pool.read { db in
                // Every word of a row carries the same key id: `kind:id:digest`.
                try Int.fetchOne(
                    db, sql: "SELECT COUNT(*) FROM events WHERE erasure_keys IS NOT NULL AND instr(erasure_keys, ?) = 0",
                    arguments: [":\(currentKeyID):"]) ?? 0
            }
        } catch {
            throw StoreError.wrapping(error)
        }
    }

    public func resealBatch(
        _ column: SealedColumn, currentHeader: [UInt8], after cursor: Int64, limit: Int,
        reseal: @escaping @Sendable (SealedRow) -> ResealedRow?
    ) async throws(StoreError) -> ResealBatch {
        let (table, key, blob, destination) = column.sql
        let body = column == .events ? "body" : "NULL"
        do {
            // One write transaction per batch: SQLite has one writer, so no
            // prepare or delivery commits between the read and the writes;
            // the compare-and-set still guards every row.
            return try await pool.write { db in
                let rows = try Row.fetchAll(
                    db,
                    sql: """
                        SELECT \(key) AS id, source, event_id, \(destination ?? "NULL") AS destination, \(body) AS body, \(blob) AS sealed
                        FROM \(table)
                        WHERE \(key) > ? AND \(blob) IS NOT NULL AND substr(\(blob), 1, ?) <> ?
                        ORDER BY \(key) LIMIT ?
                        """,
                    arguments: [cursor, currentHeader.count, Data(currentHeader), limit])
                let update = try db.cachedStatement(sql: "UPDATE \(table) SET \(blob) = ? WHERE \(key) = ? AND \(blob) = ?")
                let reindex = try db.cachedStatement(sql: "UPDATE events SET erasure_keys = ? WHERE sequence = ?")
                var batch = ResealBatch()
                for row in rows {
                    let sealed: Data = row["sealed"]
                    let body: Data? = row["body"]
                    let stored = SealedRow(
                        id: row["id"], source: row["source"], eventID: row["event_id"], destination: row["destination"],
                        body: body.map { Array($0) }, sealed: Array(sealed))
                    batch.examined += 1
                    batch.lastID = stored.id
                    guard let replacement = reseal(stored) else {
                        batch.unreadable.append(stored.id)
                        continue
                    }
                    try update.execute(arguments: [Data(replacement.sealed), stored.id, sealed])
                    guard db.changesCount == 1 else {
                        batch.changedMeanwhile += 1
                        continue
                    }
                    if column == .events, let keys = replacement.erasureKeys {
                        try reindex.execute(arguments: [SQLiteStore.erasureWords(keys), stored.id])
                    }
                    batch.resealed += 1
                }
                return batch
            }
        } catch {
            throw StoreError.wrapping(error)
        }
    }
}
