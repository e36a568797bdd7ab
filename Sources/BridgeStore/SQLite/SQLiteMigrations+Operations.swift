import GRDB

extension SQLiteMigrations {
    /// v5: operators' controls shared by instances (see `DestinationControlStore`).
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
    }
}
