extension PostgresMigrations {
    /// v5: operators' controls shared by instances (see `DestinationControlStore`).
    static let operations: [Migration] = [
        Migration(
            name: "v5-destination-controls",
            statements: [
                """
                CREATE TABLE destination_resume_requests (
                    destination TEXT PRIMARY KEY,
                    requested_at_ms BIGINT NOT NULL
                )
                """,
                """
                CREATE TABLE destination_status (
                    instance TEXT NOT NULL,
                    destination TEXT NOT NULL,
                    state TEXT NOT NULL,
                    detail TEXT,
                    reported_at_ms BIGINT NOT NULL,
                    PRIMARY KEY (instance, destination)
                )
                """,
            ]),
        Migration(
            name: "v6-typed-deliveries",
            statements: [
                // The event's browser context, sealed once at prepare time and shared by its
                // deliveries (which now store typed records); erased when none can be sent any more.
                "ALTER TABLE events ADD COLUMN client_sealed BYTEA"
            ]),
    ]
}
