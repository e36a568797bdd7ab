import BridgeCore
import BridgeDestinations
import BridgePipeline
import BridgeReconcile
import BridgeSources
import BridgeStore
import Logging

/// Runs one reconciliation from start to stored result, the same way for
/// `capi-bridge reconcile`, `POST /v1/reconciliations` and the schedule:
///
/// 1. read the source's paid orders over the window (widened by
///    `ReconciliationWindow.edgeSlack` for matching);
/// 2. read the bridge's purchase events over the same span and those with
///    the orders' event ids, each with its deliveries, and the erased ids;
/// 3. compare (`Reconciler`);
/// 4. with backfill, store each missing order's event through the normal
///    ingest path (`IngestService.backfill`), mark it (`events.backfill_run`),
///    append an audit note, and count per destination those older than it
///    accepts (they are dead-lettered as `event_too_old` when sent);
/// 5. for scheduled runs, decide the reconciliation alert (`ReconciliationAlertPolicy`);
/// 6. store the run with its report; publish metrics.
///
/// A failure at any step is stored as a failed run with its reason; nothing
/// it found is lost (what a backfill committed stays, and the next run sees it).
public struct ReconciliationRunner: Sendable {
    let config: BridgeConfig
    let store: any StoreBackend
    let ingest: IngestService
    let audit: AuditLog?
    let notifier: AlertNotifier?
    let metrics: BridgeMetrics
    let logger: Logger
    let http: SourceHTTP
    let now: @Sendable () -> Timestamp
    /// The configured destinations, in order, with the age limit each applies before sending.
    let destinations: [(name: String, ageLimit: EventAgeLimit)]

    /// - Parameters:
    ///   - audit: where backfill notes go (`nil`: none).
    ///   - notifier: where scheduled runs' alerts go (`nil`: logged only).
    /// - Throws: `ConfigError` when the destinations cannot be built.
    public init(
        config: BridgeConfig, store: any StoreBackend, ingest: IngestService, audit: AuditLog?, notifier: AlertNotifier?, metrics: BridgeMetrics,
        logger: Logger, http: SourceHTTP, now: @escaping @Sendable () -> Timestamp = { Timestamp.now() }
    ) throws(ConfigError) {
        self.config = config
        self.store = store
        self.ingest = ingest
        self.audit = audit
        self.notifier = notifier
        self.metrics = metrics
        self.logger = logger
        self.http = http
        self.now = now
        self.destinations = try PipelineFactory.routes(config).map { route, settings in
            let limits = route.destination.limits
            let unbounded = (try? EventAgeLimit(
                maxAge: .seconds(limits.maxEventAgeSeconds), safetyMargin: .zero, futureTolerance: .seconds(limits.maxFutureSkewSeconds))) ?? .meta
            return (route.destination.name, settings.retry.eventAge ?? unbounded)
        }
    }

    /// The client that reads `source`'s records (`ordersFile` for a custom
    /// backend's export), checked before anything is stored.
    /// - Throws: `ReconciliationRequestError`, or `SourceClientError` for a refused URL.
    public func orderSource(for source: String, ordersFile: String? = nil, backfill: Bool) throws -> any OrderSource {
        let client = try OrderSourceFactory.make(source: source, ordersFile: ordersFile, config: config, http: http, logger: logger)
        if backfill, !client.canBackfill { throw ReconciliationRequestError.backfillNotPossible(source: source) }
        return client
    }

    /// A new run record.
    public func newRun(
        source: String, window: ReconciliationWindow, backfill: Bool, trigger: ReconciliationRun.Trigger, state: ReconciliationRun.State,
        owner: String?, slot: Timestamp? = nil
    ) -> ReconciliationRun {
        let at = now()
        return ReconciliationRun(
            id: ReconciliationRun.newID(at: at), source: source, trigger: trigger, state: state, since: window.since, until: window.until,
            backfill: backfill, requestedAt: at, startedAt: state == .running ? at : nil, slot: slot, owner: owner)
    }

    /// Runs `run` with `client`, stores the outcome and returns it (completed
    /// with its report, or failed with its reason). Never throws.
    public func execute(_ run: ReconciliationRun, client: any OrderSource) async -> ReconciliationRun {
        var run = run
        run.state = .running
        run.startedAt = run.startedAt ?? now()
        try? await store.saveReconciliationRun(run)
        logger.info("reconciliation started", metadata: ["reconciliation.id": "\(run.id)", "source.name": "\(run.source)"])
        do {
            var (report, events) = try await compare(run, client: client)
            if run.backfill, client.canBackfill { report = try await backfill(report, events: events, run: run) }
            if run.trigger == .schedule { run.alertSince = await decideAlert(report, run: run) }
            run.state = .completed
            run.summary = ReconciliationRun.Summary(report)
            run.report = JSONWriter.bytes(report.json())
            metrics.reconciliationFindings(report)
            logger.info(
                "reconciliation completed",
                metadata: [
                    "reconciliation.id": "\(run.id)", "source.name": "\(run.source)", "orders": "\(report.totals.orders.count)",
                    "orders.missing": "\(report.missing.count)", "orders.backfilled": "\(report.totals.backfilled.count)",
                ])
        } catch {
            run.state = .failed
            run.error = Self.describe(error)
            logger.warning(
                "reconciliation failed", metadata: ["reconciliation.id": "\(run.id)", "source.name": "\(run.source)", "error.message": "\(run.error ?? "")"])
        }
        run.finishedAt = now()
        metrics.reconciliationRun(source: run.source, trigger: run.trigger.rawValue, outcome: run.state.rawValue)
        do { try await store.saveReconciliationRun(run) } catch {
            logger.error("reconciliation result could not be stored", metadata: ["reconciliation.id": "\(run.id)", "error.message": "\(error)"])
        }
        return run
    }

    /// Steps 1–3: both sides, compared.
    /// - Returns: the report, and the events the source's orders map to (for a backfill).
    func compare(_ run: ReconciliationRun, client: any OrderSource) async throws -> (ReconciliationReport, [String: ConversionEvent]) {
        let window = try ReconciliationWindow(since: run.since, until: run.until)
        let fetched = try await client.orders(since: window.matchingSince, until: window.matchingUntil)
        let ids = fetched.orders.compactMap(\.eventID)
        let events = try await store.reconciliationEvents(source: run.source, from: window.matchingSince, to: window.matchingUntil, eventIDs: ids)
        let held = Set(events.map(\.eventID))
        let erased = try await store.erasedEventIDs(source: run.source, among: ids.filter { !held.contains($0) })
        var report = Reconciler.reconcile(
            Reconciler.Input(
                source: run.source, sourceKind: ReconciliationConfig.kind(of: run.source, in: config) ?? client.description, window: window,
                destinations: destinations.map(\.name), orders: fetched.orders, events: events, erasedEventIDs: erased,
                joinOnOrderID: client.joinsOnOrderID),
            generatedAt: now())
        report.unreadableOrders = fetched.unreadable
        return (report, fetched.events)
    }
}
