/// The match-quality report: per destination and event name, what was
/// received, sent, suppressed by consent, dead-lettered and retried; which
/// identifiers the sent events carried and which enrichment added; an
/// estimated match-quality score (see `MatchQualityModel`); delivery
/// latency; and ranked recommendations. Built from a `ReportTally`; pure.
public struct MatchQualityReport: Sendable, Equatable {
    /// Printed with every rendering of a score.
    public static let estimateNote =
        "Scores are estimates computed by capi-bridge from the identifiers each sent event carried, on the platforms' 0-10 scale; they are not the platforms' own match-quality scores. How they are computed: docs/match-quality.md."

    /// One row: a period, or the whole report window (`periodStart == nil`).
    public struct Line: Sendable, Equatable {
        public let periodStart: Timestamp?
        public let tally: DeliveryTally
        /// Mean estimated score of the sent events, when there is a model and a sent event.
        public let score: Double?
        /// The same without the identifiers enrichment added.
        public let scoreWithoutEnrichment: Double?
        public let latency: LatencySummary?

        public init(periodStart: Timestamp?, tally: DeliveryTally, model: MatchQualityModel?) {
            self.periodStart = periodStart
            self.tally = tally
            if model != nil, tally.sent > 0 {
                score = tally.scoreSum / Double(tally.sent)
                scoreWithoutEnrichment = tally.scoreWithoutEnrichmentSum / Double(tally.sent)
            } else {
                score = nil
                scoreWithoutEnrichment = nil
            }
            latency = LatencySummary(tally.latency)
        }

        /// `count` as a share of sent events (0 when nothing was sent).
        public func shareOfSent(_ count: Int) -> Double { tally.sent == 0 ? 0 : Double(count) / Double(tally.sent) }
    }

    /// One destination and event name (and campaign or source, with a breakdown).
    public struct Series: Sendable, Equatable {
        public let destination: String
        public let eventName: String
        /// The campaign or source of this series (`ReportQuery.breakdown`);
        /// `nil` without a breakdown and for events without a campaign.
        public let group: String?
        /// Whose identifier rules the destination uses (`nil` when it is no longer configured).
        public let platform: Platform?
        public let model: MatchQualityModel?
        public let total: Line
        /// Oldest first; only periods with deliveries.
        public let periods: [Line]
        /// The identifiers shown: those carried or added in the series and
        /// those the model scores, in `IdentifierKey` order.
        public let keys: [IdentifierKey]
        /// Enrichment providers that added something, by name.
        public let providers: [String]
        public let recommendations: [ReportRecommendation]

        /// `meta · Purchase`, then `· campaign spring-sale` (or `· no campaign`,
        /// `· source shop-eu`) with a breakdown.
        public func title(by breakdown: ReportBreakdown?) -> String {
            let base = "\(destination) · \(eventName)"
            switch breakdown {
            case nil: return base
            case .campaign?: return base + (group.map { " · campaign \($0)" } ?? " · no campaign")
            case .source?: return base + " · source \(group ?? "")"
            }
        }
    }

    public let generatedAt: Timestamp
    public let query: ReportQuery
    /// By destination, then event name.
    public let series: [Series]
    /// What the platforms reported themselves (scores, confirmations,
    /// diagnostics), when the report was built with it.
    public var feedback: PlatformFeedback? = nil

    public init(generatedAt: Timestamp, query: ReportQuery, series: [Series]) {
        self.generatedAt = generatedAt
        self.query = query
        self.series = series
    }

    /// Computes the report from a tally.
    public static func build(_ tally: ReportTally, query: ReportQuery, generatedAt: Timestamp) -> MatchQualityReport {
        let series = tally.series.keys.sorted().map { key -> Series in
            let data = tally.series[key] ?? ReportTally.Series()
            let destination = query.destinations[key.destination]
            let model = destination?.model
            var total = DeliveryTally()
            let periods = data.periods.keys.sorted().map { start -> Line in
                let counts = data.periods[start] ?? DeliveryTally()
                total.merge(counts)
                return Line(periodStart: Timestamp(millisecondsSinceEpoch: start), tally: counts, model: model)
            }
            let totalLine = Line(periodStart: nil, tally: total, model: model)
            var shown = model?.keys ?? IdentifierSet()
            for key in IdentifierKey.allCases where total.coverage(key) > 0 || total.enriched(key) > 0 { shown.insert(key) }
            let recommendations = ReportRecommendation.rank(
                series: key, total: totalLine, sentMasks: data.sentMasks, model: model)
            return Series(
                destination: key.destination, eventName: key.eventName, group: key.group, platform: destination?.platform, model: model, total: totalLine,
                periods: periods, keys: Array(shown), providers: total.enrichedByProvider.filter { $0.value.contains { $0 > 0 } }.keys.sorted(),
                recommendations: recommendations)
        }
        return MatchQualityReport(generatedAt: generatedAt, query: query, series: series)
    }
}
