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

/// Folds stored deliveries into a `ReportTally`: rows one at a time (a scan
/// of the deliveries) or whole `DeliveryRollupCell`s (the stores' hourly
/// rollup), in any mix and any order; both fold into one cell per series and
/// period, and the tally is computed from those cells, so a report over a
/// million deliveries holds counts, never the rows, and a tally from the
/// rollup equals the one from the rows exactly. Pure.
///
/// Built for that stream: series are few (destinations × event names, times
/// campaigns or sources with a breakdown) and found by the last one hit or a
/// dictionary; periods are array slots counted from the window's first
/// period; each series memoizes the scores of the identifier combinations it
/// has seen.
public struct ReportAccumulator: Sendable {
    public let query: ReportQuery
    private var states: [SeriesState] = []
    private var indexes: [ReportSeriesKey: Int] = [:]
    private var last = 0
    private let origin: Int64
    /// Most periods kept in array slots (400 days of hours would be 9,600).
    static let maxSlots = 10_000

    struct SeriesState: Sendable {
        let key: ReportSeriesKey
        let model: MatchQualityModel?
        var slots: [DeliveryRollupCell?] = []
        /// Periods outside the window's slots (a store that did not filter by time).
        var overflow: [Int64: DeliveryRollupCell] = [:]

        mutating func cell(at start: Int64, origin: Int64, length: Int64, _ body: (inout DeliveryRollupCell) -> Void) {
            let slot = (start - origin) / length
            if slot >= 0, slot < ReportAccumulator.maxSlots {
                let position = Int(slot)
                if slots.count <= position { slots += Array(repeating: nil, count: position + 1 - slots.count) }
                if slots[position] == nil { slots[position] = DeliveryRollupCell() }
                body(&slots[position]!)
            } else {
                body(&overflow[start, default: DeliveryRollupCell()])
            }
        }
    }

    public init(query: ReportQuery) {
        self.query = query
        self.origin = query.period.start(of: query.since.millisecondsSinceEpoch)
    }

    /// Counts one delivery (`count` times; `-1` takes it back out).
    public mutating func add(_ row: DeliveryReportRow, count: Int = 1) {
        let index = seriesIndex(ReportSeriesKey(destination: row.destination, eventName: row.eventName, group: group(source: row.source, campaign: row.campaign)))
        states[index].cell(at: query.period.start(of: row.receivedAtMS), origin: origin, length: query.period.milliseconds) { $0.add(row, count: count) }
    }

    /// Counts the deliveries of one rollup cell: those of `destination`,
    /// `eventName`, `source` and `campaign` received in the hour starting at
    /// `hourStart` (which lies in one period of the query's).
    public mutating func add(
        _ cell: DeliveryRollupCell, hourStart: Int64, destination: String, eventName: String, source: String, campaign: String?
    ) {
        let index = seriesIndex(ReportSeriesKey(destination: destination, eventName: eventName, group: group(source: source, campaign: campaign)))
        states[index].cell(at: query.period.start(of: hourStart), origin: origin, length: query.period.milliseconds) { $0.merge(cell) }
    }

    /// Everything counted so far.
    public var tally: ReportTally {
        var tally = ReportTally()
        var attributions: [String: [String: IdentifierSet]] = [:]
        let attribution = { (text: String) -> [String: IdentifierSet] in
            if let known = attributions[text] { return known }
            let decoded = EnrichmentAttribution.decode(text)
            attributions[text] = decoded
            return decoded
        }
        for state in states {
            var series = ReportTally.Series()
            var memo: [DeliveryRollupCell.Identifiers: (full: Double, withoutEnrichment: Double)] = [:]
            let score: ((DeliveryRollupCell.Identifiers) -> (full: Double, withoutEnrichment: Double))? = state.model.map { model in
                { key in
                    if let known = memo[key] { return known }
                    let value = (full: model.score(key.identifiers), withoutEnrichment: model.score(key.identifiers & ~key.added))
                    memo[key] = value
                    return value
                }
            }
            var cells = state.overflow
            for (position, cell) in state.slots.enumerated() {
                if let cell { cells[origin + Int64(position) * query.period.milliseconds] = cell }
            }
            // A cell whose counts cancel out (a delivery counted in the rollup,
            // then erased) holds no delivery: the rows would not show it.
            for (start, cell) in cells where !cell.isEmpty {
                var counts = DeliveryTally()
                counts.add(cell, attribution: attribution, score: score)
                series.periods[start] = counts
                for (key, n) in cell.identifiers { series.sentMasks[key.identifiers, default: 0] += n }
            }
            series.sentMasks = series.sentMasks.filter { $0.value != 0 }
            if !series.periods.isEmpty { tally.series[state.key] = series }
        }
        return tally
    }

    /// The breakdown's value for a delivery of `source` and `campaign`.
    private func group(source: String, campaign: String?) -> String? {
        switch query.breakdown {
        case nil: nil
        case .campaign?: campaign
        case .source?: source
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
