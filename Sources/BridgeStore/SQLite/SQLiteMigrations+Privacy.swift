import GRDB

extension SQLiteMigrations {
    /// v3: what erasure, retention and audit verification need.
    static func registerPrivacy(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v3-privacy") { db in
            try db.execute(
                sql: """
                    -- Keyed digests (HMAC with a key derived from the seal key) of
                    -- the normalized email, phone and external id, as
                    -- "kind:digest" words, so erasure can find a person's events
                    -- without storing the identifiers in clear. Not indexed:
                    -- erasure is rare and scans; an index on random digests
                    -- would cost every ingest a random page write.
                    ALTER TABLE events ADD COLUMN erasure_keys TEXT;
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
