import GRDB

extension SQLiteStore {
    /// One line of `deliverySummary()`.
    public struct SummaryRow: Sendable, Equatable {
        public let destination: String
        public let state: String
        public let reason: String
        public let count: Int
    }

    /// Deliveries grouped by destination, state and the reason that applies.
    public func deliverySummary() async throws -> [SummaryRow] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT destination, state,
                        CASE state WHEN 'suppressed' THEN 'consent: ' || consent_reason
                                   WHEN 'skipped' THEN COALESCE(skip_reason, '')
                                   WHEN 'dead' THEN COALESCE(dead_code, '')
                                   ELSE consent_action || ': ' || consent_reason END AS reason,
                        COUNT(*) AS n
                    FROM deliveries GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
                    """
            ).map { SummaryRow(destination: $0["destination"], state: $0["state"], reason: $0["reason"], count: $0["n"]) }
        }
    }
}

extension SQLiteStore {
    /// Received → acknowledged time of every delivered delivery, in
    /// milliseconds, sorted (benchmarks and tests).
    public func deliveryLatencyMilliseconds() async throws -> [Int64] {
        try await pool.read { db in
            try Int64.fetchAll(
                db, sql: "SELECT delivered_at_ms - received_at_ms AS ms FROM deliveries WHERE state = 'delivered' ORDER BY ms")
        }
    }

    /// Received → acknowledged per destination, in milliseconds, sorted (benchmarks).
    public func deliveryLatencyMillisecondsByDestination() async throws -> [String: [Int64]] {
        try await pool.read { db in
            var latencies: [String: [Int64]] = [:]
            let rows = try Row.fetchAll(
                db,
                sql: "SELECT destination, delivered_at_ms - received_at_ms AS ms FROM deliveries WHERE state = 'delivered' ORDER BY destination, ms")
            for row in rows { latencies[row["destination"] as String, default: []].append(row["ms"] as Int64) }
            return latencies
        }
    }
}
