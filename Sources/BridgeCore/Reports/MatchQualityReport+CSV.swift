extension MatchQualityReport {
    /// The report as CSV (RFC 4180, `\r\n` line ends), one row per
    /// destination, event name (campaign or source, with a breakdown: a
    /// column after `event_name`) and period, then one `total` row per series.
    ///
    /// Fixed columns first; then, for the identifiers, providers and reasons
    /// that occur anywhere in the report: `with_<identifier>` (sent events
    /// carrying it), `enriched_<identifier>` (of those, added by enrichment),
    /// `enriched_by_<provider>_<identifier>`, `suppressed_<reason>`,
    /// `skipped_<reason>`, `dead_<code>`. Counts are exact integers; scores
    /// have two decimals, latencies are milliseconds; empty means not applicable.
    public func csv() -> String {
        var keys = IdentifierSet()
        var providerKeys: [String: IdentifierSet] = [:]
        var suppressed = Set<String>()
        var skipped = Set<String>()
        var dead = Set<String>()
        for item in series {
            for key in item.keys { keys.insert(key) }
            let tally = item.total.tally
            for (provider, counts) in tally.enrichedByProvider {
                for key in IdentifierKey.allCases where counts[key.rawValue] > 0 { providerKeys[provider, default: IdentifierSet()].insert(key) }
            }
            suppressed.formUnion(tally.suppressedByReason.keys)
            skipped.formUnion(tally.skippedByReason.keys)
            dead.formUnion(tally.deadByCode.keys)
        }
        let keyList = Array(keys)
        let providerColumns = providerKeys.keys.sorted().flatMap { provider in Array(providerKeys[provider] ?? IdentifierSet()).map { (provider, $0) } }
        let suppressedReasons = suppressed.sorted()
        let skippedReasons = skipped.sorted()
        let deadCodes = dead.sorted()
        var header: [String] = Self.fixedColumns
        // With a breakdown, its value follows the event name.
        if let breakdown = query.breakdown { header.insert(breakdown.rawValue, at: 2) }
        header += keyList.map { "with_\($0)" }
        header += keyList.map { "enriched_\($0)" }
        header += providerColumns.map { "enriched_by_\($0.0)_\($0.1)" }
        header += suppressedReasons.map { "suppressed_\($0)" }
        header += skippedReasons.map { "skipped_\($0)" }
        header += deadCodes.map { "dead_\($0)" }
        if feedback != nil { header += Self.feedbackColumns }
        var lines = [header.map(Self.csvField).joined(separator: ",")]
        for item in series {
            for line in item.periods + [item.total] {
                let t = line.tally
                var row: [String] = Self.fixedFields(item, line)
                if query.breakdown != nil { row.insert(item.group ?? "", at: 2) }
                row += keyList.map { String(t.coverage($0)) }
                row += keyList.map { String(t.enriched($0)) }
                row += providerColumns.map { String(t.enrichedByProvider[$0.0]?[$0.1.rawValue] ?? 0) }
                row += suppressedReasons.map { String(t.suppressedByReason[$0] ?? 0) }
                row += skippedReasons.map { String(t.skippedByReason[$0] ?? 0) }
                row += deadCodes.map { String(t.deadByCode[$0] ?? 0) }
                if feedback != nil { row += feedbackFields(item, line) }
                lines.append(row.map(Self.csvField).joined(separator: ","))
            }
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    static let fixedColumns: [String] = [
        "destination", "event_name", "platform", "score_model", "period_start", "received", "sent", "sent_limited", "pending",
        "suppressed", "skipped", "dead_lettered", "retried", "score", "score_without_enrichment", "latency_p50_ms",
        "latency_p95_ms", "latency_p99_ms",
    ]

    static func fixedFields(_ item: Series, _ line: Line) -> [String] {
        let t = line.tally
        var row: [String] = [item.destination, item.eventName, item.platform?.rawValue ?? "", item.model?.name ?? ""]
        row.append(line.periodStart?.rfc3339 ?? "total")
        let counts: [Int] = [t.received, t.sent, t.sentLimited, t.pending, t.suppressed, t.skipped, t.deadLettered, t.retried]
        row += counts.map { String($0) }
        row.append(line.score.map { ReportRecommendation.fixed($0, places: 2) } ?? "")
        row.append(line.scoreWithoutEnrichment.map { ReportRecommendation.fixed($0, places: 2) } ?? "")
        let latencies: [Int64?] = [line.latency?.p50, line.latency?.p95, line.latency?.p99]
        row += latencies.map { $0.map { String($0) } ?? "" }
        return row
    }

    /// Quotes a field when it holds a comma, quote or line break; a leading
    /// `=`, `+`, `-` or `@` is prefixed with `'` so spreadsheets do not run it
    /// as a formula (event names come from the merchant's backend).
    static func csvField(_ text: String) -> String {
        var value = text
        if let first = value.first, "=+-@".contains(first), Int64(value) == nil { value = "'" + value }
        guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return value }
        return "\"" + value.replacingAll("\"", with: "\"\"") + "\""
    }
}
