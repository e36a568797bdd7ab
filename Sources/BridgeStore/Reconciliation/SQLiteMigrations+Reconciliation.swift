import GRDB

extension SQLiteMigrations {
    /// v9: reconciliation runs, the backfill mark on events, the erased
    /// event ids a backfill must never store again, and the index that
    /// reads a source's events by time.
    static func registerReconciliation(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v9-reconciliation") { db in
            try db.execute(
                sql: """
                    -- One row per reconciliation (CLI, admin API, schedule); `report` is
                    -- its JSON report (ids, times, values, reason codes: no personal data).
                    CREATE TABLE reconciliation_runs (
                        id TEXT PRIMARY KEY,
                        source TEXT NOT NULL,
                        trigger TEXT NOT NULL,
                        state TEXT NOT NULL,
                        since_ms INTEGER NOT NULL,
                        until_ms INTEGER NOT NULL,
                        backfill INTEGER NOT NULL,
                        requested_at_ms INTEGER NOT NULL,
                        started_at_ms INTEGER,
                        finished_at_ms INTEGER,
                        slot_ms INTEGER,
                        owner TEXT,
                        error TEXT,
                        orders INTEGER,
                        missing INTEGER,
                        value_differs INTEGER,
                        undelivered INTEGER,
                        events_without_order INTEGER,
                        backfilled INTEGER,
                        alert_since_ms INTEGER,
                        report BLOB
                    );
                    CREATE INDEX reconciliation_runs_recent ON reconciliation_runs (requested_at_ms);
                    CREATE INDEX reconciliation_runs_scheduled ON reconciliation_runs (source, slot_ms) WHERE trigger = 'schedule';
                    CREATE INDEX reconciliation_runs_queued ON reconciliation_runs (requested_at_ms) WHERE state = 'queued';
                    -- The run whose backfill stored the event (NULL: its webhook did).
                    ALTER TABLE events ADD COLUMN backfill_run TEXT;
                    CREATE INDEX events_source_time ON events (source, event_time_ms);
                    -- Event ids of deleted (erased) events: ids only, no personal data,
                    -- so a reconciliation counts them as expected and a backfill
                    -- never brings an erased person's sale back.
                    CREATE TABLE erased_events (
                        source TEXT NOT NULL,
                        event_id TEXT NOT NULL,
                        erased_at_ms INTEGER NOT NULL,
                        PRIMARY KEY (source, event_id)
                    ) WITHOUT ROWID;
                    CREATE TRIGGER events_erased AFTER DELETE ON events BEGIN
                        INSERT OR IGNORE INTO erased_events (source, event_id, erased_at_ms)
                        VALUES (old.source, old.event_id, CAST(strftime('%s', 'now') AS INTEGER) * 1000);
                    END;
                    """)
        }
    }
}
