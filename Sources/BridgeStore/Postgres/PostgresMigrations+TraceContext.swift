extension PostgresMigrations {
    /// v9: the W3C trace context of each event (see SQLite's v9); NULL for
    /// rows stored before.
    static let traceContext: [Migration] = [
        Migration(name: "v9-trace-context", statements: ["ALTER TABLE events ADD COLUMN trace_parent TEXT"])
    ]
}
