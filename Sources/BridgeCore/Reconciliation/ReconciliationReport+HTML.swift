/// The report as one self-contained HTML page (no scripts, no external
/// resources), for the console and for mailing to an auditor.
extension ReconciliationReport {
    public func html() -> String {
        let e = MatchQualityReport.escape
        var body = "<header><h1>Reconciliation: \(e(source))</h1>"
        body += "<p class=\"meta\">\(e(sourceKind)) · \(e(window.since.rfc3339)) to \(e(window.until.rfc3339)) · generated \(e(generatedAt.rfc3339))</p></header>"
        body += "<section><div class=\"kpis\">"
        body += Self.kpi("Orders", totals.orders, tone: "")
        for category in ReconciliationCategory.allCases {
            let tone = category == .delivered ? "good" : (category == .erased ? "" : (totals[category].count > 0 ? "bad" : ""))
            body += Self.kpi(category.title, totals[category], tone: tone)
        }
        body += Self.kpi("Events without an order", totals.eventsWithoutOrder, tone: totals.eventsWithoutOrder.count > 0 ? "warn" : "")
        body += Self.kpi("Backfilled", totals.backfilled, tone: "")
        body += "</div></section>"
        if !destinations.isEmpty {
            body += "<section><h2>Per destination</h2><table><tr><th>destination</th>"
            body += ReconciliationOutcome.allCases.map { "<th>\(e($0.rawValue))</th>" }.joined() + "<th>reasons</th></tr>"
            for name in destinations {
                let entry = totals.destinations[name] ?? DestinationTotals()
                body += "<tr><td>\(e(name))</td>" + ReconciliationOutcome.allCases.map { "<td class=\"n\">\(entry[$0].count)</td>" }.joined()
                let reasons = ReconciliationOutcome.allCases.flatMap { outcome in
                    (entry.reasons[outcome] ?? [:]).sorted { $0.key < $1.key }.map { "\(outcome.rawValue): \($0.key) \($0.value)" }
                }
                body += "<td>\(e(reasons.joined(separator: "; ")))</td></tr>"
            }
            body += "</table></section>"
        }
        if !lines.isEmpty {
            body += "<section><h2>Orders needing attention</h2><table><tr><th>order</th><th>event id</th><th>paid at</th><th>value</th><th>category</th><th>details</th></tr>"
            for line in lines {
                body += "<tr><td>\(e(line.orderID))\(line.isTest ? " <span class=\"badge\">test</span>" : "")</td><td>\(e(line.eventID ?? "-"))</td>"
                body += "<td>\(e(line.paidAt.rfc3339))</td><td class=\"n\">\(e(Self.money(line.value)))</td>"
                body += "<td>\(e(line.category.rawValue))\(line.backfilled ? " <span class=\"badge\">backfilled</span>" : "")</td><td>\(e(Self.details(line)))</td></tr>"
            }
            body += "</table>" + (linesOmitted > 0 ? "<p class=\"meta\">… and \(linesOmitted) more</p>" : "") + "</section>"
        }
        if !unmatchedEvents.isEmpty {
            body += "<section><h2>Events without an order</h2><table><tr><th>event id</th><th>order</th><th>event time</th><th>value</th></tr>"
            for event in unmatchedEvents {
                body += "<tr><td>\(e(event.eventID))</td><td>\(e(event.orderID ?? "-"))</td><td>\(e(event.eventTime.rfc3339))</td><td class=\"n\">\(e(Self.money(event.value)))</td></tr>"
            }
            body += "</table>" + (unmatchedOmitted > 0 ? "<p class=\"meta\">… and \(unmatchedOmitted) more</p>" : "") + "</section>"
        }
        if !unreadableOrders.isEmpty {
            body += "<section><h2>Orders that could not be read</h2><ul>"
            for failure in unreadableOrders { body += "<li>order \(e(failure.orderID)): \(e(failure.reason))</li>" }
            body += "</ul></section>"
        }
        if let backfill {
            body += "<section><h2>Backfill</h2><p>\(backfill.stored.count) stored through the ingest path, \(backfill.duplicates.count) already there, \(backfill.failed.count) failed.</p><ul>"
            for (destination, count) in backfill.tooOld.sorted(by: { $0.key < $1.key }) where count > 0 {
                body += "<li>\(e(destination)): \(count) older than the platform accepts (dead-lettered as event_too_old)</li>"
            }
            for failure in backfill.failed { body += "<li>order \(e(failure.orderID)): \(e(failure.reason))</li>" }
            body += "</ul></section>"
        }
        return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Reconciliation: \(e(source))</title><style>\(Self.css)</style></head><body><main>\(body)</main></body></html>\n"
    }

    static func kpi(_ title: String, _ tally: ValueTally, tone: String) -> String {
        let e = MatchQualityReport.escape
        return "<div class=\"kpi \(tone)\"><div class=\"label\">\(e(title))</div><div class=\"value\">\(tally.count)</div><div class=\"sub\">\(e(tally.valueText))</div></div>"
    }

    static let css = """
        body{margin:0;background:#f5f7f9;color:#1d2731;font:14px/1.45 -apple-system,"Segoe UI",Roboto,"DejaVu Sans",Arial,sans-serif}
        main{max-width:1240px;margin:0 auto;padding:20px 28px 40px}h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:0 0 8px}
        .meta{color:#56616c;margin:0 0 8px}section{background:#fff;border:1px solid #dde3e9;border-radius:8px;padding:16px 20px;margin:16px 0}
        .kpis{display:flex;flex-wrap:wrap;gap:10px}.kpi{border:1px solid #dde3e9;border-radius:8px;padding:8px 12px;min-width:150px}
        .kpi .label{color:#56616c;font-size:12px}.kpi .value{font-size:22px;font-weight:600}.kpi .sub{color:#56616c;font-size:12px}
        .kpi.good{border-color:#8fc79a}.kpi.bad{border-color:#e08080;background:#fff5f5}.kpi.warn{border-color:#f0a030;background:#fff7e6}
        table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #eef1f4;vertical-align:top}
        td.n{text-align:right;font-variant-numeric:tabular-nums}.badge{display:inline-block;background:#eef1f4;border-radius:10px;padding:0 6px;font-size:11px;color:#56616c}
        """
}
