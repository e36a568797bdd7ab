import GRDB

extension SQLiteMigrations {
    /// v7: source health, delivery SLOs and one sale's journey.
    static func registerHealth(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v7-health-journey") { db in
            try db.execute(
                sql: """
                    -- How each event arrived: the order it belongs to, the delivery keys of
                    -- the request that stored it (space-separated), and the duplicates seen
                    -- since (count, last time, the last keys, at most 1000 characters).
                    ALTER TABLE events ADD COLUMN order_id TEXT;
                    ALTER TABLE events ADD COLUMN delivery_keys TEXT;
                    ALTER TABLE events ADD COLUMN duplicates_seen INTEGER NOT NULL DEFAULT 0;
                    ALTER TABLE events ADD COLUMN last_duplicate_at_ms INTEGER;
                    ALTER TABLE events ADD COLUMN duplicate_keys TEXT;
                    -- Every attempt of a delivery (DeliveryAttemptLog), the last 4000 characters.
                    ALTER TABLE deliveries ADD COLUMN attempt_log TEXT;
                    -- Counters per 10-second bucket each instance adds to (HealthStore): verified
                    -- requests and signature failures per source, delivery outcomes per
                    -- destination. Keyed by time first: monitors read recent buckets and
                    -- old buckets are deleted from the front.
                    CREATE TABLE health_counts (
                        bucket_ms INTEGER NOT NULL,
                        subject_kind TEXT NOT NULL,
                        subject TEXT NOT NULL,
                        counter TEXT NOT NULL,
                        instance TEXT NOT NULL,
                        value INTEGER NOT NULL,
                        PRIMARY KEY (bucket_ms, subject_kind, subject, counter, instance)
                    ) WITHOUT ROWID;
                    -- The last verified request per source and instance.
                    CREATE TABLE source_last_seen (
                        source TEXT NOT NULL,
                        instance TEXT NOT NULL,
                        last_event_at_ms INTEGER NOT NULL,
                        PRIMARY KEY (source, instance)
                    ) WITHOUT ROWID;
                    -- Sources that posted before this version: their last stored event.
                    INSERT INTO source_last_seen (source, instance, last_event_at_ms)
                    SELECT source, 'before-v7', MAX(received_at_ms) FROM events GROUP BY source;
                    """)
        }
    }
}
