import BridgeCore
import Foundation
import PostgresNIO

extension PostgresStore: KeyRotationStore {
    public func countStaleSealed(_ column: SealedColumn, currentHeader: [UInt8]) async throws(StoreError) -> Int {
        let header = Data(currentHeader)
        let (table, _, blob, _) = column.sql
        do {
            let query: PostgresQuery = try """
                SELECT COUNT(*) FROM \(unescaped: table)
                WHERE \(unescaped: blob) IS NOT NULL AND substring(\(unescaped: blob) FROM 1 FOR \(header.count)::int) <> \(header)
                """
            let rows = try await client.query(query, logger: logger).collect()
            return try rows.first?.decode(Int.self) ?? 0
        } catch {
            throw storeError(error)
        }
    }

    public func countStaleErasureKeys(currentKeyID: String) async throws(StoreError) -> Int {
        do {
            let rows = try await client.query(
                "SELECT COUNT(DISTINCT event_sequence) FROM identity_index WHERE key_id IS DISTINCT FROM \(currentKeyID)", logger: logger
            ).collect()
            return try rows.first?.decode(Int.self) ?? 0
        } catch {
            throw storeError(error)
        }
    }

    /// One batch in one transaction. Rows locked by another transaction
    /// (an instance preparing or delivering them right now) are skipped
    /// (`SKIP LOCKED`) and found again by the next pass.
    public func resealBatch(
        _ column: SealedColumn, currentHeader: [UInt8], after cursor: Int64, limit: Int,
        reseal: @escaping @Sendable (SealedRow) -> ResealedRow?
    ) async throws(StoreError) -> ResealBatch {
        let header = Data(currentHeader)
        let logger = self.logger
        do {
            return try await client.withTransaction(logger: logger) { connection in
                let (table, key, blob, destination) = column.sql
                let body = column == .events ? "body" : "NULL::bytea"
                let query: PostgresQuery = try """
                    SELECT \(unescaped: key), source, event_id, \(unescaped: destination ?? "NULL::text"), \(unescaped: body), \(unescaped: blob)
                    FROM \(unescaped: table)
                    WHERE \(unescaped: key) > \(cursor) AND \(unescaped: blob) IS NOT NULL
                      AND substring(\(unescaped: blob) FROM 1 FOR \(header.count)::int) <> \(header)
                    ORDER BY \(unescaped: key) LIMIT \(limit)
                    FOR UPDATE SKIP LOCKED
                    """
                var batch = ResealBatch()
                for row in try await connection.query(query, logger: logger).collect() {
                    let (id, source, eventID, destination, body, sealed) = try row.decode((Int64, String, String, String?, Data?, Data).self)
                    let stored = SealedRow(
                        id: id, source: source, eventID: eventID, destination: destination, body: body.map { Array($0) }, sealed: Array(sealed))
                    batch.examined += 1
                    batch.lastID = id
                    guard let replacement = reseal(stored) else {
                        batch.unreadable.append(id)
                        continue
                    }
                    let written = try await connection.query(
                        """
                        UPDATE \(unescaped: table) SET \(unescaped: blob) = \(Data(replacement.sealed))
                        WHERE \(unescaped: key) = \(id) AND \(unescaped: blob) = \(sealed) RETURNING \(unescaped: key)
                        """, logger: logger
                    ).collect().count
                    guard written == 1 else {
                        batch.changedMeanwhile += 1
                        continue
                    }
                    if column == .events, let keys = replacement.erasureKeys {
                        try await connection.run("DELETE FROM identity_index WHERE event_sequence = \(id)", logger: logger)
                        if !keys.isEmpty {
                            try await connection.run(
                                """
                                INSERT INTO identity_index (event_sequence, kind, digest, key_id)
                                SELECT \(id), kind, digest, NULLIF(key_id, '')
                                FROM unnest(\(keys.map(\.kind))::text[], \(keys.map(\.digest))::text[], \(keys.map { $0.keyID ?? "" })::text[])
                                    AS key (kind, digest, key_id)
                                ON CONFLICT DO NOTHING
                                """, logger: logger)
                        }
                    }
                    batch.resealed += 1
                }
                return batch
            }
        } catch {
            throw storeError(error)
        }
    }
}
