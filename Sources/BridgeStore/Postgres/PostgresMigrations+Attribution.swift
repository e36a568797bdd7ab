extension PostgresMigrations {
    /// v7: the campaign of each delivery's event, and the report's covering
    /// index extended by source and campaign, in SQLite's order (see v4).
    static let attribution: [Migration] = [
        Migration(
            name: "v8-delivery-campaign",
            statements: [
                "ALTER TABLE deliveries ADD COLUMN campaign TEXT",
                "DROP INDEX IF EXISTS deliveries_report_scan",
                """
                CREATE INDEX deliveries_report_scan ON deliveries (
                    received_at_ms, destination COLLATE "C", event_name COLLATE "C", is_test, state COLLATE "C",
                    consent_action COLLATE "C", consent_reason COLLATE "C", skip_reason COLLATE "C" NULLS FIRST,
                    dead_code COLLATE "C" NULLS FIRST, attempts, identifiers_mask, enriched_mask,
                    enriched_by COLLATE "C" NULLS FIRST, delivered_at_ms NULLS FIRST, source COLLATE "C",
                    campaign COLLATE "C" NULLS FIRST)
                """,
            ])
    ]
}
