/// A destination and event name (and, with a breakdown, a campaign or a
/// source): one section of a report.
public struct ReportSeriesKey: Sendable, Hashable, Comparable {
    public let destination: String
    public let eventName: String
    /// The breakdown's value: a campaign or source name; `nil` without a
    /// breakdown, or for events without a campaign.
    public let group: String?

    public init(destination: String, eventName: String, group: String? = nil) {
        self.destination = destination
        self.eventName = eventName
        self.group = group
    }

    /// By destination, event name, then group (events without one first).
    public static func < (lhs: ReportSeriesKey, rhs: ReportSeriesKey) -> Bool {
        if (lhs.destination, lhs.eventName) != (rhs.destination, rhs.eventName) {
            return (lhs.destination, lhs.eventName) < (rhs.destination, rhs.eventName)
        }
        switch (lhs.group, rhs.group) {
        case (nil, nil): return false
        case (nil, _): return true
        case (_, nil): return false
        case (let a?, let b?): return a < b
        }
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
///
/// Built for that stream: series are few (destinations × event names, times
/// campaigns or sources with a breakdown) and found by the last one hit or a
/// dictionary; periods are
/// array slots counted from the window's first period; each series memoizes
/// the scores of the identifier combinations it has seen.
public struct ReportAccumulator: Sendable {
    public let query: ReportQuery
    private var states: [SeriesState] = []
    private var indexes: [ReportSeriesKey: Int] = [:]
    private var last = 0
    /// Decoded `enriched_by` texts (few distinct values).
    private var attributions: [String: [String: IdentifierSet]] = [:]
    private let origin: Int64
    /// Most periods kept in array slots (400 days of hours would be 9,600).
    static let maxSlots = 10_000

    struct SeriesState: Sendable {
        let key: ReportSeriesKey
        let model: MatchQualityModel?
        var slots: [DeliveryTally?] = []
        /// Periods outside the window's slots (a store that did not filter by time).
        var overflow: [Int64: DeliveryTally] = [:]
        var sentMasks: [Int64: Int] = [:]
        /// `identifiers | added << 32` → scores with and without enrichment.
        var memo: [Int64: (Double, Double)] = [:]

        mutating func scores(identifiers: Int64, added: Int64) -> (full: Double, withoutEnrichment: Double)? {
            guard let model else { return nil }
            let key = identifiers | (added << 32)
            if let known = memo[key] { return known }
            let value = (model.score(identifiers), model.score(identifiers & ~added))
            memo[key] = value
            return value
        }
    }

    public init(query: ReportQuery) {
        self.query = query
        self.origin = query.period.start(of: query.since.millisecondsSinceEpoch)
    }

    /// Counts one delivery.
    public mutating func add(_ row: DeliveryReportRow) {
        let index = seriesIndex(ReportSeriesKey(destination: row.destination, eventName: row.eventName, group: group(of: row)))
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
            scores = states[index].scores(identifiers: identifiers, added: row.enriched & identifiers)
            states[index].sentMasks[identifiers, default: 0] += 1
        }
        let start = query.period.start(of: row.receivedAtMS)
        let slot = (start - origin) / query.period.milliseconds
        if slot >= 0, slot < Self.maxSlots {
            let position = Int(slot)
            if states[index].slots.count <= position { states[index].slots += Array(repeating: nil, count: position + 1 - states[index].slots.count) }
            if states[index].slots[position] == nil { states[index].slots[position] = DeliveryTally() }
            states[index].slots[position]!.add(row, attribution: attribution, scores: scores)
        } else {
            states[index].overflow[start, default: DeliveryTally()].add(row, attribution: attribution, scores: scores)
        }
    }

    /// Everything counted so far.
    public var tally: ReportTally {
        var tally = ReportTally()
        for state in states {
            var series = ReportTally.Series()
            series.periods = state.overflow
            for (position, counts) in state.slots.enumerated() {
                if let counts { series.periods[origin + Int64(position) * query.period.milliseconds] = counts }
            }
            series.sentMasks = state.sentMasks
            tally.series[state.key] = series
        }
        return tally
    }

    /// The breakdown's value for `row`.
    private func group(of row: DeliveryReportRow) -> String? {
        switch query.breakdown {
        case nil: nil
        case .campaign?: row.campaign
        case .source?: row.source
        }
    }

    private mutating func seriesIndex(_ key: ReportSeriesKey) -> Int {
        if last < states.count, states[last].key == key { return last }
        if let known = indexes[key] {
            last = known
            return known
        }
        states.append(SeriesState(key: key, model: query.destinations[key.destination]?.model))
        last = states.count - 1
        indexes[key] = last
        return last
    }
}
