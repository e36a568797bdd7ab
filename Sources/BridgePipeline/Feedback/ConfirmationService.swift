import BridgeCore
import BridgeDestinations
import BridgeStore
import Logging
import ServiceLifecycle

/// Looks up the final status of requests a platform accepted but processes
/// later (Data Manager `requestStatus:retrieve`), every `interval`: claims
/// due requests from the store under a lease (so several instances on
/// PostgreSQL look each up once), sends one lookup per request with the
/// destination's token, and records what it says: deliveries `confirmed`,
/// dead letters `rejected_later` for a failed request, a partly rejected
/// request with the platform's counts per reason, or `unconfirmed` when no
/// final status came before the schedule's deadline. Not final yet: looked
/// up again with exponential backoff (`ConfirmationSchedule`).
public final class ConfirmationService: Service, Sendable {
    let store: any StoreBackend
    let workers: [DestinationWorkers]
    let transport: any Transport
    let audit: AuditLog?
    let metrics: BridgeMetrics
    let logger: Logger
    let owner: String
    let interval: Duration
    let batchSize: Int
    let lease: Duration
    let now: @Sendable () -> Timestamp

    public init(
        store: any StoreBackend, workers: [DestinationWorkers], transport: any Transport, audit: AuditLog?, metrics: BridgeMetrics, logger: Logger,
        owner: String, interval: Duration = .seconds(60), batchSize: Int = 50, lease: Duration = .seconds(120),
        now: @escaping @Sendable () -> Timestamp
    ) {
        self.store = store
        self.workers = workers
        self.transport = transport
        self.audit = audit
        self.metrics = metrics
        self.logger = logger
        self.owner = owner
        self.interval = interval
        self.batchSize = batchSize
        self.lease = lease
        self.now = now
    }

    /// Whether any configured destination confirms later (else the service idles).
    public var hasWork: Bool { workers.contains { $0.destination.confirmer != nil } }

    public func run() async throws {
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            if hasWork { await pollOnce() }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: self.interval) }
        }
    }

    /// One round: looks up every due request (in batches of `batchSize`);
    /// returns how many were looked up.
    @discardableResult
    public func pollOnce() async -> Int {
        var looked = 0
        while !Task.isCancelled {
            let at = now()
            let claimed: [PendingConfirmation]
            do {
                claimed = try await store.claimConfirmations(limit: batchSize, owner: owner, leaseUntil: at.advanced(by: lease), now: at)
            } catch {
                logger.warning("could not claim requests awaiting confirmation", metadata: ["error": "\(error)"])
                return looked
            }
            guard !claimed.isEmpty else { return looked }
            await withTaskGroup(of: Void.self) { group in
                for pending in claimed { group.addTask { await self.check(pending) } }
            }
            looked += claimed.count
            if claimed.count < batchSize { return looked }
        }
        return looked
    }

    /// Looks up one request and records the result.
    func check(_ pending: PendingConfirmation) async {
        let verdict: ConfirmationVerdict
        let worker = workers.first { $0.name == pending.destination }
        if let worker, let confirmer = worker.destination.confirmer {
            verdict = await lookUp(pending, confirmer: confirmer, worker: worker)
        } else {
            verdict = .refused(message: "destination \(pending.destination) no longer configured for confirmation")
        }
        let at = now()
        let schedule = worker?.settings.confirmation ?? ConfirmationSchedule()
        let resolution = Self.resolution(for: verdict, pending: pending, schedule: schedule, now: at)
        metrics.confirmationPoll(destination: pending.destination, outcome: Self.label(resolution))
        let applied: Bool
        do {
            applied = try await store.resolveConfirmation(id: pending.id, resolution, owner: owner, now: at)
        } catch {
            logger.warning("could not record a confirmation", metadata: ["destination.name": "\(pending.destination)", "error": "\(error)"])
            return
        }
        guard applied else { return }
        await report(resolution, for: pending, at: at)
    }

    /// Sends the status lookup with the destination's token.
    func lookUp(_ pending: PendingConfirmation, confirmer: any DeliveryConfirmer, worker: DestinationWorkers) async -> ConfirmationVerdict {
        let destination = worker.destination
        var request = confirmer.statusRequest(requestID: pending.requestID)
        if let tokens = worker.tokens {
            switch await tokens.token(now: now()) {
            case .token(let token): request = destination.authorizing(request, with: token.value)
            case .refused(let message): return .refused(message: "no access token: \(message)")
            case .unavailable(let reason): return .retry(reason: "no access token: \(reason)")
            }
        }
        switch await transport.send(request, timeout: worker.settings.timeout) {
        case .reply(let reply): return confirmer.readStatus(reply)
        case .failed(let reason): return .retry(reason: "no answer: \(reason)")
        }
    }

    /// What to record for a lookup's verdict: final states as they are;
    /// not final (or the lookup failed for now) looked up again with backoff
    /// until the deadline, then `unconfirmed`.
    static func resolution(for verdict: ConfirmationVerdict, pending: PendingConfirmation, schedule: ConfirmationSchedule, now: Timestamp)
        -> ConfirmationResolution
    {
        let request = "request \(pending.requestID)"
        switch verdict {
        case .confirmed:
            return .confirmed
        case .rejected(let counts):
            return .rejected(counts, message: "\(request) FAILED after acceptance: \(counts.summary.isEmpty ? "no reason given" : counts.summary)")
        case .partlyRejected(let counts):
            let of = counts.recordCount.map { " of \($0)" } ?? ""
            return .partlyRejected(
                counts,
                message: "\(request) PARTIAL_SUCCESS: \(counts.total)\(of) rows rejected (\(counts.summary)); the platform does not say which rows")
        case .refused(let message):
            return .unconfirmed(message: "\(request): status lookup refused: \(message)")
        case .processing, .retry:
            guard now < pending.deadline else {
                return .unconfirmed(message: "\(request): no final status by \(pending.deadline.rfc3339)")
            }
            var note: String?
            if case .retry(let reason) = verdict { note = reason }
            return .pollAgain(at: schedule.nextPoll(after: pending.polls + 1, now: now, deadline: pending.deadline), note: note)
        }
    }

    static func label(_ resolution: ConfirmationResolution) -> String {
        switch resolution {
        case .pollAgain: "not_final"
        default: resolution.state
        }
    }

    /// Metrics, diagnostics and an audit note for a final resolution.
    func report(_ resolution: ConfirmationResolution, for pending: PendingConfirmation, at: Timestamp) async {
        let name = pending.destination
        var diagnostics: [DeliveryDiagnostic] = []
        switch resolution {
        case .pollAgain:
            return
        case .confirmed:
            metrics.deliveriesConfirmed(destination: name, count: pending.deliveryIDs.count)
        case .rejected(let counts, let message), .partlyRejected(let counts, let message):
            var reasons = counts.byReason
            if case .rejected = resolution {
                // Every row failed: count every delivery, under the reasons given.
                let missing = pending.deliveryIDs.count - counts.total
                if missing > 0 { reasons["PROCESSING_ERROR_REASON_UNSPECIFIED", default: 0] += missing }
            }
            for (reason, rows) in reasons.sorted(by: { $0.key < $1.key }) {
                metrics.deliveriesRejectedLater(destination: name, reason: reason, count: rows)
                diagnostics.append(DeliveryDiagnostic(kind: .rejectedLater, code: reason, detail: message, count: rows))
            }
            logger.warning(
                "rows rejected after acceptance",
                metadata: ["destination.name": "\(name)", "request.id": "\(pending.requestID)", "reasons": "\(counts.summary)"])
        case .unconfirmed(let message):
            logger.info("request left unconfirmed", metadata: ["destination.name": "\(name)", "request.id": "\(pending.requestID)", "detail": "\(message)"])
        }
        if !diagnostics.isEmpty {
            try? await store.recordDiagnostics(diagnostics.map { DiagnosticEntry(destination: name, diagnostic: $0, at: at) })
        }
        guard let audit else { return }
        var details: [String: JSONValue] = ["request_id": .string(pending.requestID), "state": .string(resolution.state)]
        switch resolution {
        case .rejected(let counts, _), .partlyRejected(let counts, _):
            details["rejected"] = .object(counts.byReason.mapValues { .number(String($0)) })
            if let records = counts.recordCount { details["record_count"] = .number(String(records)) }
        case .unconfirmed(let message):
            details["message"] = .string(message)
        default:
            break
        }
        try? await audit.note(kind: "confirmation", destination: name, batchID: pending.batchID, eventIDs: [], details: details, at: at)
    }
}
