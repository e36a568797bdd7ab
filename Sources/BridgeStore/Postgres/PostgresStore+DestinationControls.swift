import BridgeCore
import PostgresNIO

extension PostgresStore: DestinationControlStore {
    public func requestResume(destination: String, at: Timestamp) async throws(StoreError) {
        do {
            _ = try await client.query(
                """
                INSERT INTO destination_resume_requests (destination, requested_at_ms) VALUES (\(destination), \(at.millisecondsSinceEpoch))
                ON CONFLICT (destination) DO UPDATE
                SET requested_at_ms = GREATEST(destination_resume_requests.requested_at_ms, excluded.requested_at_ms)
                """, logger: logger
            ).collect()
        } catch {
            throw storeError(error)
        }
    }

    public func resumeRequests() async throws(StoreError) -> [String: Timestamp] {
        do {
            var requests: [String: Timestamp] = [:]
            for row in try await client.query("SELECT destination, requested_at_ms FROM destination_resume_requests", logger: logger).collect() {
                let (destination, at) = try row.decode((String, Int64).self)
                requests[destination] = Timestamp(millisecondsSinceEpoch: at)
            }
            return requests
        } catch {
            throw storeError(error)
        }
    }

    public func publishDestinationStatus(_ statuses: [DestinationStatus], instance: String, forgetBefore: Timestamp) async throws(StoreError) {
        let logger = self.logger
        do {
            try await client.withTransaction(logger: logger) { connection in
                try await connection.run(
                    "DELETE FROM destination_status WHERE instance = \(instance) OR reported_at_ms < \(forgetBefore.millisecondsSinceEpoch)",
                    logger: logger)
                for status in statuses {
                    try await connection.run(
                        """
                        INSERT INTO destination_status (instance, destination, state, detail, reported_at_ms)
                        VALUES (\(instance), \(status.destination), \(status.state), \(status.detail), \(status.reportedAt.millisecondsSinceEpoch))
                        """, logger: logger)
                }
            }
        } catch {
            throw storeError(error)
        }
    }

    public func destinationStatuses() async throws(StoreError) -> [DestinationStatus] {
        do {
            return try await client.query(
                "SELECT instance, destination, state, detail, reported_at_ms FROM destination_status ORDER BY destination, instance", logger: logger
            ).collect().map { row in
                let (instance, destination, state, detail, reportedAt) = try row.decode((String, String, String, String?, Int64).self)
                return DestinationStatus(
                    instance: instance, destination: destination, state: state, detail: detail,
                    reportedAt: Timestamp(millisecondsSinceEpoch: reportedAt))
            }
        } catch {
            throw storeError(error)
        }
    }
}
