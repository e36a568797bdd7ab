import AsyncHTTPClient
import BridgeCore
import BridgePipeline
import BridgeReconcile
import BridgeStore
import Crypto
import Foundation
import Hummingbird
import Logging
import Metrics
import Prometheus
import ServiceLifecycle
import UnixSignals

/// A whole bridge: ingest (HTTP) and the pipeline (prepare, deliver, monitor)
/// over one store, with the process's one HTTP client.
public struct BridgeRuntime: Sendable {
    public let components: BridgeComponents
    public let pipeline: PipelineSetup
    public let httpClient: HTTPClient
    public let audit: AuditLog
    public let retention: RetentionService
    /// Queued and scheduled reconciliations.
    public let reconciliation: ReconciliationService
    /// The name this process's leases are taken under (`<instance>/<incarnation>`).
    public let owner: String

    /// The process's one HTTP client. Up to 64 HTTP/1.1 connections per
    /// host (AsyncHTTPClient's default is 8): GA4 takes one buyer per
    /// request, so a busy destination needs many requests in flight where the
    /// platform does not offer HTTP/2.
    ///
    /// Redirects are never followed (AsyncHTTPClient follows up to 5 by
    /// default): a 3xx from a destination, a token endpoint or an enrichment
    /// provider is an answer like any other, classified by its caller, so
    /// hashed identifiers, tokens and API keys never reach a location the
    /// configuration does not name.
    public static func makeHTTPClient() -> HTTPClient {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 64)
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Builds everything from the configuration.
    /// - Parameters:
    ///   - tune: adjusts every destination's delivery settings (tests shorten backoffs).
    public static func make(
        config: BridgeConfig, store: any StoreBackend, sealer: IdentifierSealer, metricsFactory: any MetricsFactory,
        registry: PrometheusCollectorRegistry?, logger: Logger, owner: String? = nil,
        httpClient: HTTPClient = BridgeRuntime.makeHTTPClient(),
        tune: (inout DeliverySettings) -> Void = { _ in },
        now: @escaping @Sendable () -> Timestamp = { Timestamp.now() }
    ) throws -> BridgeRuntime {
        let owner = owner ?? BridgeRuntime.leaseOwner(instance: config.store.instanceID)
        var components = BridgeComponents(
            config: config, store: store, sealer: sealer, metricsFactory: metricsFactory, registry: registry, now: now)
        let digesting: (id: String, key: SymmetricKey)
        if let configured = config.audit.digestingKey() {
            digesting = configured
        } else {
            logger.warning("audit.digest_key is not set: clear fields in the audit log are digested with a random per-process key")
            digesting = (AuditConfig.ephemeralKeyID, SymmetricKey(size: .bits256))
        }
        let audit = try AuditLog(
            directory: URL(fileURLWithPath: config.audit.dir), digestKey: digesting.key, digestKeyID: digesting.id, headStore: store,
            logger: logger, metrics: components.metrics)
        components.erasure = ErasureService(store: store, sealer: sealer, audit: audit, now: now)
        let sinks = config.alerts.alertSinks
        let notifier = sinks.isEmpty
            ? nil
            : AlertNotifier(
                sinks: sinks, client: httpClient, logger: logger, metrics: components.metrics, instance: config.alerts.instanceName, now: now)
        components.attach(
            privacy: PrivacyRequestService(
                store: store, sealer: sealer, audit: audit, notifier: notifier, metrics: components.metrics, logger: logger, now: now))
        let pipeline = try PipelineFactory.make(
            config: config, store: store, sealer: sealer, transport: DefaultTransport(client: httpClient), audit: audit,
            notifier: notifier, metrics: components.metrics, logger: logger, owner: owner,
            enrichment: try EnrichmentFactory.make(config: config, store: store, httpClient: httpClient, metrics: components.metrics, logger: logger),
            lease: config.store.leasePolicy, tune: tune, now: now)
        components.workers = pipeline.workers
        components.monitor = pipeline.monitor
        let runner = try ReconciliationRunner(
            config: config, store: store, ingest: components.ingest, audit: audit, notifier: notifier, metrics: components.metrics,
            logger: logger, http: SourceHTTP(client: httpClient, now: now), now: now)
        components.reconciliation = runner
        let recovery: LeaseOwnerMatch? = config.store.kind == .sqlite ? .all : config.store.instanceID.map { .prefix($0 + "/") }
        let reconciliation = ReconciliationService(
            runner: runner, store: store, config: config.reconciliation, owner: owner, recovery: recovery, logger: logger, now: now)
        let retention = RetentionService(
            store: store, policy: config.retention.policy, auditDirectory: URL(fileURLWithPath: config.audit.dir),
            interval: .seconds(Int64(config.retention.sweepIntervalSeconds)), logger: logger, now: now)
        return BridgeRuntime(
            components: components, pipeline: pipeline, httpClient: httpClient, audit: audit, retention: retention,
            reconciliation: reconciliation, owner: owner)
    }

    /// Picks up after a previous run that ended abruptly, before the
    /// services start: moves a torn audit segment aside (`AuditLog.repairTornTail`)
    /// and releases the leases the previous incarnation of this process left
    /// in the store (`LeaseStore.releaseLeases(ownedBy:)`), so that what it was
    /// preparing or sending when it died is taken up at once: every lease on
    /// an SQLite store (the caller holds its `SQLiteServeLock`), this
    /// instance's own on PostgreSQL when `store.instance_id` names it, none
    /// otherwise (they run out after `store.lease_seconds`).
    public func recoverFromPreviousRun(logger: Logger) async throws {
        try await audit.repairTornTail()
        let match: LeaseOwnerMatch
        switch components.config.store.kind {
        case .sqlite: match = .all
        case .postgres:
            guard let instance = components.config.store.instanceID else { return }
            match = .prefix(instance + "/")
        }
        let released = try await components.store.releaseLeases(ownedBy: match)
        if released.total > 0 {
            logger.info(
                "released the leases of a previous run",
                metadata: ["lease.preparation": "\(released.preparation)", "lease.delivery": "\(released.delivery)"])
        }
    }

    /// The service group in dependency order — store, pipeline, HTTP server —
    /// so that a graceful shutdown stops accepting first, then finishes
    /// in-flight batches, then closes the store.
    public func serviceGroup(app: some Service, logger: Logger, signals: [UnixSignal], configPath: String? = nil) -> ServiceGroup {
        serviceGroup(listeners: [app], logger: logger, signals: signals, configPath: configPath)
    }

    /// The service group with several HTTP listeners (public and admin), last.
    /// A graceful shutdown taking longer than `server.shutdown_timeout_seconds`
    /// is escalated to cancellation: in-flight requests are cut off and
    /// batches being sent are abandoned to their leases (sent again after a
    /// restart; every acknowledged event is already stored).
    /// - Parameters:
    ///   - configPath: the configuration file, re-read on `SIGHUP`
    ///     (`ConfigReloadService`); `nil` for no reloading.
    ///   - telemetry: the span exporter (`OpenTelemetryExport`), first so
    ///     that it stops last and flushes every span.
    public func serviceGroup(
        listeners: [any Service], logger: Logger, signals: [UnixSignal], configPath: String? = nil, telemetry: (any Service)? = nil
    ) -> ServiceGroup {
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = telemetry.map { [.init(service: $0)] } ?? []
        services.append(
            .init(service: StoreService(store: components.store, logger: logger, beforeClose: { [audit] in await audit.flushHead() })))
        services += pipeline.services.map { .init(service: $0) }
        services.append(.init(service: retention))
        services.append(.init(service: reconciliation))
        if let configPath {
            services.append(
                .init(service: ConfigReloadService(workers: pipeline.workers, logger: logger) { () throws(ConfigError) in
                    try ConfigLoader.load(path: configPath)
                }))
        }
        services += listeners.map { .init(service: $0) }
        var configuration = ServiceGroupConfiguration(services: services, gracefulShutdownSignals: signals, logger: logger)
        configuration.maximumGracefulShutdownDuration = .milliseconds(Int64(components.config.server.shutdownTimeoutSeconds * 1000))
        return ServiceGroup(configuration: configuration)
    }

    /// Shuts the HTTP client down (after the service group finished).
    public func shutdown() async {
        try? await httpClient.shutdown()
    }

    /// A name for this process's leases: `<instance>/<incarnation>`, the
    /// instance being `store.instance_id` (or the host name), the incarnation
    /// the process id and a random part, so that leases of a previous run of
    /// the same instance can be told apart from this run's.
    public static func leaseOwner(instance: String?) -> String {
        let incarnation = "\(ProcessInfo.processInfo.processIdentifier)-" + String(UInt32.random(in: 0...UInt32.max), radix: 16)
        return "\(instance ?? ProcessInfo.processInfo.hostName)/\(incarnation)"
    }
}
