import AsyncHTTPClient
import BridgeCore
import BridgeDestinations
import BridgePipeline
import BridgeStore
import Logging

/// Builds the enrichment chain from `enrichment:` in the configuration.
public enum EnrichmentFactory {
    /// The configured chain, or `PassThroughEnrichment` when no provider is configured.
    /// - Parameters:
    ///   - store: must be an `IdentityGraphStore` when an `identity_graph` provider is configured
    ///     (`SQLiteStore` and `PostgresStore` both are; a test double may not be).
    ///   - httpClient: the process's one client, for `http` providers.
    /// - Throws: `ConfigError` naming each bad key path.
    public static func make(
        config: BridgeConfig, store: any StoreBackend, httpClient: HTTPClient, metrics: BridgeMetrics?, logger: Logger
    ) throws(ConfigError) -> any EnrichmentStage {
        let enrichment = try EnrichmentConfig.decode(config.enrichment)
        guard !enrichment.providers.isEmpty else { return PassThroughEnrichment() }
        let routes = try PipelineFactory.routes(config).map(\.0)
        let platforms = Array(Set(routes.map(\.destination.platform))).sorted { $0.rawValue < $1.rawValue }
        let routeRegion = routes.lazy.compactMap(\.defaultRegion).first
        var providers: [any EnrichmentProvider] = []
        var problems: [ConfigProblem] = []
        for (index, provider) in enrichment.providers.enumerated() {
            switch provider {
            case .clickIDs(let name):
                providers.append(ClickIDProvider(name: name, metrics: metrics))
            case .identityGraph(let name, let region):
                guard let graph = store as? any IdentityGraphStore else {
                    problems.append(
                        ConfigProblem("enrichment.providers[\(index)].kind", "the configured store does not keep an identity graph"))
                    continue
                }
                providers.append(
                    IdentityGraphProvider(
                        name: name, store: graph, platforms: platforms, defaultRegion: region ?? routeRegion, metrics: metrics, logger: logger))
            case .http(let name, var settings):
                if settings.defaultRegion == nil { settings.defaultRegion = routeRegion }
                providers.append(HTTPLookupProvider(name: name, settings: settings, client: httpClient, metrics: metrics, logger: logger))
            }
        }
        guard problems.isEmpty else { throw ConfigError(file: "<config>", problems: problems) }
        logger.info(
            "enrichment configured",
            metadata: ["enrichment.providers": "\(providers.map(\.name).joined(separator: ","))", "enrichment.budget_ms": "\(enrichment.budget)"])
        return EnrichmentChain(providers: providers, budget: enrichment.budget, concurrency: enrichment.concurrency, metrics: metrics, logger: logger)
    }
}
