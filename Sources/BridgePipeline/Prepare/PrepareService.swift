import BridgeCore
import BridgeStore
import Logging
import ServiceLifecycle

/// The prepare worker: claims stored events under a lease, runs the
/// preparation stage for every destination, stores the deliveries and erases
/// the sealed identifiers — all deliveries of an event in one transaction.
/// A crashed worker's claims return to the queue when their lease expires.
public struct PrepareService: Service {
    let store: any StoreBackend
    let stage: PreparationStage
    let sealer: IdentifierSealer
    let metrics: BridgeMetrics
    let logger: Logger
    let audit: AuditLog?
    let owner: String
    let batchSize: Int
    let lease: LeasePolicy
    let heartbeat: LeaseHeartbeat
    let idlePoll: Duration
    let now: @Sendable () -> Timestamp

    public init(
        store: any StoreBackend, stage: PreparationStage, sealer: IdentifierSealer, metrics: BridgeMetrics, logger: Logger,
        audit: AuditLog? = nil, owner: String, batchSize: Int = 512, lease: LeasePolicy = .standard, idlePoll: Duration = .milliseconds(25),
        now: @escaping @Sendable () -> Timestamp
    ) {
        self.store = store
        self.stage = stage
        self.sealer = sealer
        self.metrics = metrics
        self.logger = logger
        self.audit = audit
        self.owner = owner
        self.batchSize = batchSize
        self.lease = lease
        self.heartbeat = LeaseHeartbeat(store: store, kind: .preparation, owner: owner, policy: lease, logger: logger, now: now)
        self.idlePoll = idlePoll
        self.now = now
    }

    /// Runs two loops: while one waits for the database, the other normalizes
    /// and hashes (claims are disjoint, so they never prepare the same event).
    public func run() async throws {
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<2 {
                group.addTask {
                    while !Task.isShuttingDownGracefully, !Task.isCancelled {
                        do {
                            let prepared = try await prepareOnce()
                            if prepared == 0 { try? await Task.sleep(for: idlePoll) }
                        } catch {
                            logger.warning("prepare failed; retrying", metadata: ["error.type": "\(type(of: error))", "error": "\(error)"])
                            try? await Task.sleep(for: .seconds(1))
                        }
                    }
                }
            }
        }
    }

    /// Claims and prepares one batch; returns how many events it prepared.
    @discardableResult
    public func prepareOnce() async throws(StoreError) -> Int {
        let started = now()
        let events = try await store.claimForPreparation(
            limit: batchSize, owner: owner, leaseUntil: lease.leaseUntil(from: started), now: started)
        guard !events.isEmpty else { return 0 }
        let prepared = await heartbeat.holding(events.map(\.sequence)) { await prepareConcurrently(events) }
        try await store.recordPreparation(prepared, owner: owner, now: now())
        var decisions: [String: [JSONValue]] = [:]
        let ids = Dictionary(uniqueKeysWithValues: events.map { ($0.sequence, $0.eventID) })
        let sources = Dictionary(uniqueKeysWithValues: events.map { ($0.sequence, $0.source) })
        for event in prepared {
            for delivery in event.deliveries {
                metrics.prepared(
                    destination: delivery.destination, source: sources[event.eventSequence] ?? "", state: delivery.state.rawValue,
                    consent: delivery.consentAction, reason: delivery.consentReason)
                decisions[delivery.destination, default: []].append(
                    .object([
                        "event_id": .string(ids[event.eventSequence] ?? ""),
                        "consent": .string("\(delivery.consentAction):\(delivery.consentReason)"),
                        "state": .string(delivery.state.rawValue),
                    ]))
            }
        }
        if let audit, !decisions.isEmpty {
            // The consent decisions of the batch, so the audit chain shows that consent was respected.
            do {
                try await audit.note(
                    kind: "consent_decisions", destination: "*", batchID: "prepare-\(owner)-\(events[0].sequence)",
                    eventIDs: events.map(\.eventID), details: ["decisions": .object(decisions.mapValues { .array($0) })], at: now())
            } catch {
                logger.error("audit log write failed", metadata: ["error.type": "\(type(of: error))"])
            }
        }
        logger.debug("prepared events", metadata: ["batch.size": "\(events.count)"])
        return events.count
    }

    /// Prepares on up to two tasks (the CPU work is normalization and
    /// hashing), or as many as the enrichment stage prefers when it waits on
    /// the network.
    func prepareConcurrently(_ events: [StoredEvent]) async -> [PreparedEvent] {
        let lanes = max(1, min(events.count / 16, stage.enrichmentConcurrency))
        let size = (events.count + lanes - 1) / lanes
        let chunks = stride(from: 0, to: events.count, by: max(1, size)).map { events[$0..<min($0 + size, events.count)] }
        return await withTaskGroup(of: [PreparedEvent].self) { group in
            for chunk in chunks {
                group.addTask {
                    var out: [PreparedEvent] = []
                    out.reserveCapacity(chunk.count)
                    for stored in chunk { out.append(await prepare(stored)) }
                    return out
                }
            }
            var all: [PreparedEvent] = []
            for await part in group { all += part }
            return all
        }
    }

    func prepare(_ stored: StoredEvent) async -> PreparedEvent {
        // No destination configured: preparing only erases the sealed identifiers.
        guard !stage.routes.isEmpty else { return PreparedEvent(eventSequence: stored.sequence, deliveries: []) }
        let event: ConversionEvent
        do {
            event = try stored.restore(with: sealer)
        } catch {
            // Sealed with another key (an ephemeral development key before a
            // restart): the event goes on without identifiers.
            logger.warning("sealed identifiers cannot be opened; preparing without them", metadata: ["event.sequence": "\(stored.sequence)"])
            let restored = (try? stored.restore(with: nil))
            guard let restored else { return PreparedEvent(eventSequence: stored.sequence, deliveries: []) }
            event = restored
        }
        let prepared = await stage.prepareWithEnrichment(event, now: now())
        logger.debug("event prepared", metadata: Self.preparedMetadata(stored, deliveries: prepared.deliveries.count))
        return PreparedEvent(
            eventSequence: stored.sequence, deliveries: prepared.deliveries, clientSealed: prepared.clientSealed,
            identityObservation: prepared.identity, campaign: event.attribution[.campaign])
    }

    /// The fields of the `event prepared` line (no personal data: the
    /// event's sequence, source and trace id).
    static func preparedMetadata(_ stored: StoredEvent, deliveries: Int) -> Logger.Metadata {
        var fields: Logger.Metadata = [
            "event.sequence": "\(stored.sequence)", "source.name": .string(stored.source), "delivery.count": "\(deliveries)",
        ]
        if let trace = stored.traceParent { fields["trace_id"] = .string(trace.traceID) }
        return fields
    }
}
