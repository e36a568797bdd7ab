import GRDB

extension SQLiteMigrations {
    /// v7: the campaign of each delivery's event, and the report's covering
    /// index extended by source and campaign (the report breaks down and
    /// filters by them).
    static func registerAttribution(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v8-delivery-campaign") { db in
            try db.execute(
                sql: """
                    -- The event's utm_campaign (CampaignAttribution), NULL when it has none.
                    ALTER TABLE deliveries ADD COLUMN campaign TEXT;
                    -- The same covering index as v4's, with source and campaign last:
                    -- the rows still come in received time order, and the report
                    -- reads every column it needs from the index.
                    DROP INDEX IF EXISTS deliveries_report_scan;
                    CREATE INDEX deliveries_report_scan ON deliveries (
                        received_at_ms, destination, event_name, is_test, state, consent_action, consent_reason, skip_reason,
                        dead_code, attempts, identifiers_mask, enriched_mask, enriched_by, delivered_at_ms, source, campaign);
                    """)
        }
    }
}
