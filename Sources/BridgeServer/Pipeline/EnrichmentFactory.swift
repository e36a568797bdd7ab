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
    ///   - store: the identity graph `identity_graph` providers read.
    ///   - httpClient: the process's one client, for `http` providers.
    /// - Throws: `ConfigError` naming each bad key path.
    public static func make(
        config: BridgeConfig, store: any IdentityGraphStore, httpClient: HTTPClient, metrics: BridgeMetrics?, logger: Logger
    ) throws(ConfigError) -> any EnrichmentStage {
        let enrichment = try EnrichmentConfig.decode(config.enrichment)
        guard !enrichment.providers.isEmpty else { return PassThroughEnrichment() }
        let routes = try PipelineFactory.routes(config).map(\.0)
        let platforms = Array(Set(routes.map(\.destination.platform))).sorted { $0.rawValue < $1.rawValue }
        let routeRegion = routes.lazy.compactMap(\.defaultRegion).first
        var providers: [any EnrichmentProvider] = []
        for provider in enrichment.providers {
            switch provider {
            case .clickIDs(let name):
                providers.append(ClickIDProvider(name: name, metrics: metrics))
            case .identityGraph(let name, let region):
                providers.append(
                    IdentityGraphProvider(
                        name: name, store: store, platforms: platforms, defaultRegion: region ?? routeRegion, metrics: metrics, logger: logger))
            case .http(let name, var settings):
                if settings.defaultRegion == nil { settings.defaultRegion = routeRegion }
                providers.append(HTTPLookupProvider(name: name, settings: settings, client: httpClient, metrics: metrics, logger: logger))
            }
        }
        logger.info(
            "enrichment configured",
            metadata: ["enrichment.providers": "\(providers.map(\.name).joined(separator: ","))", "enrichment.budget_ms": "\(enrichment.budget)"])
        return EnrichmentChain(providers: providers, budget: enrichment.budget, concurrency: enrichment.concurrency, metrics: metrics, logger: logger)
    }
}
