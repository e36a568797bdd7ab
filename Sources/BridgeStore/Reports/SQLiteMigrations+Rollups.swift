import GRDB

extension SQLiteMigrations {
    /// v11: the hourly rollup of the deliveries behind the reports
    /// (`DeliveryRollupSQL`): delta rows appended by triggers, folded into
    /// cells by `compactReportRollups`. The existing deliveries are counted
    /// as deltas here, so a populated store reports the same numbers at once
    /// (and faster once they are folded). Two partial indexes serve the
    /// Overview's queue and confirmation counts.
    static func registerRollups(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v11-delivery-rollups") { db in
            let sql = DeliveryRollupSQL.self
            try db.execute(
                sql: """
                    -- Append-only and short-lived (folded every few seconds): a plain rowid
                    -- (no AUTOINCREMENT bookkeeping) and no index, to keep each outcome's
                    -- commit cheap; reads scan what is left.
                    CREATE TABLE delivery_rollup_deltas (
                        id INTEGER PRIMARY KEY,
                        n INTEGER NOT NULL,
                        is_test INTEGER NOT NULL,
                        destination TEXT NOT NULL,
                        event_name TEXT NOT NULL,
                        received_at_ms INTEGER NOT NULL,
                        state TEXT NOT NULL,
                        consent_action TEXT NOT NULL,
                        reason TEXT,
                        attempts INTEGER NOT NULL,
                        identifiers_mask INTEGER NOT NULL,
                        enriched_mask INTEGER NOT NULL,
                        enriched_by TEXT,
                        delivered_at_ms INTEGER,
                        source TEXT NOT NULL,
                        campaign TEXT
                    );
                    CREATE TABLE delivery_rollup_cells (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        hour_ms INTEGER NOT NULL,
                        destination TEXT NOT NULL,
                        event_name TEXT NOT NULL,
                        source TEXT NOT NULL,
                        campaign TEXT,
                        is_test INTEGER NOT NULL,
                        cell BLOB NOT NULL
                    );
                    CREATE INDEX delivery_rollup_cells_hour ON delivery_rollup_cells (hour_ms, destination, event_name, source);
                    -- The Overview's other numbers without a scan: queue counts and the
                    -- oldest pending receipt (queueStats), confirmation counts.
                    CREATE INDEX deliveries_queue ON deliveries (destination, state, received_at_ms) WHERE state IN ('pending', 'dead');
                    CREATE INDEX deliveries_confirmation ON deliveries (received_at_ms, destination, state, confirmation)
                        WHERE confirmation IS NOT NULL;
                    CREATE TRIGGER deliveries_rollup_insert AFTER INSERT ON deliveries BEGIN
                        INSERT INTO delivery_rollup_deltas (\(sql.deltaColumns)) VALUES (\(sql.deltaValues("NEW.", n: 1)));
                    END;
                    CREATE TRIGGER deliveries_rollup_delete AFTER DELETE ON deliveries BEGIN
                        INSERT INTO delivery_rollup_deltas (\(sql.deltaColumns)) VALUES (\(sql.deltaValues("OLD.", n: -1)));
                    END;
                    CREATE TRIGGER deliveries_rollup_update AFTER UPDATE OF \(sql.countedColumns) ON deliveries
                    WHEN \(sql.changed(distinct: "IS NOT")) BEGIN
                        INSERT INTO delivery_rollup_deltas (\(sql.deltaColumns)) VALUES (\(sql.deltaValues("OLD.", n: -1)));
                        INSERT INTO delivery_rollup_deltas (\(sql.deltaColumns)) VALUES (\(sql.deltaValues("NEW.", n: 1)));
                    END;
                    INSERT INTO delivery_rollup_deltas (\(sql.deltaColumns))
                    SELECT \(sql.deltaValues("", n: 1)) FROM deliveries ORDER BY received_at_ms;
                    """)
        }
    }
}
