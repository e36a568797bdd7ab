/// Names of the audit log's day files: `audit-YYYY-MM-DD.jsonl`, by the UTC
/// day of the entry's `completedAt`. Names sort in chronological order.
public enum AuditFileName {
    /// The file name for entries completed at `timestamp`.
    public static func name(for timestamp: Timestamp) -> String {
        "audit-" + String(timestamp.rfc3339.prefix(10)) + ".jsonl"
    }

    /// The start (00:00 UTC) of the day a file name stands for, or `nil` when
    /// the name does not follow the rule.
    public static func day(ofFileNamed name: String) -> Timestamp? {
        guard name.hasPrefix("audit-"), name.hasSuffix(".jsonl") else { return nil }
        let date = name.dropFirst("audit-".count).dropLast(".jsonl".count)
        guard date.count == 10, let start = Timestamp(rfc3339: date + "T00:00:00Z") else { return nil }
        return start
    }

    /// The audit files among `names`, oldest first; other names are dropped.
    public static func ordered(_ names: [String]) -> [String] {
        names.compactMap { name in day(ofFileNamed: name).map { (name, $0) } }
            .sorted { $0.1 < $1.1 }
            .map(\.0)
    }
}
