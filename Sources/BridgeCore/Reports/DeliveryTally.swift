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

    /// Counts one row; `scores` are the estimated scores of a sent event with
    /// and without what enrichment added, when the destination has a model.
    mutating func add(_ row: DeliveryReportRow, attribution: [String: IdentifierSet], scores: (full: Double, withoutEnrichment: Double)?) {
        received += 1
        if row.wasRetried { retried += 1 }
        switch row.state {
        case .pending: pending += 1
        case .skipped:
            skipped += 1
            skippedByReason[row.reason ?? "unknown", default: 0] += 1
        case .suppressed:
            suppressed += 1
            suppressedByReason[row.reason ?? "unknown", default: 0] += 1
        case .dead:
            deadLettered += 1
            deadByCode[row.reason ?? "unknown", default: 0] += 1
        case .delivered:
            sent += 1
            if row.limited { sentLimited += 1 }
            let identifiers = row.identifiers & Self.keyMask
            let added = row.enriched & identifiers
            Self.countBits(identifiers, into: &coverage)
            Self.countBits(added, into: &enriched)
            for (provider, set) in attribution {
                Self.countBits(set.mask & identifiers, into: &enrichedByProvider[provider, default: [Int](repeating: 0, count: Self.keyCount)])
            }
            if let scores {
                scoreSum += scores.full
                scoreWithoutEnrichmentSum += scores.withoutEnrichment
            }
            if let delivered = row.deliveredAtMS { latency.record(delivered - row.receivedAtMS) }
        }
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

    static func countBits(_ mask: Int64, into counts: inout [Int]) {
        var rest = mask
        while rest != 0 {
            counts[rest.trailingZeroBitCount] += 1
            rest &= rest - 1
        }
    }
}
