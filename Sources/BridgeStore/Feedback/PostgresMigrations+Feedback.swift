extension PostgresMigrations {
    /// v10: what the platforms report back (as `SQLiteMigrations.registerFeedback`).
    static let feedback: [Migration] = [
        Migration(
            name: "v10-platform-feedback",
            statements: [
                "ALTER TABLE deliveries ADD COLUMN confirmation TEXT",
                """
                CREATE TABLE confirmations (
                    id BIGSERIAL PRIMARY KEY,
                    destination TEXT NOT NULL,
                    request_id TEXT NOT NULL,
                    batch_id TEXT NOT NULL,
                    delivery_ids TEXT NOT NULL,
                    event_count BIGINT NOT NULL,
                    state TEXT NOT NULL,
                    sent_at_ms BIGINT NOT NULL,
                    next_poll_ms BIGINT NOT NULL,
                    deadline_ms BIGINT NOT NULL,
                    polls BIGINT NOT NULL DEFAULT 0,
                    lease_owner TEXT,
                    lease_until_ms BIGINT,
                    rejected_count BIGINT NOT NULL DEFAULT 0,
                    reasons TEXT,
                    message TEXT,
                    resolved_at_ms BIGINT
                )
                """,
                "CREATE INDEX confirmations_due ON confirmations (next_poll_ms, id) WHERE state = 'awaiting'",
                "CREATE INDEX confirmations_request ON confirmations (destination, request_id)",
                "CREATE INDEX confirmations_resolved ON confirmations (destination, resolved_at_ms) WHERE state = 'partly_rejected'",
                """
                CREATE TABLE delivery_diagnostics (
                    day TEXT NOT NULL,
                    destination TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    code TEXT NOT NULL,
                    count BIGINT NOT NULL,
                    last_detail TEXT NOT NULL,
                    last_at_ms BIGINT NOT NULL,
                    PRIMARY KEY (day, destination, kind, code)
                )
                """,
                """
                CREATE TABLE platform_scores (
                    day TEXT NOT NULL,
                    destination TEXT NOT NULL,
                    event_name TEXT NOT NULL,
                    availability TEXT NOT NULL,
                    score DOUBLE PRECISION,
                    status TEXT,
                    match_keys TEXT NOT NULL,
                    recommendations TEXT NOT NULL,
                    detail TEXT,
                    fetched_at_ms BIGINT NOT NULL,
                    PRIMARY KEY (day, destination, event_name)
                )
                """,
            ]),
    ]
}
