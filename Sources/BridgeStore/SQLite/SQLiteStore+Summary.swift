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
