import BridgeCore

extension OverviewModel {
    /// The overview's body: alerts, one table per window, the queue now and the trend chart.
    public var html: HTML {
        let alertList: HTML =
            alerts.isEmpty
            ? "<p class=\"ok\">No alert condition right now.</p>"
            : "<ul>\(alerts.map { alert -> HTML in "<li class=\"bad\">\(alert)</li>" })</ul>"
        let queue = rows.map { row -> HTML in
            """
            <tr><th scope="row">\(row.name)</th><td>\(row.kind)</td><td>\(row.state)</td><td class="num" data-count="pending">\(row.pending)</td>\
            <td class="num" data-count="dead-letters">\(row.deadLetters)</td><td class="num">\(row.oldestPendingAgeSeconds.map(OverviewModel.age) ?? "–")</td></tr>
            """
        }
        let labels = rows.first?.windows.map(\.label) ?? []
        let windows = labels.enumerated().map { index, label -> HTML in
            let lines = rows.map { row -> HTML in
                guard index < row.windows.count else { return "" }
                let window = row.windows[index]
                return """
                    <tr><th scope="row">\(row.name)</th><td class="num" data-count="delivered">\(window.delivered)</td>\
                    <td class="num">\(window.suppressed)\(Self.reasons(window.suppressedByReason))</td>\
                    <td class="num">\(window.skipped)\(Self.reasons(window.skippedByReason))</td>\
                    <td class="num">\(window.pending)</td><td class="num">\(window.deadLettered)</td>\
                    <td class="num">\(window.p95Milliseconds.map { Self.milliseconds($0) } ?? "–")</td></tr>
                    """
            }
            return """
                <div class="scroll"><table data-window="\(label)"><caption>Last \(label), by event receipt</caption>
                <thead><tr><th scope="col">Destination</th><th scope="col" class="num">Delivered</th><th scope="col" class="num">Suppressed by consent</th>\
                <th scope="col" class="num">Skipped</th><th scope="col" class="num">Pending</th><th scope="col" class="num">Dead letters</th>\
                <th scope="col" class="num">End-to-end p95</th></tr></thead>
                <tbody>\(lines)</tbody></table></div>
                """
        }
        return """
            <section aria-labelledby="alerts-title"><h2 id="alerts-title">Alerts</h2>\(alertList)</section>
            <section aria-labelledby="queue-title"><h2 id="queue-title">Queue now</h2>
            <div class="scroll"><table id="queue"><caption>Per destination, as GET /v1/destinations answers</caption>
            <thead><tr><th scope="col">Destination</th><th scope="col">Kind</th><th scope="col">Circuit</th><th scope="col" class="num">Pending</th>\
            <th scope="col" class="num">Dead letters</th><th scope="col" class="num">Oldest undelivered</th></tr></thead>
            <tbody>\(queue)</tbody></table></div></section>
            <section aria-labelledby="windows-title"><h2 id="windows-title">Deliveries</h2>\(windows)</section>
            <section aria-labelledby="trend-title"><h2 id="trend-title">Daily trend (30 days)</h2>\(trendChart)</section>
            """
    }

    /// An inline SVG bar chart with `<title>`/`<desc>` and the same numbers in a table.
    var trendChart: HTML {
        guard !trend.isEmpty else { return "<p class=\"muted\">Nothing delivered in the last 30 days.</p>" }
        let highest = max(1, trend.map(\.delivered).max() ?? 1)
        let width = 24
        let height = 120
        let bars = trend.enumerated().map { index, day -> HTML in
            let barHeight = day.delivered * height / highest
            return """
                <rect class="bar" x="\(index * width + 2)" y="\(height - barHeight + 10)" width="\(width - 4)" height="\(barHeight)"><title>\(Self.day(day.start)): \(day.delivered) delivered</title></rect>
                """
        }
        let rows = trend.map { day -> HTML in "<tr><th scope=\"row\">\(Self.day(day.start))</th><td class=\"num\">\(day.delivered)</td></tr>" }
        let total = trend.reduce(0) { $0 + $1.delivered }
        return """
            <svg class="chart" role="img" aria-labelledby="trend-svg-title trend-svg-desc" width="\(trend.count * width + 4)" height="\(height + 20)" viewBox="0 0 \(trend.count * width + 4) \(height + 20)">
            <title id="trend-svg-title">Events delivered per day</title>
            <desc id="trend-svg-desc">\(trend.count) days from \(Self.day(trend[0].start)) to \(Self.day(trend[trend.count - 1].start)), \(total) delivered in all, at most \(highest) on one day. The table below lists each day.</desc>
            \(bars)</svg>
            <details><summary>Table of the daily trend</summary><table><caption>Delivered per day</caption>
            <thead><tr><th scope="col">Day</th><th scope="col" class="num">Delivered</th></tr></thead><tbody>\(rows)</tbody></table></details>
            """
    }

    static func reasons(_ counts: [String: Int]) -> HTML {
        guard !counts.isEmpty else { return "" }
        let text = counts.keys.sorted().map { "\($0) \(counts[$0] ?? 0)" }.joined(separator: ", ")
        return "<br><span class=\"muted\">\(text)</span>"
    }

    static func milliseconds(_ value: Int64) -> String {
        value < 1000 ? "\(value) ms" : value < 60_000 ? "\(value / 1000).\(value % 1000 / 100) s" : OverviewModel.age(value / 1000)
    }

    static func day(_ start: Timestamp) -> String { String(start.rfc3339.prefix(10)) }
}
