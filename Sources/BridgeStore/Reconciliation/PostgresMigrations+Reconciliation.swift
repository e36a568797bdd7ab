extension PostgresMigrations {
    /// v9: reconciliation runs, the backfill mark on events, the erased event
    /// ids a backfill must never store again (see `SQLiteMigrations`).
    static let reconciliation: [Migration] = [
        Migration(
            name: "v9-reconciliation",
            statements: [
                """
                CREATE TABLE reconciliation_runs (
                    id TEXT PRIMARY KEY,
                    source TEXT NOT NULL,
                    trigger TEXT NOT NULL,
                    state TEXT NOT NULL,
                    since_ms BIGINT NOT NULL,
                    until_ms BIGINT NOT NULL,
                    backfill BOOLEAN NOT NULL,
                    requested_at_ms BIGINT NOT NULL,
                    started_at_ms BIGINT,
                    finished_at_ms BIGINT,
                    slot_ms BIGINT,
                    owner TEXT,
                    error TEXT,
                    orders INTEGER,
                    missing INTEGER,
                    value_differs INTEGER,
                    undelivered INTEGER,
                    events_without_order INTEGER,
                    backfilled INTEGER,
                    alert_since_ms BIGINT,
                    report BYTEA
                )
                """,
                "CREATE INDEX reconciliation_runs_recent ON reconciliation_runs (requested_at_ms)",
                "CREATE INDEX reconciliation_runs_scheduled ON reconciliation_runs (source, slot_ms) WHERE trigger = 'schedule'",
                "CREATE INDEX reconciliation_runs_queued ON reconciliation_runs (requested_at_ms) WHERE state = 'queued'",
                "ALTER TABLE events ADD COLUMN backfill_run TEXT",
                "CREATE INDEX events_source_time ON events (source, event_time_ms)",
                """
                CREATE TABLE erased_events (
                    source TEXT NOT NULL,
                    event_id TEXT NOT NULL,
                    erased_at_ms BIGINT NOT NULL,
                    PRIMARY KEY (source, event_id)
                )
                """,
                """
                CREATE FUNCTION record_erased_event() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    INSERT INTO erased_events (source, event_id, erased_at_ms)
                    VALUES (OLD.source, OLD.event_id, (extract(epoch FROM clock_timestamp()) * 1000)::bigint)
                    ON CONFLICT DO NOTHING;
                    RETURN OLD;
                END
                $$
                """,
                "CREATE TRIGGER events_erased AFTER DELETE ON events FOR EACH ROW EXECUTE FUNCTION record_erased_event()",
            ])
    ]
}
