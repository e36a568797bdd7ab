/// What a report counts of a set of deliveries, without the deliveries: how
/// many reached each outcome, how many sent events carried each combination
/// of identifiers, and their latency histogram. Every count a
/// `DeliveryTally` holds is a function of these, so a tally built from cells
/// equals, exactly, the tally of the rows they fold.
///
/// The stores keep one cell per series and hour of receipt
/// (`delivery_rollup_cells`) so that reports read thousands of cells instead
/// of a million rows; the report accumulator folds rows into cells too, so
/// both paths share one definition. Counts may be added with a sign (a
/// delivery leaving a state is `-1`); entries that reach zero disappear. Pure.
public struct DeliveryRollupCell: Sendable, Equatable {
    /// A delivery's counted outcome.
    public struct Outcome: Sendable, Hashable {
        public var state: ReportDeliveryState
        /// Sent with restricted processing (only for delivered events).
        public var limited: Bool
        /// The consent reason, skip reason or dead-letter code (only for
        /// suppressed, skipped and dead deliveries).
        public var reason: String?
        public var retried: Bool
    }

    /// The identifiers of a sent event.
    public struct Identifiers: Sendable, Hashable, Comparable {
        /// `identifiers_mask`, only the identifier-key bits.
        public var identifiers: Int64
        /// What enrichment added, within `identifiers`.
        public var added: Int64
        /// `enriched_by` (see `EnrichmentAttribution`).
        public var enrichedBy: String?

        public static func < (lhs: Identifiers, rhs: Identifiers) -> Bool {
            if lhs.identifiers != rhs.identifiers { return lhs.identifiers < rhs.identifiers }
            if lhs.added != rhs.added { return lhs.added < rhs.added }
            switch (lhs.enrichedBy, rhs.enrichedBy) {
            case (nil, nil): return false
            case (nil, _): return true
            case (_, nil): return false
            case (let a?, let b?): return a < b
            }
        }
    }

    public internal(set) var outcomes: [Outcome: Int] = [:]
    public internal(set) var identifiers: [Identifiers: Int] = [:]
    /// `LatencyHistogram` bucket → sent events (those with a delivery time).
    public internal(set) var latency: [Int: Int] = [:]

    public init() {}

    public var isEmpty: Bool { outcomes.isEmpty && identifiers.isEmpty && latency.isEmpty }

    /// Counts `row` `count` times (`-1` takes a counted row back out).
    public mutating func add(_ row: DeliveryReportRow, count: Int = 1) {
        let delivered = row.state == .delivered
        let reason: String? =
            switch row.state {
            case .suppressed, .skipped, .dead: row.reason
            case .pending, .delivered: nil
            }
        Self.bump(&outcomes, Outcome(state: row.state, limited: delivered && row.limited, reason: reason, retried: row.wasRetried), by: count)
        guard delivered else { return }
        let mask = row.identifiers & DeliveryTally.keyMask
        Self.bump(&identifiers, Identifiers(identifiers: mask, added: row.enriched & mask, enrichedBy: row.enrichedBy), by: count)
        if let deliveredAt = row.deliveredAtMS {
            Self.bump(&latency, LatencyHistogram.bucket(of: max(0, deliveredAt - row.receivedAtMS)), by: count)
        }
    }

    /// Adds every count of `other`.
    public mutating func merge(_ other: DeliveryRollupCell) {
        for (key, n) in other.outcomes { Self.bump(&outcomes, key, by: n) }
        for (key, n) in other.identifiers { Self.bump(&identifiers, key, by: n) }
        for (key, n) in other.latency { Self.bump(&latency, key, by: n) }
    }

    private static func bump<Key: Hashable>(_ counts: inout [Key: Int], _ key: Key, by n: Int) {
        guard n != 0 else { return }
        let total = counts[key, default: 0] + n
        counts[key] = total == 0 ? nil : total
    }
}
