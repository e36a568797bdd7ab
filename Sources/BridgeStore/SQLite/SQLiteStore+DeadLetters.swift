import BridgeCore
import Foundation
import GRDB

extension SQLiteStore {
    /// `WHERE` clause and arguments selecting dead letters by `filter`.
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

    public func deadLetters(_ filter: DeadLetterFilter, limit: Int) async throws(StoreError) -> [DeadLetter] {
        let (whereClause, arguments) = SQLiteStore.deadLetterWhere(filter)
        do {
            return try await pool.read { db in
                var all = arguments
                all += [limit]
                return try Row.fetchAll(db, sql: "SELECT * FROM deliveries WHERE \(whereClause) ORDER BY dead_at_ms DESC, id DESC LIMIT ?", arguments: all)
                    .map { row in
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
            }
        } catch {
            throw StoreError.wrapping(error)
        }
    }

    public func replayDeadLetters(_ filter: DeadLetterFilter, now: Timestamp) async throws(StoreError) -> Int {
        let (whereClause, arguments) = SQLiteStore.deadLetterWhere(filter)
        do {
            return try await pool.write { db in
                var all: StatementArguments = [now.millisecondsSinceEpoch]
                all += arguments
                try db.execute(
                    sql: """
                        UPDATE deliveries SET state = 'pending', next_attempt_ms = ?, attempts = 0, first_attempt_ms = NULL,
                            dead_code = NULL, dead_at_ms = NULL, lease_owner = NULL, lease_until_ms = NULL
                        WHERE \(whereClause)
                        """,
                    arguments: all)
                return db.changesCount
            }
        } catch {
            throw StoreError.wrapping(error)
        }
    }

    public func purgeDeadLetters(_ filter: DeadLetterFilter) async throws(StoreError) -> Int {
        let (whereClause, arguments) = SQLiteStore.deadLetterWhere(filter)
        do {
            return try await pool.write { db in
                try db.execute(sql: "DELETE FROM deliveries WHERE \(whereClause)", arguments: arguments)
                return db.changesCount
            }
        } catch {
            throw StoreError.wrapping(error)
        }
    }
}
