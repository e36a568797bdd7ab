import BridgeCore

/// The Match quality page's report: per destination and event, the counts,
/// the estimated score with and without enrichment, identifier coverage and
/// the recommendations (the numbers `GET /v1/reports/match-quality` answers).
enum MatchQualityView {
    static func html(_ report: MatchQualityReport) -> HTML {
        guard !report.series.isEmpty else { return ConsolePage.notice("No deliveries in this window for these filters.") }
        let sections = report.series.map { series -> HTML in
            let total = series.total
            let tally = total.tally
            let coverage = series.keys.map { key -> HTML in
                """
                <tr><th scope="row">\(key.description)</th><td class="num">\(percent(total.shareOfSent(tally.coverage(key))))</td>\
                <td class="num">\(percent(total.shareOfSent(tally.enriched(key))))</td></tr>
                """
            }
            let recommendations = series.recommendations.map { item -> HTML in "<li>\(item.text)</li>" }
            return """
                <section class="series" data-destination="\(series.destination)" data-event="\(series.eventName)">
                <h2>\(series.title(by: report.query.breakdown))</h2>
                <dl class="json"><dt>Received</dt><dd data-count="received">\(tally.received)</dd><dt>Sent</dt><dd data-count="sent">\(tally.sent)</dd>\
                <dt>Pending</dt><dd>\(tally.pending)</dd><dt>Dead letters</dt><dd>\(tally.deadLettered)</dd>\
                <dt>Skipped</dt><dd>\(tally.skipped)</dd><dt>Suppressed by consent</dt><dd>\(tally.suppressed)</dd>\
                <dt>Estimated match quality</dt><dd>\(total.score.map { score(($0)) } ?? "–")</dd>\
                <dt>Without enrichment</dt><dd>\(total.scoreWithoutEnrichment.map { score($0) } ?? "–")</dd></dl>
                <div class="scroll"><table><caption>Identifier coverage of sent events</caption>
                <thead><tr><th scope="col">Identifier</th><th scope="col" class="num">Carried</th><th scope="col" class="num">Added by enrichment</th></tr></thead>
                <tbody>\(coverage)</tbody></table></div>
                \(recommendations.isEmpty ? "" : "<h3>Recommendations</h3><ol>\(recommendations)</ol>" as HTML)
                </section>
                """
        }
        return "<p class=\"muted\">\(MatchQualityReport.estimateNote)</p>\(sections)\(platformScores(report))"
    }

    /// The platforms' own scores beside the bridge's estimate (Meta's
    /// Dataset Quality, Pinterest's Event Quality Score), with their
    /// match-key feedback and recommendations; an unavailable score shows
    /// why ("not available: permission missing"), never as zero.
    static func platformScores(_ report: MatchQualityReport) -> HTML {
        let comparisons = report.scoreComparisons
        guard !comparisons.isEmpty else { return "" }
        let rows = comparisons.map { comparison -> HTML in
            let score = comparison.platform
            let keys = score.matchKeys.map { key -> HTML in
                "<li>\(key.identifier): \(key.coveragePercent.map { ReportRecommendation.decimal($0) + " %" } ?? "–")\(key.note.map { ", " + $0 })</li>"
            }
            let advice = score.recommendations.map { text -> HTML in "<li>\(text)</li>" }
            let notes: HTML = keys.isEmpty && advice.isEmpty && score.detail == nil ? "" : """
                \(score.availability == .available ? nil : score.detail)\(keys.isEmpty ? "" : "<ul>\(keys)</ul>" as HTML)\
                \(advice.isEmpty ? "" : "<ol>\(advice)</ol>" as HTML)
                """
            return """
                <tr data-destination="\(score.destination)"><th scope="row">\(score.destination) · \(score.eventName)</th>\
                <td class="num">\(comparison.estimate.map { self.score($0) } ?? "–")</td>\
                <td class="num" data-platform-score>\(score.shownScore)</td><td>\(score.day)</td><td>\(notes)</td></tr>
                """
        }
        return """
            <section class="platform-scores" id="platform-scores"><h2>The platforms' own scores</h2>
            <div class="scroll"><table><caption>Each platform's published score beside the bridge's estimate</caption>
            <thead><tr><th scope="col">Destination · event</th><th scope="col" class="num">Bridge estimate</th>\
            <th scope="col" class="num">Platform score</th><th scope="col">Day</th><th scope="col">Match keys and advice</th></tr></thead>
            <tbody>\(rows)</tbody></table></div></section>
            """
    }

    static func percent(_ share: Double) -> String { String(Int((share * 100).rounded())) + " %" }

    static func score(_ value: Double) -> String { String(Double(Int((value * 10).rounded())) / 10) + " / 10" }
}
