import GRDB

extension SQLiteMigrations {
    /// v3: what erasure, retention and audit verification need.
    static func registerPrivacy(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v3-privacy") { db in
            try db.execute(
                sql: """
                    -- Keyed digests (HMAC with the seal key) of a few normalized
                    -- identifiers per event, so erasure can find a person's
                    -- events without storing the identifiers in clear.
                    CREATE TABLE identity_index (
                        event_sequence INTEGER NOT NULL REFERENCES events (sequence) ON DELETE CASCADE,
                        kind TEXT NOT NULL,
                        digest TEXT NOT NULL,
                        PRIMARY KEY (digest, kind, event_sequence)
                    ) WITHOUT ROWID;
                    CREATE INDEX identity_index_event ON identity_index (event_sequence);
                    -- The head of the audit chain, so truncating the newest
                    -- audit lines is detectable.
                    CREATE TABLE audit_head (
                        id INTEGER PRIMARY KEY CHECK (id = 1),
                        sequence INTEGER NOT NULL,
                        hash TEXT NOT NULL
                    );
                    CREATE INDEX deliveries_delivered ON deliveries (delivered_at_ms) WHERE state = 'delivered';
                    CREATE INDEX events_received ON events (received_at_ms);
                    """)
        }
    }
}
