import BridgeCore
import BridgePipeline
import BridgeStore
import Hummingbird
import Logging
import Metrics
import Prometheus
import ServiceLifecycle

/// The pieces a running bridge is made of, built once from the configuration.
public struct BridgeComponents: Sendable {
    public let config: BridgeConfig
    public let store: any StoreBackend
    public let sealer: IdentifierSealer
    public let ingest: IngestService
    public let metrics: BridgeMetrics
    public let registry: PrometheusCollectorRegistry?

    public let now: @Sendable () -> Timestamp
    /// Erasure, with the audit log once the runtime attaches one.
    public var erasure: ErasureService
    /// The destinations' worker groups, once the runtime attaches the pipeline
    /// (the admin routes resume them).
    public var workers: [DestinationWorkers] = []

    public init(
        config: BridgeConfig, store: any StoreBackend, sealer: IdentifierSealer, metricsFactory: any MetricsFactory,
        registry: PrometheusCollectorRegistry?, now: @escaping @Sendable () -> Timestamp = { Timestamp.now() }
    ) {
        self.config = config
        self.now = now
        self.store = store
        self.sealer = sealer
        self.metrics = BridgeMetrics(factory: metricsFactory)
        self.registry = registry
        self.erasure = ErasureService(store: store, sealer: sealer, audit: nil, now: now)
        self.ingest = IngestService(
            sources: config.sources, eventsAPI: config.eventsAPI, store: store, sealer: sealer, metrics: metrics, now: now)
    }
}

/// Builds the router: ingest, operations, and the problem mapping around all of it.
public func buildRouter(_ components: BridgeComponents) -> Router<BasicRequestContext> {
    let router = Router()
    router.add(middleware: ProblemMiddleware())
    router.add(middleware: MetricsMiddleware())
    router.addIngestRoutes(ingest: components.ingest, maxBodyBytes: components.config.server.maxBodyBytes)
    router.addOperationsRoutes(store: components.store, registry: components.registry)
    let admin = AdminRoutes(store: components.store, token: components.config.server.adminToken.map { Array($0.utf8) }, now: components.now)
    router.addAdminRoutes(admin)
    router.addErasureRoute(admin: admin, erasure: components.erasure)
    router.addDestinationRoutes(DestinationRoutes(admin: admin, config: components.config, workers: components.workers))
    router.addReportRoutes(ReportRoutes(admin: admin, store: components.store as? any ReportStore, destinations: MatchQualityReporting.destinations(components.config)))
    return router
}

/// Builds the HTTP application listening on `host:port`.
public func buildApplication(
    _ components: BridgeComponents, host: String, port: Int, logger: Logger,
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
    Application(
        router: buildRouter(components),
        configuration: .init(address: .hostname(host, port: port), serverName: "capi-bridge"),
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) },
        logger: logger)
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
