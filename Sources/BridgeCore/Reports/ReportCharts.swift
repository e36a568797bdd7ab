/// Inline SVG charts for the HTML report: no scripts, no external assets.
enum ReportCharts {
    static let sentColor = "#2f6fb3"
    static let enrichedColor = "#f0a030"
    static let suppressedColor = "#9aa5b1"
    static let deadColor = "#c0392b"
    static let otherColor = "#d5dbe1"

    /// Horizontal bars: per identifier, the share of sent events carrying it
    /// from the backend, and (stacked) the share enrichment added.
    static func coverage(_ series: MatchQualityReport.Series) -> String {
        let line = series.total
        let t = line.tally
        let rowHeight = 22
        let labelWidth = 130
        let barWidth = 420
        let height = series.keys.count * rowHeight + 24
        var svg = svgOpen(width: labelWidth + barWidth + 70, height: height, title: "Identifier coverage of sent events")
        for (index, key) in series.keys.enumerated() {
            let y = index * rowHeight + 4
            let total = line.shareOfSent(t.coverage(key))
            let added = line.shareOfSent(t.enriched(key))
            let own = max(0, total - added)
            let ownWidth = Int((own * Double(barWidth)).rounded())
            let addedWidth = Int((added * Double(barWidth)).rounded())
            svg += text(key.description, x: labelWidth - 8, y: y + 14, anchor: "end")
            svg += "<rect x=\"\(labelWidth)\" y=\"\(y + 2)\" width=\"\(barWidth)\" height=\"15\" fill=\"#eef1f4\"/>"
            svg += "<rect x=\"\(labelWidth)\" y=\"\(y + 2)\" width=\"\(ownWidth)\" height=\"15\" fill=\"\(sentColor)\"/>"
            if addedWidth > 0 {
                svg += "<rect x=\"\(labelWidth + ownWidth)\" y=\"\(y + 2)\" width=\"\(addedWidth)\" height=\"15\" fill=\"\(enrichedColor)\"/>"
            }
            svg += text(ReportRecommendation.percent(total), x: labelWidth + barWidth + 6, y: y + 14, anchor: "start")
        }
        let legendY = series.keys.count * rowHeight + 16
        svg += legend([(sentColor, "sent by the backend"), (enrichedColor, "added by enrichment")], x: labelWidth, y: legendY)
        return svg + "</svg>"
    }

    /// Vertical stacked bars per period: sent, suppressed, dead-lettered and
    /// the rest (pending, skipped), with the estimated score above each bar.
    static func periods(_ series: MatchQualityReport.Series) -> String {
        let lines = series.periods
        guard !lines.isEmpty else { return "" }
        let chartHeight = 150
        let top = 22
        let left = 44
        let slot = max(8, min(60, 760 / lines.count))
        let barWidth = max(4, slot - 4)
        let width = left + slot * lines.count + 10
        let maximum = max(1, lines.map(\.tally.received).max() ?? 1)
        var svg = svgOpen(width: width, height: top + chartHeight + 58, title: "Deliveries per period")
        svg += text(String(maximum), x: left - 6, y: top + 4, anchor: "end")
        svg += text("0", x: left - 6, y: top + chartHeight, anchor: "end")
        svg += "<line x1=\"\(left)\" y1=\"\(top + chartHeight)\" x2=\"\(width - 6)\" y2=\"\(top + chartHeight)\" stroke=\"#888\"/>"
        let labelEvery = max(1, lines.count / 12)
        for (index, line) in lines.enumerated() {
            let t = line.tally
            let x = left + index * slot + 2
            var y = top + chartHeight
            let parts = [
                (t.sent, sentColor), (t.suppressed, suppressedColor), (t.deadLettered, deadColor),
                (t.pending + t.skipped, otherColor),
            ]
            for (count, color) in parts where count > 0 {
                let h = max(1, Int((Double(count) / Double(maximum) * Double(chartHeight)).rounded()))
                y -= h
                svg += "<rect x=\"\(x)\" y=\"\(y)\" width=\"\(barWidth)\" height=\"\(h)\" fill=\"\(color)\"/>"
            }
            if let score = line.score, slot >= 24 {
                svg += text(ReportRecommendation.decimal(score), x: x + barWidth / 2, y: y - 4, anchor: "middle", size: 10)
            }
            if index % labelEvery == 0, let start = line.periodStart {
                let label = series.periods.count > 1 && isHourly(series) ? String(start.rfc3339.dropFirst(5).prefix(11)) : String(start.rfc3339.prefix(10))
                svg += text(label, x: x + barWidth / 2, y: top + chartHeight + 14, anchor: "middle", size: 10)
            }
        }
        svg += legend(
            [(sentColor, "sent"), (suppressedColor, "suppressed by consent"), (deadColor, "dead-lettered"), (otherColor, "pending or skipped")],
            x: left, y: top + chartHeight + 36)
        return svg + "</svg>"
    }

    static func isHourly(_ series: MatchQualityReport.Series) -> Bool {
        guard series.periods.count > 1, let a = series.periods[0].periodStart, let b = series.periods[1].periodStart else { return false }
        return (b.millisecondsSinceEpoch - a.millisecondsSinceEpoch) % 86_400_000 != 0
    }

    static func svgOpen(width: Int, height: Int, title: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\" role=\"img\" aria-label=\"\(MatchQualityReport.escape(title))\"><title>\(MatchQualityReport.escape(title))</title>"
    }

    static func text(_ value: String, x: Int, y: Int, anchor: String, size: Int = 12) -> String {
        "<text x=\"\(x)\" y=\"\(y)\" text-anchor=\"\(anchor)\" font-size=\"\(size)\" fill=\"#222\">\(MatchQualityReport.escape(value))</text>"
    }

    static func legend(_ items: [(String, String)], x: Int, y: Int) -> String {
        var svg = ""
        var offset = x
        for (color, label) in items {
            svg += "<rect x=\"\(offset)\" y=\"\(y - 9)\" width=\"10\" height=\"10\" fill=\"\(color)\"/>"
            svg += text(label, x: offset + 14, y: y, anchor: "start", size: 11)
            offset += 24 + label.count * 6
        }
        return svg
    }
}
