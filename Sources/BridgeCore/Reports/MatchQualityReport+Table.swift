extension MatchQualityReport {
    /// The report as fixed-width text for a terminal (at most ~100 columns).
    public func table() -> String {
        var out: [String] = []
        out.append("capi-bridge match-quality report")
        out.append("window     \(query.since.rfc3339) .. \(query.until.rfc3339) (\(query.period.rawValue) periods, test events \(query.includeTest ? "included" : "excluded"))")
        if let destination = query.destination { out.append("destination \(destination)") }
        if let eventName = query.eventName { out.append("event name \(eventName)") }
        if let source = query.source { out.append("source     \(source)") }
        if let breakdown = query.breakdown { out.append("by         \(breakdown.rawValue)") }
        out.append("generated  \(generatedAt.rfc3339)")
        out.append(Self.wrap(Self.estimateNote, width: 96).joined(separator: "\n"))
        if series.isEmpty { out.append("\nNo deliveries in this window.") }
        for item in series { out.append(""); out += Self.table(series: item, breakdown: query.breakdown) }
        out += feedbackTable()
        return out.joined(separator: "\n") + "\n"
    }

    static func table(series item: Series, breakdown: ReportBreakdown? = nil) -> [String] {
        let t = item.total.tally
        var out: [String] = []
        let model = item.model.map { ", model \($0.name)" } ?? ""
        out.append("== \(item.title(by: breakdown)) (platform \(item.platform?.rawValue ?? "unknown")\(model))")
        out.append(
            "received \(t.received)  sent \(t.sent) (limited \(t.sentLimited))  pending \(t.pending)  suppressed \(t.suppressed)  "
                + "skipped \(t.skipped)  dead-lettered \(t.deadLettered)  retried \(t.retried)")
        if !t.suppressedByReason.isEmpty { out.append("suppressed by consent: " + reasons(t.suppressedByReason)) }
        if !t.skippedByReason.isEmpty { out.append("skipped: " + reasons(t.skippedByReason)) }
        if !t.deadByCode.isEmpty { out.append("dead-lettered: " + reasons(t.deadByCode)) }
        var summary: [String] = []
        if let score = item.total.score, let without = item.total.scoreWithoutEnrichment {
            summary.append("estimated score \(ReportRecommendation.decimal(score)) / 10 (\(ReportRecommendation.decimal(without)) without enrichment)")
        } else {
            summary.append(item.model == nil ? "no score (not an ad platform with a score model)" : "no score (nothing sent)")
        }
        if let latency = item.total.latency {
            summary.append("latency p50 \(duration(latency.p50))  p95 \(duration(latency.p95))  p99 \(duration(latency.p99))")
        }
        out.append(summary.joined(separator: "   "))
        if !item.keys.isEmpty {
            out.append("")
            out.append(pad("identifier", 16) + lpad("sent with", 10) + lpad("share", 8) + "   added by enrichment")
            for key in item.keys {
                let added = t.enriched(key)
                var enrichment = added == 0 ? "-" : "\(added) (\(ReportRecommendation.percent(item.total.shareOfSent(added))))"
                let providers = item.providers.compactMap { provider -> String? in
                    let n = t.enrichedByProvider[provider]?[key.rawValue] ?? 0
                    return n > 0 ? "\(provider) \(n)" : nil
                }
                if !providers.isEmpty { enrichment += "  " + providers.joined(separator: ", ") }
                out.append(
                    pad(key.description, 16) + lpad(String(t.coverage(key)), 10)
                        + lpad(ReportRecommendation.percent(item.total.shareOfSent(t.coverage(key))), 8) + "   " + enrichment)
            }
        }
        if !item.periods.isEmpty {
            out.append("")
            out.append(
                pad("period (UTC)", 22) + lpad("received", 9) + lpad("sent", 7) + lpad("limited", 8) + lpad("suppr.", 7) + lpad("dead", 6)
                    + lpad("retried", 8) + lpad("score", 7) + lpad("p95", 10))
            for line in item.periods {
                let p = line.tally
                out.append(
                    pad(line.periodStart?.rfc3339 ?? "", 22) + lpad(String(p.received), 9) + lpad(String(p.sent), 7)
                        + lpad(String(p.sentLimited), 8) + lpad(String(p.suppressed), 7) + lpad(String(p.deadLettered), 6)
                        + lpad(String(p.retried), 8) + lpad(line.score.map(ReportRecommendation.decimal) ?? "-", 7)
                        + lpad(line.latency.map { duration($0.p95) } ?? "-", 10))
            }
        }
        if !item.recommendations.isEmpty {
            out.append("")
            out.append("recommendations")
            for (index, recommendation) in item.recommendations.enumerated() {
                let lines = wrap(recommendation.text, width: 92)
                out.append(lpad("\(index + 1).", 3) + " " + (lines.first ?? ""))
                for line in lines.dropFirst() { out.append("    " + line) }
            }
        }
        return out
    }

    /// `reason n, reason n` by count, largest first.
    static func reasons(_ counts: [String: Int]) -> String {
        counts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
    }

    /// `850 ms`, `2.0 s`, `12.5 min`, `1.2 h`.
    public static func duration(_ milliseconds: Int64) -> String {
        let ms = Double(milliseconds)
        if milliseconds < 1000 { return "\(milliseconds) ms" }
        if milliseconds < 60_000 { return ReportRecommendation.decimal(ms / 1000) + " s" }
        if milliseconds < 3_600_000 { return ReportRecommendation.decimal(ms / 60_000) + " min" }
        return ReportRecommendation.decimal(ms / 3_600_000) + " h"
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }

    static func lpad(_ text: String, _ width: Int) -> String {
        text.count >= width ? " " + text : String(repeating: " ", count: width - text.count) + text
    }

    /// Splits `text` into lines of at most `width` characters at spaces.
    static func wrap(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ") {
            if !current.isEmpty, current.count + 1 + word.count > width {
                lines.append(current)
                current = ""
            }
            current += current.isEmpty ? String(word) : " " + word
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }
}
