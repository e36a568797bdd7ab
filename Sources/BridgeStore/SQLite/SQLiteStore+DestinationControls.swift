import BridgeCore
import GRDB

extension SQLiteStore: DestinationControlStore {
    public func requestResume(destination: String, at: Timestamp) async throws(StoreError) {
        do {
            try await pool.write { db in
                try db.execute(
                    sql: """
                        INSERT INTO destination_resume_requests (destination, requested_at_ms) VALUES (?, ?)
                        ON CONFLICT (destination) DO UPDATE SET requested_at_ms = MAX(requested_at_ms, excluded.requested_at_ms)
                        """,
                    arguments: [destination, at.millisecondsSinceEpoch])
            }
        } catch {
            throw StoreError.wrapping(error)
        }
    }

    public func resumeRequests() async throws(StoreError) -> [String: Timestamp] {
        do {
            return try await pool.read { db in
                var requests: [String: Timestamp] = [:]
                for row in try Row.fetchAll(db, sql: "SELECT destination, requested_at_ms FROM destination_resume_requests") {
                    requests[row["destination"]] = Timestamp(millisecondsSinceEpoch: row["requested_at_ms"])
                }
                return requests
            }
        } catch {
            throw StoreError.wrapping(error)
        }
    }

    public func publishDestinationStatus(_ statuses: [DestinationStatus], instance: String, forgetBefore: Timestamp) async throws(StoreError) {
        do {
            try await pool.write { db in
                try db.execute(sql: "DELETE FROM destination_status WHERE instance = ? OR reported_at_ms < ?", arguments: [instance, forgetBefore.millisecondsSinceEpoch])
                for status in statuses {
                    try db.execute(
                        sql: "INSERT INTO destination_status (instance, destination, state, detail, reported_at_ms) VALUES (?, ?, ?, ?, ?)",
                        arguments: [instance, status.destination, status.state, status.detail, status.reportedAt.millisecondsSinceEpoch])
                }
            }
        } catch {
            throw StoreError.wrapping(error)
        }
    }

    public func destinationStatuses() async throws(StoreError) -> [DestinationStatus] {
        do {
            return try await pool.read { db in
                try Row.fetchAll(db, sql: "SELECT * FROM destination_status ORDER BY destination, instance").map { row in
                    DestinationStatus(
                        instance: row["instance"], destination: row["destination"], state: row["state"], detail: row["detail"],
                        reportedAt: Timestamp(millisecondsSinceEpoch: row["reported_at_ms"]))
                }
            }
        } catch {
            throw StoreError.wrapping(error)
        }
    }
}
