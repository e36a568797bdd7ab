import AsyncHTTPClient
import BridgeCore
import BridgePipeline
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
        registry: PrometheusCollectorRegistry?, logger: Logger, owner: String = BridgeRuntime.instanceID(),
        httpClient: HTTPClient = BridgeRuntime.makeHTTPClient(),
        tune: (inout DeliverySettings) -> Void = { _ in },
        now: @escaping @Sendable () -> Timestamp = { Timestamp.now() }
    ) throws -> BridgeRuntime {
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
            directory: URL(fileURLWithPath: config.audit.dir), digestKey: digesting.key, digestKeyID: digesting.id, headStore: store)
        components.erasure = ErasureService(store: store, sealer: sealer, audit: audit, now: now)
        let notifier = config.alerts.webhookURL.map { AlertNotifier(url: $0, client: httpClient, logger: logger) }
        let pipeline = try PipelineFactory.make(
            config: config, store: store, sealer: sealer, transport: DefaultTransport(client: httpClient), audit: audit,
            notifier: notifier, metrics: components.metrics, logger: logger, owner: owner,
            enrichment: try EnrichmentFactory.make(config: config, store: store, httpClient: httpClient, metrics: components.metrics, logger: logger),
            tune: tune, now: now)
        let retention = RetentionService(
            store: store, policy: config.retention.policy, auditDirectory: URL(fileURLWithPath: config.audit.dir),
            interval: .seconds(Int64(config.retention.sweepIntervalSeconds)), logger: logger, now: now)
        return BridgeRuntime(components: components, pipeline: pipeline, httpClient: httpClient, audit: audit, retention: retention)
    }

    /// The service group in dependency order — store, pipeline, HTTP server —
    /// so that a graceful shutdown stops accepting first, then finishes
    /// in-flight batches, then closes the store.
    public func serviceGroup(app: some Service, logger: Logger, signals: [UnixSignal]) -> ServiceGroup {
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: StoreService(store: components.store, logger: logger, beforeClose: { [audit] in await audit.flushHead() }))
        ]
        services += pipeline.services.map { .init(service: $0) }
        services.append(.init(service: retention))
        services.append(.init(service: app))
        return ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: signals, logger: logger))
    }

    /// Shuts the HTTP client down (after the service group finished).
    public func shutdown() async {
        try? await httpClient.shutdown()
    }

    /// A name for this process's leases: host and process id.
    public static func instanceID() -> String {
        "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)"
    }
}
