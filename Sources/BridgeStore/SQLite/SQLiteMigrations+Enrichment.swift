import GRDB

extension SQLiteMigrations {
    /// v4 and later: enrichment (identity graph, per-provider uplift) and reports.
    static func registerEnrichment(_ migrator: inout DatabaseMigrator) {
    }
}
