import GRDB

/// The SQLite schema, as named, append-only migrations in SQL.
enum SQLiteMigrations {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-outbox") { db in
            // The outbox: one row per conversion event. `body` is the canonical
            // JSON without personal data; `sealed` holds the identifiers,
            // AES-GCM sealed, until the prepare stage erases them.
            try db.execute(
                sql: """
                    CREATE TABLE events (
                        sequence INTEGER PRIMARY KEY AUTOINCREMENT,
                        source TEXT NOT NULL,
                        event_id TEXT NOT NULL,
                        event_name TEXT NOT NULL,
                        event_time_ms INTEGER NOT NULL,
                        received_at_ms INTEGER NOT NULL,
                        is_test INTEGER NOT NULL,
                        body BLOB NOT NULL,
                        sealed BLOB,
                        UNIQUE (source, event_id)
                    );
                    -- Delivery-level idempotency keys (sender delivery ids, body digests).
                    CREATE TABLE delivery_keys (
                        source TEXT NOT NULL,
                        key TEXT NOT NULL,
                        received_at_ms INTEGER NOT NULL,
                        PRIMARY KEY (source, key)
                    ) WITHOUT ROWID;
                    -- Running refund totals (Stripe charge.refunded is cumulative).
                    CREATE TABLE refund_totals (
                        source TEXT NOT NULL,
                        key TEXT NOT NULL,
                        currency TEXT NOT NULL,
                        total TEXT NOT NULL,
                        PRIMARY KEY (source, key)
                    ) WITHOUT ROWID;
                    """)
        }
        migrator.registerMigration("v2-deliveries") { db in
            // Prepare-stage bookkeeping on events, and one delivery row per
            // event and destination. `deliveries.payload` holds only hashed
            // identifiers; the clear fields a platform requires are in
            // `deliveries.sealed`, AES-GCM sealed like `events.sealed`.
            try db.execute(
                sql: """
                    ALTER TABLE events ADD COLUMN prepared_at_ms INTEGER;
                    ALTER TABLE events ADD COLUMN lease_owner TEXT;
                    ALTER TABLE events ADD COLUMN lease_until_ms INTEGER;
                    CREATE INDEX events_unprepared ON events (sequence) WHERE prepared_at_ms IS NULL;
                    CREATE TABLE deliveries (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        event_sequence INTEGER NOT NULL REFERENCES events (sequence) ON DELETE CASCADE,
                        destination TEXT NOT NULL,
                        source TEXT NOT NULL,
                        event_id TEXT NOT NULL,
                        event_name TEXT NOT NULL,
                        event_time_ms INTEGER NOT NULL,
                        received_at_ms INTEGER NOT NULL,
                        prepared_at_ms INTEGER NOT NULL,
                        is_test INTEGER NOT NULL,
                        state TEXT NOT NULL,
                        payload BLOB,
                        sealed BLOB,
                        payload_bytes INTEGER NOT NULL,
                        consent_action TEXT NOT NULL,
                        consent_reason TEXT NOT NULL,
                        skip_reason TEXT,
                        identifiers_mask INTEGER NOT NULL,
                        enriched_mask INTEGER NOT NULL,
                        dropped_mask INTEGER NOT NULL,
                        attempts INTEGER NOT NULL DEFAULT 0,
                        next_attempt_ms INTEGER NOT NULL,
                        lease_owner TEXT,
                        lease_until_ms INTEGER,
                        first_attempt_ms INTEGER,
                        last_attempt_ms INTEGER,
                        last_status INTEGER,
                        last_error TEXT,
                        delivered_at_ms INTEGER,
                        batch_id TEXT,
                        dead_code TEXT,
                        dead_at_ms INTEGER,
                        UNIQUE (event_sequence, destination)
                    );
                    CREATE INDEX deliveries_due ON deliveries (destination, next_attempt_ms, id) WHERE state = 'pending';
                    CREATE INDEX deliveries_dead ON deliveries (destination, dead_at_ms) WHERE state = 'dead';
                    CREATE INDEX deliveries_report ON deliveries (destination, received_at_ms);
                    """)
        }
        registerPrivacy(&migrator)
        registerEnrichment(&migrator)
        registerOperations(&migrator)
        registerHealth(&migrator)
        registerAttribution(&migrator)
        registerReconciliation(&migrator)
        registerTraceContext(&migrator)
        registerFeedback(&migrator)
        registerRollups(&migrator)
        return migrator
    }
}
