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
///
/// Built for that stream: series are few (destinations × event names) and
/// found by a short linear search starting at the last one hit; periods are
/// array slots counted from the window's first period; each series memoizes
/// the scores of the identifier combinations it has seen.
public struct ReportAccumulator: Sendable {
    public let query: ReportQuery
    private var states: [SeriesState] = []
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
        let index = seriesIndex(destination: row.destination, eventName: row.eventName)
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

    private mutating func seriesIndex(destination: String, eventName: String) -> Int {
        if last < states.count, states[last].key.destination == destination, states[last].key.eventName == eventName { return last }
        for (index, state) in states.enumerated() where state.key.destination == destination && state.key.eventName == eventName {
            last = index
            return index
        }
        let key = ReportSeriesKey(destination: destination, eventName: eventName)
        states.append(SeriesState(key: key, model: query.destinations[destination]?.model))
        last = states.count - 1
        return last
    }
}
