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
            ])
    ]
}
