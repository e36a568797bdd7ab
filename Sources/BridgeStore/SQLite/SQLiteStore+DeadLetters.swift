import BridgeCore
import Foundation
import GRDB

extension SQLiteStore {
    /// `WHERE` clause and arguments selecting dead letters by `filter`, for
    /// a filter whose id list (if any) fits in one statement.
    static func deadLetterWhere(_ filter: DeadLetterFilter) -> (String, StatementArguments) {
        var clauses = ["state = 'dead'"]
        var arguments = StatementArguments()
        if let ids = filter.ids {
            clauses.append("id IN (\(ids.isEmpty ? "NULL" : Array(repeating: "?", count: ids.count).joined(separator: ",")))")
            arguments += StatementArguments(ids)
        }
        if let destination = filter.destination {
            clauses.append("destination = ?")
            arguments += [destination]
        }
        if let code = filter.code {
            clauses.append("dead_code = ?")
            arguments += [code]
        }
        return (clauses.joined(separator: " AND "), arguments)
    }

    /// `filter` split so that each part's id list fits in one statement
    /// (`maxVariables`); the filter itself when it lists no ids or few.
    static func deadLetterChunks(_ filter: DeadLetterFilter) -> [DeadLetterFilter] {
        guard let ids = filter.ids, ids.count > maxVariables else { return [filter] }
        return Array(Set(ids)).sorted().chunked(maxVariables).map { chunk in
            var part = filter
            part.ids = Array(chunk)
            return part
        }
    }

    public func deadLetters(_ filter: DeadLetterFilter, limit: Int) async throws(StoreError) -> [DeadLetter] {
        do {
            return try await pool.read { db in
                var letters: [DeadLetter] = []
                for part in SQLiteStore.deadLetterChunks(filter) {
                    let (whereClause, arguments) = SQLiteStore.deadLetterWhere(part)
                    var all = arguments
                    all += [limit]
                    letters += try Row.fetchAll(
                        db, sql: "SELECT * FROM deliveries WHERE \(whereClause) ORDER BY dead_at_ms DESC, id DESC LIMIT ?", arguments: all
                    ).map(SQLiteStore.deadLetter(from:))
                }
                // Chunks each hold their newest `limit`: merge them in the same order.
                letters.sort { ($0.deadAt, $0.id) > ($1.deadAt, $1.id) }
                return limit < 0 ? letters : Array(letters.prefix(limit))
            }
        } catch {
            throw StoreError.wrapping(error)
        }
    }

    static func deadLetter(from row: Row) -> DeadLetter {
        let payload: Data? = row["payload"]
        return DeadLetter(
            id: row["id"], destination: row["destination"], source: row["source"], eventID: row["event_id"],
            eventName: row["event_name"], eventTime: Timestamp(millisecondsSinceEpoch: row["event_time_ms"]),
            receivedAt: Timestamp(millisecondsSinceEpoch: row["received_at_ms"]), attempts: row["attempts"],
            code: row["dead_code"] ?? "unknown", message: row["last_error"] ?? "", lastStatus: row["last_status"],
            deadAt: Timestamp(millisecondsSinceEpoch: row["dead_at_ms"] ?? 0),
            consent: "\(row["consent_action"] as String):\(row["consent_reason"] as String)",
            payload: payload.map { Array($0) })
    }

    /// Re-queues matching dead letters that still hold their payload (one
    /// dropped by retention has nothing left to send); returns how many.
    public func replayDeadLetters(_ filter: DeadLetterFilter, now: Timestamp) async throws(StoreError) -> Int {
        do {
            return try await pool.write { db in
                var replayed = 0
                for part in SQLiteStore.deadLetterChunks(filter) {
                    let (whereClause, arguments) = SQLiteStore.deadLetterWhere(part)
                    var all: StatementArguments = [now.millisecondsSinceEpoch]
                    all += arguments
                    try db.execute(
                        sql: """
                            UPDATE deliveries SET state = 'pending', next_attempt_ms = ?, attempts = 0, first_attempt_ms = NULL,
                                dead_code = NULL, dead_at_ms = NULL, lease_owner = NULL, lease_until_ms = NULL
                            WHERE \(whereClause) AND payload IS NOT NULL
                            """,
                        arguments: all)
                    replayed += db.changesCount
                }
                return replayed
            }
        } catch {
            throw StoreError.wrapping(error)
        }
    }

    public func purgeDeadLetters(_ filter: DeadLetterFilter) async throws(StoreError) -> Int {
        do {
            return try await pool.write { db in
                var purged = 0
                for part in SQLiteStore.deadLetterChunks(filter) {
                    let (whereClause, arguments) = SQLiteStore.deadLetterWhere(part)
                    try db.execute(sql: "DELETE FROM deliveries WHERE \(whereClause)", arguments: arguments)
                    purged += db.changesCount
                }
                return purged
            }
        } catch {
            throw StoreError.wrapping(error)
        }
    }
}
