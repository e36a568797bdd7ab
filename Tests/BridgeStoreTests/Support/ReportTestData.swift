import BridgeCore
import BridgeStore
import Foundation

/// A deterministic pseudo-random stream (SplitMix64) for generated test data.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// One delivery as a report test wants it stored: the store is driven
/// through preparation, claims and outcomes until its row holds exactly
/// these values, so the report rows it must read are known.
struct PlannedDelivery: Sendable {
    var eventID: String
    var destination: String
    var eventName: EventName
    var isTest: Bool
    var receivedAtMS: Int64
    /// The final state.
    var state: DeliveryState
    var consentAction: String
    var consentReason: String
    var skipReason: String?
    var deadCode: String?
    /// Failed attempts before the final outcome (a dead letter's last attempt comes on top).
    var retries: Int
    var identifiers: Int64
    var enriched: Int64
    var enrichedBy: [String: IdentifierSet]
    /// Receipt to acknowledgement, for a delivered one.
    var latencyMS: Int64

    var attempts: Int { state == .dead ? retries + 1 : retries }
    var deliveredAtMS: Int64? { state == .delivered ? receivedAtMS + latencyMS : nil }

    /// What preparation stores: queued unless suppressed or skipped.
    var newDelivery: NewDelivery {
        let queued = state != .suppressed && state != .skipped
        return NewDelivery(
            destination: destination, state: queued ? .pending : state, payload: queued ? Array("{\"h\":1}".utf8) : nil,
            consentAction: consentAction, consentReason: consentReason, skipReason: skipReason, identifiers: IdentifierSet(mask: identifiers),
            enriched: IdentifierSet(mask: enriched), enrichedBy: enrichedBy)
    }

    /// The row a report must read for this delivery.
    var reportRow: DeliveryReportRow {
        let reason: String? =
            switch state {
            case .suppressed: consentReason
            case .skipped: skipReason
            case .dead: deadCode
            case .pending, .delivered: nil
            }
        return DeliveryReportRow(
            destination: destination, eventName: eventName.rawValue, receivedAtMS: receivedAtMS,
            state: ReportDeliveryState(rawValue: state.rawValue) ?? .pending, limited: consentAction == "send_limited", reason: reason,
            attempts: attempts, identifiers: identifiers, enriched: enriched, enrichedBy: EnrichmentAttribution.encode(enrichedBy),
            deliveredAtMS: deliveredAtMS)
    }

    /// One column of the report index's key: NULL first, then values (text byte-wise: the test data is ASCII).
    enum IndexValue: Comparable {
        case null
        case int(Int64)
        case text(String)

        init(_ text: String?) { self = text.map(IndexValue.text) ?? .null }
        init(_ int: Int64?) { self = int.map(IndexValue.int) ?? .null }
    }

    /// This delivery's key in `deliveries_report_scan`, the order both stores
    /// fold report rows in.
    var indexKey: [IndexValue] {
        [
            IndexValue(receivedAtMS), IndexValue(destination), IndexValue(eventName.rawValue), IndexValue(Int64(isTest ? 1 : 0)),
            IndexValue(state.rawValue), IndexValue(consentAction), IndexValue(consentReason), IndexValue(skipReason), IndexValue(deadCode),
            IndexValue(Int64(attempts)), IndexValue(identifiers), IndexValue(enriched), IndexValue(EnrichmentAttribution.encode(enrichedBy)),
            IndexValue(deliveredAtMS),
        ]
    }

    /// The tally a report over `plans` must give for `query`: the covered
    /// rows folded in the index's order.
    static func expectedTally(_ plans: [PlannedDelivery], _ query: ReportQuery) -> ReportTally {
        let covered = plans.filter {
            $0.receivedAtMS >= query.since.millisecondsSinceEpoch && $0.receivedAtMS < query.until.millisecondsSinceEpoch
                && (query.destination == nil || $0.destination == query.destination)
                && (query.eventName == nil || $0.eventName.rawValue == query.eventName) && (query.includeTest || !$0.isTest)
        }
        var accumulator = ReportAccumulator(query: query)
        for plan in covered.sorted(by: { $0.indexKey.lexicographicallyPrecedes($1.indexKey) }) { accumulator.add(plan.reportRow) }
        return accumulator.tally
    }

    /// `events` events with a delivery to `meta` and one to `sandbox` each,
    /// received over about seven hours from `start` in shuffled order, with
    /// every state, reason, retry count, identifier combination and
    /// enrichment attribution the report distinguishes.
    static func generate(events: Int, start: Timestamp, seed: UInt64) -> [PlannedDelivery] {
        var random = SeededGenerator(seed: seed)
        let names: [EventName] = [.purchase, .addToCart, .lead]
        let providers = ["clicks", "crm", "graph"]
        var plans: [PlannedDelivery] = []
        for index in 0..<events {
            let eventName = names.randomElement(using: &random) ?? .purchase
            let isTest = Int.random(in: 0..<10, using: &random) == 0
            let receivedAt = start.millisecondsSinceEpoch + Int64.random(in: 0..<40, using: &random) * 623_000
            for destination in ["meta", "sandbox"] {
                var plan = PlannedDelivery(
                    eventID: "report:\(index)", destination: destination, eventName: eventName, isTest: isTest, receivedAtMS: receivedAt,
                    state: .delivered, consentAction: "send", consentReason: "granted", retries: 0,
                    identifiers: Int64.random(in: 0..<(1 << Int64(DeliveryTally.keyCount)), using: &random), enriched: 0, enrichedBy: [:],
                    latencyMS: [250, 800, 1_500, 4_000, 9_000].randomElement(using: &random) ?? 250)
                plan.enriched = plan.identifiers & Int64.random(in: 0..<(1 << 24), using: &random) & Int64.random(in: 0..<(1 << 24), using: &random)
                for key in IdentifierSet(mask: plan.enriched) {
                    plan.enrichedBy[providers.randomElement(using: &random) ?? "graph", default: IdentifierSet()].insert(key)
                }
                let roll = Int.random(in: 0..<100, using: &random)
                switch roll {
                case 0..<8:
                    plan.state = .suppressed
                    plan.consentAction = "suppress"
                    plan.consentReason = ["denied_consent_mode", "no_consent"].randomElement(using: &random) ?? "no_consent"
                case 8..<14:
                    plan.state = .skipped
                    plan.skipReason = ["no_identifier", "test_event"].randomElement(using: &random)
                case 14..<22:
                    plan.state = .dead
                    plan.deadCode = ["invalid_parameters", "expired"].randomElement(using: &random)
                    plan.retries = Int.random(in: 0...2, using: &random)
                case 22..<28:
                    plan.state = .pending
                    plan.retries = Int.random(in: 0...1, using: &random)
                default:
                    plan.retries = Int.random(in: 0..<6, using: &random) / 2
                    if Int.random(in: 0..<6, using: &random) == 0 {
                        plan.consentAction = "send_limited"
                        plan.consentReason = "gpc_opt_out"
                    }
                }
                plans.append(plan)
            }
        }
        return plans
    }
}

extension StoreTestCase {
    /// Drives `store` until its deliveries are exactly `plans`: ingests the
    /// events (one request per receipt time), prepares them, then claims
    /// and completes deliveries round by round (retries first, then the
    /// final outcome; a delivered one at its receipt time plus its latency).
    func seed(_ store: any StoreBackend, plans: [PlannedDelivery]) async throws {
        let byEvent = Dictionary(grouping: plans, by: \.eventID)
        let events = byEvent.values.compactMap(\.first)
        for (receivedAt, batch) in Dictionary(grouping: events, by: \.receivedAtMS).sorted(by: { $0.key > $1.key }) {
            let records = batch.sorted { $0.eventID < $1.eventID }.map { plan in
                IngestEvent(
                    event: ConversionEvent(
                        eventID: plan.eventID, eventName: plan.eventName, eventTime: Timestamp(millisecondsSinceEpoch: receivedAt - 60_000),
                        source: "backend", isTest: plan.isTest))
            }
            _ = try await store.ingest(request(records, keys: ["report-\(receivedAt)"], receivedAt: Timestamp(millisecondsSinceEpoch: receivedAt)))
        }
        let latest = plans.map(\.receivedAtMS).max() ?? 0
        let now = Timestamp(millisecondsSinceEpoch: latest + 86_400_000)
        let lease = now.advanced(by: .seconds(3600))
        let claimed = try await store.claimForPreparation(limit: events.count, owner: "seeder", leaseUntil: lease, now: now)
        try await store.recordPreparation(
            claimed.map { event in
                PreparedEvent(eventSequence: event.sequence, deliveries: (byEvent[event.eventID] ?? []).map(\.newDelivery))
            }, owner: "seeder", now: now)
        let planned = Dictionary(uniqueKeysWithValues: plans.map { ("\($0.destination)/\($0.eventID)", $0) })
        for _ in 0..<5 {
            var later: [DeliveryOutcome] = []
            var delivered: [Timestamp: [DeliveryOutcome]] = [:]
            for destination in ["meta", "sandbox"] {
                for delivery in try await store.claimDeliveries(
                    destination: destination, limit: 10_000, maxBytes: 1 << 40, owner: "seeder", leaseUntil: lease, now: now)
                {
                    guard let plan = planned["\(destination)/\(delivery.eventID)"] else { continue }
                    if delivery.attempts < plan.retries {
                        later.append(.retry(id: delivery.id, at: now, status: 503, error: "unavailable"))
                        continue
                    }
                    switch plan.state {
                    case .delivered:
                        delivered[Timestamp(millisecondsSinceEpoch: plan.deliveredAtMS ?? 0), default: []].append(
                            .delivered(id: delivery.id, batchID: "b", status: 200))
                    case .dead: later.append(.dead(id: delivery.id, code: plan.deadCode ?? "unknown", message: "refused", status: 400))
                    default: later.append(.release(id: delivery.id, at: now.advanced(by: .seconds(864_000))))
                    }
                }
            }
            if later.isEmpty && delivered.isEmpty { return }
            try await store.complete(later, owner: "seeder", now: now)
            for (at, outcomes) in delivered { try await store.complete(outcomes, owner: "seeder", now: at) }
        }
    }
}
