extension MatchQualityReport {
    /// The report as one self-contained HTML page: inline CSS and SVG charts,
    /// no scripts and no external assets; laid out for a 1366-pixel laptop
    /// screen and printable.
    public func html() -> String {
        var body = ""
        body += "<header><h1>Match-quality report</h1>"
        body += "<p class=\"meta\">\(Self.escape(query.since.rfc3339)) to \(Self.escape(query.until.rfc3339)) · \(query.period.rawValue) periods · test events \(query.includeTest ? "included" : "excluded")"
        if let destination = query.destination { body += " · destination \(Self.escape(destination))" }
        if let eventName = query.eventName { body += " · event \(Self.escape(eventName))" }
        if let source = query.source { body += " · source \(Self.escape(source))" }
        if let breakdown = query.breakdown { body += " · by \(breakdown.rawValue)" }
        body += " · generated \(Self.escape(generatedAt.rfc3339))</p>"
        body += "<p class=\"note\"><strong>Estimated scores.</strong> \(Self.escape(Self.estimateNote))</p></header>"
        if series.isEmpty { body += "<p>No deliveries in this window.</p>" }
        body += "<nav>" + series.map { "<a href=\"#\(Self.anchor($0))\">\(Self.escape($0.title(by: query.breakdown)))</a>" }.joined(separator: " ") + "</nav>"
        for item in series { body += Self.html(series: item, breakdown: query.breakdown) }
        body += feedbackHTML()
        return """
            <!DOCTYPE html>
            <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>capi-bridge match-quality report</title>
            <style>\(Self.css)</style></head>
            <body><main>\(body)</main></body></html>

            """
    }

    static let css = """
        body{margin:0;background:#f5f7f9;color:#1d2731;font:14px/1.45 -apple-system,"Segoe UI",Roboto,"DejaVu Sans",Arial,sans-serif}
        main{max-width:1240px;margin:0 auto;padding:20px 28px 40px}
        h1{font-size:24px;margin:0 0 4px}h2{font-size:19px;margin:0}h3{font-size:15px;margin:18px 0 6px}
        .meta{color:#56616c;margin:0 0 8px}.note{background:#fff7e6;border-left:4px solid #f0a030;padding:8px 12px;margin:8px 0 12px}
        nav a{display:inline-block;margin:0 10px 6px 0;color:#2f6fb3;text-decoration:none}
        section{background:#fff;border:1px solid #dde3e9;border-radius:8px;padding:16px 20px;margin:16px 0}
        .badge{display:inline-block;background:#eef1f4;border-radius:10px;padding:1px 8px;margin-left:8px;font-size:12px;color:#56616c}
        .kpis{display:flex;flex-wrap:wrap;gap:10px;margin:12px 0}
        .kpi{flex:1 1 120px;border:1px solid #e3e8ed;border-radius:6px;padding:8px 10px}
        .kpi b{display:block;font-size:20px}.kpi span{color:#56616c;font-size:12px}
        .kpi.score{border-color:#2f6fb3}.kpi.score b{color:#2f6fb3;font-size:26px}
        .cols{display:flex;flex-wrap:wrap;gap:24px}.cols>div{flex:1 1 520px;min-width:0}
        table{border-collapse:collapse;width:100%;font-size:13px}th,td{padding:3px 8px;border-bottom:1px solid #eef1f4;text-align:right}
        th:first-child,td:first-child{text-align:left}th{color:#56616c;font-weight:600}
        ol{margin:6px 0 0 0;padding-left:22px}li{margin:4px 0}svg{max-width:100%;height:auto}
        details summary{cursor:pointer;color:#2f6fb3;margin-top:12px}
        @media print{body{background:#fff}section{break-inside:avoid}}
        """

    static func html(series item: Series, breakdown: ReportBreakdown? = nil) -> String {
        let t = item.total.tally
        var out = "<section id=\"\(anchor(item))\"><h2>\(escape(item.title(by: breakdown)))"
        out += "<span class=\"badge\">platform \(escape(item.platform?.rawValue ?? "unknown"))</span>"
        if let model = item.model { out += "<span class=\"badge\">score model \(escape(model.name))</span>" }
        out += "</h2><div class=\"kpis\">"
        if let score = item.total.score, let without = item.total.scoreWithoutEnrichment {
            out += kpi("\(ReportRecommendation.decimal(score)) / 10", "estimated score (\(ReportRecommendation.decimal(without)) without enrichment)", score: true)
        } else {
            out += kpi("n/a", item.model == nil ? "no score model for this destination" : "nothing sent", score: true)
        }
        out += kpi(String(t.received), "received")
        out += kpi(String(t.sent), "sent (\(t.sentLimited) limited)")
        out += kpi(String(t.suppressed), "suppressed by consent")
        out += kpi(String(t.deadLettered), "dead-lettered")
        out += kpi(String(t.retried), "retried")
        if let latency = item.total.latency {
            out += kpi(duration(latency.p95), "latency p95 (p50 \(duration(latency.p50)), p99 \(duration(latency.p99)))")
        }
        out += "</div>"
        if !item.recommendations.isEmpty {
            out += "<h3>Recommendations</h3><ol>" + item.recommendations.map { "<li>\(escape($0.text))</li>" }.joined() + "</ol>"
        }
        out += "<div class=\"cols\"><div><h3>Identifiers carried by sent events</h3>\(ReportCharts.coverage(item))</div>"
        out += "<div><h3>Deliveries per period</h3>\(ReportCharts.periods(item))"
        var reasons: [(String, [String: Int])] = []
        if !t.suppressedByReason.isEmpty { reasons.append(("Suppressed by consent", t.suppressedByReason)) }
        if !t.skippedByReason.isEmpty { reasons.append(("Skipped", t.skippedByReason)) }
        if !t.deadByCode.isEmpty { reasons.append(("Dead-lettered", t.deadByCode)) }
        for (title, counts) in reasons {
            out += "<h3>\(title)</h3><table><tr><th>reason</th><th>events</th></tr>"
            for (reason, count) in counts.sorted(by: { ($0.value, $1.key) > ($1.value, $0.key) }) {
                out += "<tr><td>\(escape(reason))</td><td>\(count)</td></tr>"
            }
            out += "</table>"
        }
        out += "</div></div>"
        if !item.providers.isEmpty {
            out += "<h3>Enrichment uplift by provider</h3><table><tr><th>identifier</th>"
            out += item.providers.map { "<th>\(escape($0))</th>" }.joined() + "<th>total added</th></tr>"
            for key in item.keys where t.enriched(key) > 0 {
                out += "<tr><td>\(key)</td>"
                for provider in item.providers {
                    let n = t.enrichedByProvider[provider]?[key.rawValue] ?? 0
                    out += "<td>\(n)</td>"
                }
                out += "<td>\(t.enriched(key)) (\(ReportRecommendation.percent(item.total.shareOfSent(t.enriched(key)))) of sent)</td></tr>"
            }
            out += "</table>"
        }
        if !item.periods.isEmpty {
            out += "<details><summary>Every period (\(item.periods.count))</summary><table><tr><th>period (UTC)</th><th>received</th><th>sent</th><th>limited</th><th>suppressed</th><th>skipped</th><th>dead</th><th>retried</th><th>score</th><th>p50</th><th>p95</th><th>p99</th></tr>"
            for line in item.periods {
                let p = line.tally
                out += "<tr><td>\(escape(line.periodStart?.rfc3339 ?? ""))</td><td>\(p.received)</td><td>\(p.sent)</td><td>\(p.sentLimited)</td><td>\(p.suppressed)</td><td>\(p.skipped)</td><td>\(p.deadLettered)</td><td>\(p.retried)</td>"
                out += "<td>\(line.score.map(ReportRecommendation.decimal) ?? "-")</td>"
                out += "<td>\(line.latency.map { duration($0.p50) } ?? "-")</td><td>\(line.latency.map { duration($0.p95) } ?? "-")</td><td>\(line.latency.map { duration($0.p99) } ?? "-")</td></tr>"
            }
            out += "</table></details>"
        }
        return out + "</section>"
    }

    static func kpi(_ value: String, _ label: String, score: Bool = false) -> String {
        "<div class=\"kpi\(score ? " score" : "")\"><b>\(escape(value))</b><span>\(escape(label))</span></div>"
    }

    static func anchor(_ series: Series) -> String {
        let raw = "\(series.destination)-\(series.eventName)" + (series.group.map { "-" + $0 } ?? "")
        return "s-" + String(raw.unicodeScalars.map { scalar -> Character in
            let v = scalar.value
            let ok = (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A) || v == 0x2D || v == 0x5F
            return ok ? Character(scalar) : "_"
        })
    }

    /// Escapes text for HTML element content and attribute values.
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for ch in text {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(ch)
            }
        }
        return out
    }
}
