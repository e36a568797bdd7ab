import BridgeCore
import BridgePipeline
import BridgeStore
import Hummingbird
import HummingbirdCore
import Logging
import Metrics
import NIOSSL
import Prometheus
import ServiceLifecycle

/// The pieces a running bridge is made of, built once from the configuration.
public struct BridgeComponents: Sendable {
    public let config: BridgeConfig
    public let store: any StoreBackend
    public let sealer: IdentifierSealer
    /// Ingest, with a privacy-request service that gains the audit log and the
    /// alert webhook once the runtime attaches them (`withPrivacy`).
    public var ingest: IngestService
    public let metrics: BridgeMetrics
    public let registry: PrometheusCollectorRegistry?

    public let now: @Sendable () -> Timestamp
    /// Erasure, with the audit log once the runtime attaches one.
    public var erasure: ErasureService
    /// The destinations' worker groups, once the runtime attaches the pipeline
    /// (the admin routes resume them).
    public var workers: [DestinationWorkers] = []
    /// The queue monitor, once the runtime attaches the pipeline (the console lists its alerts).
    public var monitor: QueueMonitor?
    /// Reconciliations, once the runtime attaches its runner (`POST /v1/reconciliations`).
    public var reconciliation: ReconciliationRunner?

    public init(
        config: BridgeConfig, store: any StoreBackend, sealer: IdentifierSealer, metricsFactory: any MetricsFactory,
        registry: PrometheusCollectorRegistry?, now: @escaping @Sendable () -> Timestamp = { Timestamp.now() }
    ) {
        self.config = config
        self.now = now
        self.store = store
        self.sealer = sealer
        self.metrics = BridgeMetrics(factory: metricsFactory, registry: registry, now: now)
        self.registry = registry
        self.erasure = ErasureService(store: store, sealer: sealer, audit: nil, now: now)
        self.ingest = IngestService(
            sources: config.sources, eventsAPI: config.eventsAPI, store: store, sealer: sealer, metrics: metrics,
            privacy: PrivacyRequestService(store: store, sealer: sealer, audit: nil, notifier: nil, metrics: metrics, logger: nil, now: now),
            storeDeadline: config.store.ingestWait, now: now)
    }

    /// Rebuilds ingest with `privacy` carrying out privacy requests (the
    /// runtime's, with the audit log, alert webhook and logger).
    public mutating func attach(privacy: PrivacyRequestService) {
        ingest = IngestService(
            sources: config.sources, eventsAPI: config.eventsAPI, store: store, sealer: sealer, metrics: metrics, privacy: privacy,
            storeDeadline: config.store.ingestWait, now: now)
    }
}

/// Builds the router: the `routes` asked for, health and the OpenAPI
/// document on every listener, and the problem mapping around all of it.
public func buildRouter(_ components: BridgeComponents, routes: RouteSet = .all) -> Router<BridgeRequestContext> {
    let router = Router(context: BridgeRequestContext.self)
    router.add(middleware: AccessLogMiddleware(level: components.config.logging.access.loggerLevel))
    router.add(middleware: ProblemMiddleware())
    router.add(middleware: MetricsMiddleware())
    router.addHealthRoutes(store: components.store)
    router.addOpenAPIRoute()
    let server = components.config.server
    if routes.contains(.ingest) {
        router.addIngestRoutes(ingest: components.ingest, maxBodyBytes: server.maxBodyBytes)
    }
    if routes.contains(.admin) {
        if let registry = components.registry {
            router.addMetricsRoute(
                registry: registry, tokens: BearerTokens(server.metricsTokens), sources: MatchQualityReporting.sources(components.config))
        }
        let admin = AdminRoutes(store: components.store, tokens: BearerTokens(server.adminTokens), now: components.now)
        router.addAdminRoutes(admin)
        router.addErasureRoute(admin: admin, erasure: components.erasure)
        router.addDestinationRoutes(DestinationRoutes(admin: admin, config: components.config, workers: components.workers))
        router.addReportRoutes(
            ReportRoutes(
                admin: admin, store: components.store, destinations: MatchQualityReporting.destinations(components.config),
                sources: MatchQualityReporting.sources(components.config)))
        router.addReconciliationRoutes(ReconciliationRoutes(admin: admin, runner: components.reconciliation))
        router.addJourneyRoutes(JourneyRoutes(admin: admin, journeys: JourneyService(config: components.config, store: components.store)))
        if components.config.console.enabled { router.addConsoleRoutes(ConsoleRoutes(components, admin: admin)) }
    }
    return router
}

/// Builds one HTTP listener on `host:port` serving `routes`, bounded as
/// `server:` says: idle and body timeouts, at most `max_connections` open
/// connections (beyond it the listener stops accepting until one closes),
/// the header size limit, and TLS when `tls` is given.
public func buildApplication(
    _ components: BridgeComponents, host: String, port: Int, logger: Logger, routes: RouteSet = .all, tls: TLSConfiguration? = nil,
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
    let server = components.config.server
    return Application(
        router: buildRouter(components, routes: routes),
        server: .bridge(server, tls: tls),
        configuration: .init(
            address: .hostname(host, port: port), serverName: "capi-bridge",
            availableConnectionsDelegate: MaximumAvailableConnections(server.maxConnections, logger: logger)),
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) },
        logger: logger)
}

/// The listeners `serve` runs, from `components.config.server`: the public
/// one (everything, or only ingest when `server.admin` is set) and the admin
/// one. `onListening` receives each listener's routes (`.all`, or `.ingest`
/// and `.admin`) and its bound port.
public func buildListeners(
    _ components: BridgeComponents, logger: Logger, tls: TLSConfiguration?,
    onListening: @escaping @Sendable (RouteSet, Int) async -> Void = { _, _ in }
) -> [any Service] {
    let server = components.config.server
    guard let admin = server.admin else {
        return [
            buildApplication(components, host: server.host, port: server.port, logger: logger, routes: .all, tls: tls) {
                await onListening(.all, $0)
            }
        ]
    }
    return [
        buildApplication(components, host: server.host, port: server.port, logger: logger, routes: .ingest, tls: tls) {
            await onListening(.ingest, $0)
        },
        buildApplication(components, host: admin.host, port: admin.port, logger: logger, routes: .admin, tls: tls) {
            await onListening(.admin, $0)
        },
    ]
}

/// Closes the store after everything listed after it has shut down
/// (ServiceGroup stops services in reverse order).
public struct StoreService: Service {
    let store: any EventStore
    let logger: Logger
    let beforeClose: @Sendable () async -> Void

    /// - Parameter beforeClose: last writes before the store closes (the audit chain head).
    public init(store: any EventStore, logger: Logger, beforeClose: @escaping @Sendable () async -> Void = {}) {
        self.store = store
        self.logger = logger
        self.beforeClose = beforeClose
    }

    public func run() async throws {
        try? await gracefulShutdown()
        await beforeClose()
        await store.close()
        logger.info("store closed")
    }
}
