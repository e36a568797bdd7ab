/// A delivery's state as reports read it (the store's `deliveries.state`).
public enum ReportDeliveryState: String, Sendable, CaseIterable, Hashable {
    case pending, delivered, dead, suppressed, skipped
}

/// One stored delivery, as much of it as a report reads: the facts the
/// store records per delivery, no payload and no identifier value.
public struct DeliveryReportRow: Sendable, Equatable {
    public var destination: String
    public var eventName: String
    public var receivedAtMS: Int64
    public var state: ReportDeliveryState
    /// `consent_action == send_limited`.
    public var limited: Bool
    /// The consent reason (suppressed), skip reason (skipped) or dead-letter
    /// code (dead); `nil` otherwise.
    public var reason: String?
    /// Failed attempts (for a dead letter, including the last one).
    public var attempts: Int
    /// `identifiers_mask`, `enriched_mask` and `enriched_by` (see `EnrichmentAttribution`).
    public var identifiers: Int64
    public var enriched: Int64
    public var enrichedBy: String?
    public var deliveredAtMS: Int64?
    /// The source the event arrived through, and its `utm_campaign`.
    public var source: String
    public var campaign: String?

    public init(
        destination: String, eventName: String, receivedAtMS: Int64, state: ReportDeliveryState, limited: Bool = false,
        reason: String? = nil, attempts: Int = 0, identifiers: Int64 = 0, enriched: Int64 = 0, enrichedBy: String? = nil,
        deliveredAtMS: Int64? = nil, source: String = "", campaign: String? = nil
    ) {
        self.source = source
        self.campaign = campaign
        self.destination = destination
        self.eventName = eventName
        self.receivedAtMS = receivedAtMS
        self.state = state
        self.limited = limited
        self.reason = reason
        self.attempts = attempts
        self.identifiers = identifiers
        self.enriched = enriched
        self.enrichedBy = enrichedBy
        self.deliveredAtMS = deliveredAtMS
    }

    /// Whether the delivery needed more than one attempt (a dead letter's
    /// count includes its final, failed attempt).
    public var wasRetried: Bool { state == .dead ? attempts > 1 : attempts > 0 }
}

/// The counts of one series (destination and event name) over one period,
/// or over the whole report. Coverage, enrichment and scores count **sent**
/// events: deliveries the platform acknowledged.
public struct DeliveryTally: Sendable, Equatable {
    /// Number of identifier keys (bit positions) counted.
    public static let keyCount = IdentifierKey.allCases.count
    static let keyMask: Int64 = (1 << Int64(keyCount)) - 1

    /// Every delivery row (one per event and destination).
    public var received = 0
    /// Acknowledged by the platform.
    public var sent = 0
    /// Of `sent`, with the platform's restricted-processing flags.
    public var sentLimited = 0
    /// Still queued (or waiting for a retry).
    public var pending = 0
    public var deadLettered = 0
    public var skipped = 0
    public var suppressed = 0
    /// Needed more than one attempt.
    public var retried = 0
    public var suppressedByReason: [String: Int] = [:]
    public var skippedByReason: [String: Int] = [:]
    public var deadByCode: [String: Int] = [:]
    /// Sent events carrying each identifier (indexed by `IdentifierKey.rawValue`).
    public var coverage = [Int](repeating: 0, count: keyCount)
    /// Sent events where enrichment added each identifier.
    public var enriched = [Int](repeating: 0, count: keyCount)
    /// The same per provider.
    public var enrichedByProvider: [String: [Int]] = [:]
    /// Sum of sent events' estimated scores, with and without what
    /// enrichment added (meaningful only with a model).
    public var scoreSum = 0.0
    public var scoreWithoutEnrichmentSum = 0.0
    /// Sent events' latency from receipt to acknowledgement.
    public var latency = LatencyHistogram()

    public init() {}

    /// Sent events carrying `key`.
    public func coverage(_ key: IdentifierKey) -> Int { coverage[key.rawValue] }
    /// Sent events where enrichment added `key`.
    public func enriched(_ key: IdentifierKey) -> Int { enriched[key.rawValue] }

    /// Counts the deliveries of `cell`; `score` is the estimated score of
    /// a sent event's identifiers with and without what enrichment added,
    /// when the destination has a model. Scores are summed in the cell's
    /// key order (`n` times each), so the sums do not depend on the order
    /// the deliveries were read in.
    mutating func add(
        _ cell: DeliveryRollupCell, attribution: (String) -> [String: IdentifierSet],
        score: ((DeliveryRollupCell.Identifiers) -> (full: Double, withoutEnrichment: Double))?
    ) {
        for (outcome, n) in cell.outcomes {
            received += n
            if outcome.retried { retried += n }
            switch outcome.state {
            case .pending: pending += n
            case .skipped:
                skipped += n
                skippedByReason[outcome.reason ?? "unknown", default: 0] += n
            case .suppressed:
                suppressed += n
                suppressedByReason[outcome.reason ?? "unknown", default: 0] += n
            case .dead:
                deadLettered += n
                deadByCode[outcome.reason ?? "unknown", default: 0] += n
            case .delivered:
                sent += n
                if outcome.limited { sentLimited += n }
            }
        }
        suppressedByReason = suppressedByReason.filter { $0.value != 0 }
        skippedByReason = skippedByReason.filter { $0.value != 0 }
        deadByCode = deadByCode.filter { $0.value != 0 }
        for (key, n) in cell.identifiers.sorted(by: { $0.key < $1.key }) {
            Self.countBits(key.identifiers, times: n, into: &coverage)
            Self.countBits(key.added, times: n, into: &enriched)
            if let text = key.enrichedBy {
                for (provider, set) in attribution(text) {
                    Self.countBits(set.mask & key.identifiers, times: n, into: &enrichedByProvider[provider, default: [Int](repeating: 0, count: Self.keyCount)])
                }
            }
            if let scores = score?(key) {
                scoreSum += Double(n) * scores.full
                scoreWithoutEnrichmentSum += Double(n) * scores.withoutEnrichment
            }
        }
        for (bucket, n) in cell.latency.sorted(by: { $0.key < $1.key }) { latency.record(bucket: bucket, count: n) }
    }

    /// Adds every count of `other`.
    public mutating func merge(_ other: DeliveryTally) {
        received += other.received
        sent += other.sent
        sentLimited += other.sentLimited
        pending += other.pending
        deadLettered += other.deadLettered
        skipped += other.skipped
        suppressed += other.suppressed
        retried += other.retried
        suppressedByReason.merge(other.suppressedByReason, uniquingKeysWith: +)
        skippedByReason.merge(other.skippedByReason, uniquingKeysWith: +)
        deadByCode.merge(other.deadByCode, uniquingKeysWith: +)
        for i in 0..<Self.keyCount {
            coverage[i] += other.coverage[i]
            enriched[i] += other.enriched[i]
        }
        for (provider, counts) in other.enrichedByProvider {
            var mine = enrichedByProvider[provider] ?? [Int](repeating: 0, count: Self.keyCount)
            for i in 0..<Self.keyCount { mine[i] += counts[i] }
            enrichedByProvider[provider] = mine
        }
        scoreSum += other.scoreSum
        scoreWithoutEnrichmentSum += other.scoreWithoutEnrichmentSum
        latency.merge(other.latency)
    }

    static func countBits(_ mask: Int64, times n: Int = 1, into counts: inout [Int]) {
        var rest = mask
        while rest != 0 {
            counts[rest.trailingZeroBitCount] += n
            rest &= rest - 1
        }
    }
}
