import GRDB

extension SQLiteMigrations {
    /// v9: the W3C trace context each event was received with (or that
    /// ingest started), as its `traceparent` header value. NULL for rows
    /// stored before, which are prepared and delivered as before, without one.
    static func registerTraceContext(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v9-trace-context") { db in
            try db.execute(sql: "ALTER TABLE events ADD COLUMN trace_parent TEXT")
        }
    }
}
