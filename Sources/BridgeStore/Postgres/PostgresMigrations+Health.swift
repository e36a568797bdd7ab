extension PostgresMigrations {
    /// v7: source health, delivery SLOs and one sale's journey (as `SQLiteMigrations.registerHealth`).
    static let health: [Migration] = [
        Migration(
            name: "v7-health-journey",
            statements: [
                // How each event arrived: its order, the delivery keys of the request that
                // stored it, and the duplicates seen since (count, last time, last keys).
                "ALTER TABLE events ADD COLUMN order_id TEXT",
                "ALTER TABLE events ADD COLUMN delivery_keys TEXT",
                "ALTER TABLE events ADD COLUMN duplicates_seen BIGINT NOT NULL DEFAULT 0",
                "ALTER TABLE events ADD COLUMN last_duplicate_at_ms BIGINT",
                "ALTER TABLE events ADD COLUMN duplicate_keys TEXT",
                // Every attempt of a delivery (DeliveryAttemptLog), the last 4000 characters.
                "ALTER TABLE deliveries ADD COLUMN attempt_log TEXT",
                // Counters per 10-second bucket each instance adds to (HealthStore); one row per
                // instance, so instances never wait for each other's rows.
                """
                CREATE TABLE health_counts (
                    bucket_ms BIGINT NOT NULL,
                    subject_kind TEXT NOT NULL,
                    subject TEXT NOT NULL,
                    counter TEXT NOT NULL,
                    instance TEXT NOT NULL,
                    value BIGINT NOT NULL,
                    PRIMARY KEY (bucket_ms, subject_kind, subject, counter, instance)
                )
                """,
                // The last verified request per source and instance.
                """
                CREATE TABLE source_last_seen (
                    source TEXT NOT NULL,
                    instance TEXT NOT NULL,
                    last_event_at_ms BIGINT NOT NULL,
                    PRIMARY KEY (source, instance)
                )
                """,
                // Sources that posted before this version: their last stored event.
                """
                INSERT INTO source_last_seen (source, instance, last_event_at_ms)
                SELECT source, 'before-v7', MAX(received_at_ms) FROM events GROUP BY source
                """,
            ]),
    ]
}
