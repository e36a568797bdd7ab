/// A destination and event name: one section of a report.
public struct ReportSeriesKey: Sendable, Hashable, Comparable {
    public let destination: String
    public let eventName: String

    public init(destination: String, eventName: String) {
        self.destination = destination
        self.eventName = eventName
    }

    public static func < (lhs: ReportSeriesKey, rhs: ReportSeriesKey) -> Bool {
        (lhs.destination, lhs.eventName) < (rhs.destination, rhs.eventName)
    }
}

/// Everything a report is computed from, per series: the tally of each
/// period, and how many sent events carried each combination of identifiers
/// (for the recommendations).
public struct ReportTally: Sendable, Equatable {
    public struct Series: Sendable, Equatable {
        /// Period start (ms since the epoch, UTC-aligned) → counts.
        public var periods: [Int64: DeliveryTally] = [:]
        /// Identifier mask of sent events → how many.
        public var sentMasks: [Int64: Int] = [:]

        public init() {}
    }

    public var series: [ReportSeriesKey: Series] = [:]

    public init() {}
}

/// Folds stored deliveries, one row at a time, into a `ReportTally`: the
/// stores stream their rows through it, so a report over a million
/// deliveries holds counts, never the rows. Pure.
public struct ReportAccumulator: Sendable {
    public let query: ReportQuery
    public private(set) var tally = ReportTally()
    /// Per destination: its model, and scores already computed per mask.
    private var scorers: [String: Scorer] = [:]
    /// Decoded `enriched_by` texts (few distinct values).
    private var attributions: [String: [String: IdentifierSet]] = [:]

    struct Scorer: Sendable {
        let model: MatchQualityModel?
        var memo: [Int64: Double] = [:]

        mutating func score(_ mask: Int64) -> Double? {
            guard let model else { return nil }
            if let known = memo[mask] { return known }
            let value = model.score(mask)
            memo[mask] = value
            return value
        }

        /// The scores of a sent event with and without the identifiers enrichment added.
        mutating func scores(identifiers: Int64, added: Int64) -> (full: Double, withoutEnrichment: Double)? {
            guard let full = score(identifiers), let without = score(identifiers & ~added) else { return nil }
            return (full, without)
        }
    }

    public init(query: ReportQuery) {
        self.query = query
    }

    /// Counts one delivery.
    public mutating func add(_ row: DeliveryReportRow) {
        var attribution: [String: IdentifierSet] = [:]
        var scores: (full: Double, withoutEnrichment: Double)?
        if row.state == .delivered {
            if let text = row.enrichedBy {
                if let known = attributions[text] {
                    attribution = known
                } else {
                    attribution = EnrichmentAttribution.decode(text)
                    attributions[text] = attribution
                }
            }
            let identifiers = row.identifiers & DeliveryTally.keyMask
            scores = scorers[row.destination, default: Scorer(model: query.destinations[row.destination]?.model)]
                .scores(identifiers: identifiers, added: row.enriched & identifiers)
        }
        let key = ReportSeriesKey(destination: row.destination, eventName: row.eventName)
        let start = query.period.start(of: row.receivedAtMS)
        tally.series[key, default: ReportTally.Series()].add(row, periodStart: start, attribution: attribution, scores: scores)
    }
}

extension ReportTally.Series {
    mutating func add(
        _ row: DeliveryReportRow, periodStart: Int64, attribution: [String: IdentifierSet], scores: (full: Double, withoutEnrichment: Double)?
    ) {
        periods[periodStart, default: DeliveryTally()].add(row, attribution: attribution, scores: scores)
        if row.state == .delivered { sentMasks[row.identifiers & DeliveryTally.keyMask, default: 0] += 1 }
    }
}
