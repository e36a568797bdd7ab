import GRDB

extension SQLiteMigrations {
    /// v5: operators' controls shared by instances (see `DestinationControlStore`);
    /// v6: typed deliveries and the event's shared, sealed browser context.
    static func registerOperations(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v5-destination-controls") { db in
            try db.execute(
                sql: """
                    CREATE TABLE destination_resume_requests (
                        destination TEXT PRIMARY KEY,
                        requested_at_ms INTEGER NOT NULL
                    );
                    CREATE TABLE destination_status (
                        instance TEXT NOT NULL,
                        destination TEXT NOT NULL,
                        state TEXT NOT NULL,
                        detail TEXT,
                        reported_at_ms INTEGER NOT NULL,
                        PRIMARY KEY (instance, destination)
                    );
                    """)
        }
        migrator.registerMigration("v6-typed-deliveries") { db in
            try db.execute(
                sql: """
                    -- The event's browser context (IP address, user agent, landing URL,
                    -- click and analytics ids), sealed once at prepare time and shared
                    -- by its deliveries (which now store typed records, not the
                    -- platform's JSON); erased when none of them can be sent any more.
                    ALTER TABLE events ADD COLUMN client_sealed BLOB;
                    """)
        }
    }
}
