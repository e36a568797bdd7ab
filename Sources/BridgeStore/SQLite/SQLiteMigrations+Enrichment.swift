import GRDB

extension SQLiteMigrations {
    /// v4 and later: enrichment (identity graph, per-provider uplift) and reports.
    static func registerEnrichment(_ migrator: inout DatabaseMigrator) {
        migrator.registerMigration("v4-enrichment-reports") { db in
            try db.execute(
                sql: """
                    -- Which enrichment provider added which identifiers to a
                    -- delivery: "name=mask;name=mask" (EnrichmentAttribution),
                    -- NULL when enrichment added nothing.
                    ALTER TABLE deliveries ADD COLUMN enriched_by TEXT;
                    -- The match-quality report reads every delivery of a time
                    -- window: this index holds every column it reads, so the
                    -- report scans ~100 bytes per delivery instead of whole
                    -- rows with their payloads, for any destination filter.
                    -- It replaces deliveries_report (destination, received_at_ms),
                    -- which nothing else used.
                    DROP INDEX IF EXISTS deliveries_report;
                    CREATE INDEX deliveries_report_scan ON deliveries (
                        received_at_ms, destination, event_name, is_test, state, consent_action, consent_reason, skip_reason,
                        dead_code, attempts, identifiers_mask, enriched_mask, enriched_by, delivered_at_ms);
                    -- The identity graph, digests only (docs/enrichment.md).
                    -- Link keys: SHA-256 of the Meta-normalized email, phone
                    -- and external id, and of click and browser ids; each
                    -- belongs to one person.
                    CREATE TABLE identity_keys (
                        digest TEXT NOT NULL,
                        kind TEXT NOT NULL,
                        person INTEGER NOT NULL,
                        seen_at_ms INTEGER NOT NULL,
                        PRIMARY KEY (digest, kind)
                    ) WITHOUT ROWID;
                    CREATE INDEX identity_keys_person ON identity_keys (person);
                    -- What the graph can fill: per person, each customer field
                    -- as each configured platform hashes it ("email@meta").
                    CREATE TABLE identity_attributes (
                        person INTEGER NOT NULL,
                        kind TEXT NOT NULL,
                        digest TEXT NOT NULL,
                        seen_at_ms INTEGER NOT NULL,
                        PRIMARY KEY (person, kind)
                    ) WITHOUT ROWID;
                    CREATE INDEX identity_attributes_digest ON identity_attributes (digest);
                    """)
        }
    }
}
