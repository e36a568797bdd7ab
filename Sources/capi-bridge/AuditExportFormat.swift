import ArgumentParser

/// `--format` of `audit export`: one JSON object per line, or CSV with a header.
enum AuditExportFormat: String, CaseIterable, ExpressibleByArgument {
    case jsonl
    case csv
}
