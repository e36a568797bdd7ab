import GRDB

extension SQLiteMigrations {
    /// v10: what the platforms report back (`PlatformFeedbackStore`). Rows of
    /// earlier versions stay valid: `deliveries.confirmation` is NULL for
    /// every delivery of a platform that does not confirm later.
    static func registerFeedback(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v10-platform-feedback") { db in
            try db.execute(
                sql: """
                    -- After the platform's 200: awaiting, confirmed, rejected_later, partly_rejected, unconfirmed.
                    ALTER TABLE deliveries ADD COLUMN confirmation TEXT;
                    -- Requests whose asynchronous status is looked up (Data Manager), leased like deliveries.
                    CREATE TABLE confirmations (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        destination TEXT NOT NULL,
                        request_id TEXT NOT NULL,
                        batch_id TEXT NOT NULL,
                        delivery_ids TEXT NOT NULL,
                        event_count INTEGER NOT NULL,
                        state TEXT NOT NULL,
                        sent_at_ms INTEGER NOT NULL,
                        next_poll_ms INTEGER NOT NULL,
                        deadline_ms INTEGER NOT NULL,
                        polls INTEGER NOT NULL DEFAULT 0,
                        lease_owner TEXT,
                        lease_until_ms INTEGER,
                        rejected_count INTEGER NOT NULL DEFAULT 0,
                        reasons TEXT,
                        message TEXT,
                        resolved_at_ms INTEGER
                    );
                    CREATE INDEX confirmations_due ON confirmations (next_poll_ms, id) WHERE state = 'awaiting';
                    CREATE INDEX confirmations_request ON confirmations (destination, request_id);
                    CREATE INDEX confirmations_resolved ON confirmations (destination, resolved_at_ms) WHERE state = 'partly_rejected';
                    -- Diagnostics per day (events_received mismatches, validation messages, rows rejected later).
                    CREATE TABLE delivery_diagnostics (
                        day TEXT NOT NULL,
                        destination TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        code TEXT NOT NULL,
                        count INTEGER NOT NULL,
                        last_detail TEXT NOT NULL,
                        last_at_ms INTEGER NOT NULL,
                        PRIMARY KEY (day, destination, kind, code)
                    ) WITHOUT ROWID;
                    -- The platforms' own quality scores per day and event name.
                    CREATE TABLE platform_scores (
                        day TEXT NOT NULL,
                        destination TEXT NOT NULL,
                        event_name TEXT NOT NULL,
                        availability TEXT NOT NULL,
                        score REAL,
                        status TEXT,
                        match_keys TEXT NOT NULL,
                        recommendations TEXT NOT NULL,
                        detail TEXT,
                        fetched_at_ms INTEGER NOT NULL,
                        PRIMARY KEY (day, destination, event_name)
                    ) WITHOUT ROWID;
                    """)
        }
    }
}
