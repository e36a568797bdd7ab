import BridgeCore
import BridgeStore
import Logging
import ServiceLifecycle

/// The reconciliations `serve` runs itself, as one `Service`:
///
/// - runs queued by `POST /v1/reconciliations` (any instance sharing the
///   store takes them; two never take the same one), looked for every
///   `pollInterval`;
/// - with `reconciliation.daily_at`, each listed source once a day over the
///   window ending at the slot (`ReconciliationSchedule`), under the store's
///   reconciliation lock so that of several instances on one PostgreSQL
///   database one runs it, and only if no run of that slot exists yet (a
///   slot missed while the bridge was down is caught up once at start).
///
/// At start it marks the runs a previous incarnation left `running` as failed.
public final class ReconciliationService: Service, Sendable {
    let runner: ReconciliationRunner
    let store: any StoreBackend
    let schedule: ReconciliationSchedule?
    let scheduledSources: [String]
    let scheduledBackfill: Bool
    let owner: String
    let recovery: LeaseOwnerMatch?
    let pollInterval: Duration
    let logger: Logger
    let now: @Sendable () -> Timestamp

    /// - Parameters:
    ///   - owner: this process's name in run records (its lease owner).
    ///   - recovery: whose interrupted runs to fail at start (`nil`: none).
    public init(
        runner: ReconciliationRunner, store: any StoreBackend, config: ReconciliationConfig, owner: String, recovery: LeaseOwnerMatch?,
        logger: Logger, pollInterval: Duration = .seconds(1), now: @escaping @Sendable () -> Timestamp = { Timestamp.now() }
    ) {
        self.runner = runner
        self.store = store
        self.schedule = config.schedule
        self.scheduledSources = config.sources.map(\.source)
        self.scheduledBackfill = config.backfill
        self.owner = owner
        self.recovery = recovery
        self.pollInterval = pollInterval
        self.logger = logger
        self.now = now
    }

    public func run() async throws {
        if let recovery, let failed = try? await store.failInterruptedReconciliations(ownedBy: recovery, now: now()), failed > 0 {
            logger.info("marked reconciliations of a previous run as interrupted", metadata: ["reconciliation.count": "\(failed)"])
        }
        var nextScheduleCheck = Timestamp(millisecondsSinceEpoch: 0)
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            await runQueued()
            if let schedule, now() >= nextScheduleCheck {
                nextScheduleCheck = await runSchedule(schedule)
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: self.pollInterval) }
        }
    }

    /// Runs every queued run, oldest first.
    @discardableResult
    public func runQueued() async -> [ReconciliationRun] {
        var done: [ReconciliationRun] = []
        while !Task.isShuttingDownGracefully, let run = try? await store.claimQueuedReconciliation(owner: owner, now: now()) {
            done.append(await execute(run))
        }
        return done
    }

    /// Runs `run` with the client its source's configuration gives now.
    func execute(_ run: ReconciliationRun) async -> ReconciliationRun {
        do {
            let client = try runner.orderSource(for: run.source, backfill: run.backfill)
            return await runner.execute(run, client: client)
        } catch {
            var failed = run
            failed.state = .failed
            failed.error = ReconciliationRunner.describe(error)
            failed.finishedAt = now()
            try? await store.saveReconciliationRun(failed)
            return failed
        }
    }

    /// How long a failed scheduled run waits before its slot is tried again.
    static let retryFailedSlotAfter: Duration = .seconds(900)

    /// Runs the due slot of every scheduled source; returns when to look again.
    @discardableResult
    public func runSchedule(_ schedule: ReconciliationSchedule) async -> Timestamp {
        let at = now()
        var next = schedule.nextSlot(after: at)
        for source in scheduledSources {
            let last = try? await store.lastScheduledReconciliation(source: source, completedOnly: false)
            guard case .run(let slot) = schedule.decide(now: at, lastRun: last?.slot) else { continue }
            let outcome: ReconciliationRun.State?? = try? await store.withReconciliationLock { [self] () async -> ReconciliationRun.State? in
                // Another instance may have run this slot while this one waited.
                let latest = try? await store.lastScheduledReconciliation(source: source, completedOnly: false)
                guard case .run = schedule.decide(now: at, lastRun: latest?.slot) else { return nil }
                let backfill = scheduledBackfill && ((try? runner.orderSource(for: source, backfill: true)) != nil)
                let run = runner.newRun(
                    source: source, window: schedule.window(endingAt: slot), backfill: backfill, trigger: .schedule, state: .running, owner: owner,
                    slot: slot)
                return await execute(run).state
            }
            switch outcome {
            case nil:
                // The lock is held elsewhere (another instance runs the schedule), or the
                // store did not answer: look again in a minute.
                next = min(next, at.advanced(by: .seconds(60)))
            case .some(.some(.failed)):
                // A failed slot is tried again, but not at once: the source may be down.
                next = min(next, at.advanced(by: Self.retryFailedSlotAfter))
            default:
                break
            }
        }
        return next
    }
}
