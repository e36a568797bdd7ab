import BridgeCore
import BridgeStore
import Logging
import ServiceLifecycle
import Synchronization

/// Every `interval`: reads queue statistics, publishes them as gauges and
/// feeds the alert policy, with the source, backlog and SLO findings of
/// `health` when given, posting one alert per condition change (and a
/// `capi_bridge_alert_active` gauge per condition and subject); acts on
/// operators' resume requests left in the store by any instance or command,
/// and reports this instance's view of each destination there
/// (`DestinationControlStore`).
public final class QueueMonitor: Service, Sendable {
    let store: any StoreBackend
    let workers: [DestinationWorkers]
    let metrics: BridgeMetrics
    let notifier: AlertNotifier?
    let logger: Logger
    let interval: Duration
    let now: @Sendable () -> Timestamp
    let policy: Mutex<AlertPolicy>
    /// This instance's name in status reports (its lease owner).
    let instance: String
    /// Source health, prepare backlog and delivery SLOs, when watched.
    let health: HealthWatch?

    public init(
        store: any StoreBackend, workers: [DestinationWorkers], metrics: BridgeMetrics, notifier: AlertNotifier?, alertPolicy: AlertPolicy,
        logger: Logger, instance: String = "local", interval: Duration = .seconds(5), health: HealthWatch? = nil,
        now: @escaping @Sendable () -> Timestamp
    ) {
        self.health = health
        self.instance = instance
        self.store = store
        self.workers = workers
        self.metrics = metrics
        self.notifier = notifier
        self.logger = logger
        self.interval = interval
        self.now = now
        self.policy = Mutex(alertPolicy)
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            await check()
            // Cut short by a graceful shutdown, so stopping never waits for the interval.
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: self.interval) }
        }
    }

    /// The alerts raised and not yet resolved, as this instance observed them.
    public var activeAlerts: [Alert] { policy.withLock { $0.active } }

    /// One observation round; returns the alert actions it took.
    @discardableResult
    public func check() async -> [AlertAction] {
        let at = now()
        await followOperators(at: at)
        guard let stats = try? await store.queueStats(now: at) else { return [] }
        var actions: [AlertAction] = []
        // Events not yet prepared concern every destination: the store reports
        // the count on each destination's entry, or under "*" when none has one.
        metrics.unprepared(stats.values.map(\.unprepared).max() ?? 0)
        for worker in workers {
            let entry = stats[worker.name] ?? QueueStats()
            let age = entry.oldestPendingReceivedAt.map { Double(max(0, at.millisecondsSinceEpoch - $0.millisecondsSinceEpoch)) / 1000 } ?? 0
            metrics.queue(destination: worker.name, pending: entry.pending, dead: entry.dead, oldestAgeSeconds: age)
            let status = worker.breakerStatus
            switch status {
            case .closed: metrics.circuit(destination: worker.name, state: 0)
            case .open, .halfOpen: metrics.circuit(destination: worker.name, state: 1)
            case .paused: metrics.circuit(destination: worker.name, state: 2)
            }
            let observation = AlertObservation(
                destination: worker.name, breaker: status, deadLetters: entry.dead, oldestUndeliveredAt: entry.oldestPendingReceivedAt,
                auditFailingSince: worker.auditFailingSince)
            actions += policy.withLock { $0.observe(observation, now: at) }
        }
        var evaluated = workers.flatMap { worker in AlertCondition.observedPerDestination.map { ($0, AlertSubject.destination(worker.name)) } }
        if let health {
            let findings = await health.check(at: at)
            actions += policy.withLock { $0.observe(findings, now: at) }
            evaluated += findings.map { ($0.condition, $0.subject) }
        }
        let validation = workers.compactMap { $0.validationFinding() }
        actions += policy.withLock { $0.observe(validation, now: at) }
        evaluated += validation.map { ($0.condition, $0.subject) }
        let active = policy.withLock { policy in evaluated.map { policy.isActive($0.0, about: $0.1) } }
        for ((condition, subject), isActive) in zip(evaluated, active) {
            metrics.alertActive(condition, subject: subject, active: isActive)
        }
        for action in actions {
            let alert = action.alert
            var metadata: Logger.Metadata = [
                "alert.action": "\(action.isRaise ? "raise" : "resolve")", "alert.condition": "\(alert.condition.rawValue)",
                "alert.subject_kind": "\(alert.subject.kind.rawValue)", "alert.subject": "\(alert.subject.name)",
                "alert.started_at": "\(alert.startedAt.rfc3339)", "alert.detail": "\(alert.detail)",
            ]
            if case .resolve(_, let at) = action { metadata["alert.resolved_at"] = "\(at.rfc3339)" }
            logger.warning("alert", metadata: metadata)
            await notifier?.post(action)
        }
        return actions
    }

    /// Resumes destinations an operator asked to resume since this group last
    /// looked, and reports each destination's breaker state. Reports older
    /// than a day are forgotten (instances that stopped).
    func followOperators(at: Timestamp) async {
        if let requests = try? await store.resumeRequests() {
            for worker in workers {
                if let requested = requests[worker.name], worker.resume(requestedAt: requested) {
                    logger.info("destination resumed at an operator's request", metadata: ["destination.name": "\(worker.name)"])
                }
            }
        }
        let statuses = workers.map { worker in
            DestinationStatus(instance: instance, destination: worker.name, breaker: worker.breakerStatus, reportedAt: at)
        }
        try? await store.publishDestinationStatus(statuses, instance: instance, forgetBefore: at.advanced(by: .seconds(-86_400)))
    }
}
