/// The report's platform-feedback part (`PlatformFeedback`): the platforms'
/// own scores beside the bridge's estimate, what they confirmed or rejected
/// after accepting, and their diagnostics. Rendered after the series in
/// every format; absent when the report was built without it.
extension MatchQualityReport {
    /// One platform score with the bridge's estimate for the same
    /// destination and event name (the estimate is `nil` without a series).
    public struct ScoreComparison: Sendable, Equatable {
        public let platform: PlatformScore
        public let estimate: Double?
    }

    /// The platform scores, each beside the matching series' estimate.
    public var scoreComparisons: [ScoreComparison] {
        (feedback?.scores ?? []).map { score in
            let match = series.first { $0.destination == score.destination && PlatformFeedback.sameEvent(score.eventName, $0.eventName) }
            return ScoreComparison(platform: score, estimate: match?.total.score)
        }
    }

    /// The feedback part as text lines (empty without feedback).
    func feedbackTable() -> [String] {
        guard let feedback, !feedback.isEmpty else { return [] }
        var out: [String] = ["", "== platform feedback (what the platforms report themselves)"]
        if !feedback.scores.isEmpty {
            out.append("")
            out.append(Self.pad("destination · event", 30) + Self.pad("bridge estimate", 17) + "platform score")
            for comparison in scoreComparisons {
                let score = comparison.platform
                out.append(
                    Self.pad("\(score.destination) · \(score.eventName)", 30)
                        + Self.pad(comparison.estimate.map { ReportRecommendation.decimal($0) + " / 10" } ?? "-", 17) + score.shownScore
                        + " (\(score.day))")
                if let detail = score.detail, score.availability != .available { out.append("    " + detail) }
                for key in score.matchKeys {
                    let coverage = key.coveragePercent.map { ReportRecommendation.decimal($0) + " %" } ?? "-"
                    out.append("    match key \(key.identifier): coverage \(coverage)" + (key.note.map { ", \($0)" } ?? ""))
                }
                for recommendation in score.recommendations { out.append("    platform recommends: " + recommendation) }
            }
        }
        if !feedback.confirmations.isEmpty {
            out.append("")
            out.append("confirmed delivery (status looked up after the platform's 200)")
            for (destination, counts) in feedback.confirmations.sorted(by: { $0.key < $1.key }) {
                out.append("  \(destination): \(counts.line)")
            }
        }
        if !feedback.diagnostics.isEmpty {
            out.append("")
            out.append("diagnostics")
            for tally in feedback.diagnostics {
                out.append("  \(tally.destination) · \(tally.kind.title) · \(tally.code): \(tally.count) (last \(tally.lastAt.rfc3339): \(tally.lastDetail))")
            }
        }
        return out
    }

    /// The feedback part as JSON (`null` without feedback).
    func feedbackJSON() -> JSONValue {
        guard let feedback else { return .null }
        let scores: [JSONValue] = scoreComparisons.map { comparison in
            let score = comparison.platform
            return .object([
                "destination": .string(score.destination), "event_name": .string(score.eventName), "day": .string(score.day),
                "availability": .string(score.availability.rawValue), "shown": .string(score.shownScore),
                "score": score.score.map { Self.number($0, places: 2) } ?? .null, "status": score.status.map(JSONValue.string) ?? .null,
                "bridge_estimate": comparison.estimate.map { Self.number($0, places: 2) } ?? .null,
                "detail": score.detail.map(JSONValue.string) ?? .null,
                "match_keys": .array(
                    score.matchKeys.map { key in
                        .object([
                            "identifier": .string(key.identifier),
                            "coverage_percent": key.coveragePercent.map { Self.number($0, places: 2) } ?? .null,
                            "note": key.note.map(JSONValue.string) ?? .null,
                        ])
                    }),
                "recommendations": .array(score.recommendations.map(JSONValue.string)),
                "fetched_at": .string(score.fetchedAt.rfc3339),
            ])
        }
        var confirmations: [String: JSONValue] = [:]
        for (destination, counts) in feedback.confirmations {
            confirmations[destination] = .object([
                "sent": Self.count(counts.sent), "awaiting": Self.count(counts.awaiting), "confirmed": Self.count(counts.confirmed),
                "rejected_later": Self.count(counts.rejectedLater), "in_partly_rejected_requests": Self.count(counts.inPartlyRejectedRequests),
                "unconfirmed": Self.count(counts.unconfirmed),
            ])
        }
        let diagnostics: [JSONValue] = feedback.diagnostics.map { tally in
            .object([
                "destination": .string(tally.destination), "kind": .string(tally.kind.rawValue), "code": .string(tally.code),
                "count": Self.count(tally.count), "last_detail": .string(tally.lastDetail), "last_at": .string(tally.lastAt.rfc3339),
            ])
        }
        return .object(["platform_scores": .array(scores), "confirmations": .object(confirmations), "diagnostics": .array(diagnostics)])
    }

    /// The feedback part as an HTML section (empty without feedback).
    func feedbackHTML() -> String {
        guard let feedback, !feedback.isEmpty else { return "" }
        var html = "<section id=\"platform-feedback\"><h2>Platform feedback</h2>"
        if !feedback.scores.isEmpty {
            html += "<h3>Platform scores beside the bridge's estimate</h3><table><tr><th>destination · event</th><th>bridge estimate</th>"
            html += "<th>platform score</th><th>day</th><th>match keys and recommendations</th></tr>"
            for comparison in scoreComparisons {
                let score = comparison.platform
                var notes = score.matchKeys.map { key in
                    "\(key.identifier) " + (key.coveragePercent.map { ReportRecommendation.decimal($0) + " %" } ?? "-") + (key.note.map { " (\($0))" } ?? "")
                }
                notes += score.recommendations
                if let detail = score.detail, score.availability != .available { notes.append(detail) }
                html += "<tr><td>\(Self.escape("\(score.destination) · \(score.eventName)"))</td>"
                html += "<td>\(Self.escape(comparison.estimate.map { ReportRecommendation.decimal($0) + " / 10" } ?? "-"))</td>"
                html += "<td>\(Self.escape(score.shownScore))</td><td>\(Self.escape(score.day))</td>"
                html += "<td>\(notes.map(Self.escape).joined(separator: "<br>"))</td></tr>"
            }
            html += "</table>"
        }
        if !feedback.confirmations.isEmpty {
            html += "<h3>Confirmed delivery</h3><table><tr><th>destination</th><th>sent</th><th>confirmed</th><th>rejected later</th>"
            html += "<th>awaiting</th><th>unconfirmed</th></tr>"
            for (destination, counts) in feedback.confirmations.sorted(by: { $0.key < $1.key }) {
                html += "<tr><td>\(Self.escape(destination))</td><td>\(counts.sent)</td><td>\(counts.confirmed)</td><td>\(counts.rejectedLater)</td>"
                html += "<td>\(counts.awaiting)</td><td>\(counts.unconfirmed)</td></tr>"
            }
            html += "</table>"
        }
        if !feedback.diagnostics.isEmpty {
            html += "<h3>Diagnostics</h3><table><tr><th>destination</th><th>kind</th><th>code</th><th>count</th><th>last detail</th></tr>"
            for tally in feedback.diagnostics {
                html += "<tr><td>\(Self.escape(tally.destination))</td><td>\(Self.escape(tally.kind.title))</td><td>\(Self.escape(tally.code))</td>"
                html += "<td>\(tally.count)</td><td>\(Self.escape(tally.lastDetail))</td></tr>"
            }
            html += "</table>"
        }
        return html + "</section>"
    }

    /// The CSV columns the feedback adds to every row (`platform_score`,
    /// `platform_score_shown`, `platform_score_day`; filled on total rows
    /// of series the platform scored), and the row's values.
    static let feedbackColumns = ["platform_score", "platform_score_shown", "platform_score_day"]

    func feedbackFields(_ item: Series, _ line: Line) -> [String] {
        guard line.periodStart == nil, let score = feedback?.scores(destination: item.destination, eventName: item.eventName).first else {
            return ["", "", ""]
        }
        return [score.score.map { ReportRecommendation.fixed($0, places: 2) } ?? "", score.shownScore, score.day]
    }
}
