import BridgeCore
import BridgePipeline
import BridgeServer
import BridgeStore
import Foundation
import Logging
import Metrics
import Prometheus

/// Process-wide setup that only the executable does: the log handler and the
/// metrics backend.
enum Bootstrap {
    /// Installs JSON-lines logging at `level` (once per process).
    static func logging(level: String) {
        let parsed = Logger.Level.named(level) ?? .info
        LoggingSystem.bootstrap { label in JSONLogHandler(label: label, level: parsed) }
    }

    /// Installs the Prometheus metrics factory and returns its registry.
    static func metrics() -> PrometheusCollectorRegistry {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(ConventionalMetricsFactory(registry: registry))
        return registry
    }

    /// Exports `capi_bridge_build_info{version="…"} 1`, the Prometheus
    /// convention for joining other series with the running version.
    static func buildInfo(_ registry: PrometheusCollectorRegistry) {
        let name = "capi_bridge_build_info"
        registry.makeGauge(name: name, labels: [("version", BridgeVersion.current)], help: MetricCatalog.help[name] ?? "").set(1.0)
    }

    /// The sealer the configuration asks for: the configured key ring (the
    /// first key seals, every key opens), or — only when explicitly allowed —
    /// an ephemeral development key, announced loudly.
    static func sealer(_ config: StoreConfig, logger: Logger) throws -> IdentifierSealer {
        if !config.sealKeys.isEmpty {
            let sealer = try IdentifierSealer(keys: config.sealKeys)
            logger.info("seal key ring", metadata: ["seal.key_id": "\(sealer.currentKeyID)", "seal.key_ids": "\(sealer.keyIDs.joined(separator: ","))"])
            return sealer
        }
        guard config.ephemeralSealKey else {
            throw CLIError("store.seal_key is not set; set it (openssl rand -base64 32) or allow store.ephemeral_seal_key for development")
        }
        logger.warning(
            "USING AN EPHEMERAL DEVELOPMENT SEAL KEY: sealed identifiers of events not yet prepared cannot be read after a restart; set store.seal_key in production")
        return IdentifierSealer.ephemeral()
    }

    /// The configured key ring for commands that must open what a server
    /// sealed (`erase`, `keys rotate`): never an ephemeral key.
    static func configuredSealer(_ config: StoreConfig) throws -> IdentifierSealer {
        guard !config.sealKeys.isEmpty else {
            throw CLIError(
                "store.seal_key is not set: events were sealed with the running server's ephemeral key, which this process does not have")
        }
        return try IdentifierSealer(keys: config.sealKeys)
    }

    /// Opens the configured store, runs `body` with it (and its connection
    /// pool running beside it: `withRunningStore`), then closes it.
    static func withStore<Result>(
        _ config: StoreConfig, logger: Logger = Logger(label: "capi-bridge.store"),
        _ body: (any StoreBackend & KeyRotationStore) async throws -> Result
    ) async throws -> Result {
        let store = try await openStore(config, logger: logger)
        return try await withRunningStore(store) { try await body(store) }
    }

    /// Opens the configured store, with what key rotation needs. Callers use
    /// `withStore`, which also runs and closes it.
    private static func openStore(
        _ config: StoreConfig, logger: Logger = Logger(label: "capi-bridge.store")
    ) async throws -> any StoreBackend & KeyRotationStore {
        switch config.kind {
        case .sqlite:
            return try SQLiteStore(path: config.path)
        case .postgres:
            guard let url = config.url else { throw CLIError("store.url is required when store.kind is postgres") }
            if config.allowInsecure {
                logger.warning("store.allow_insecure is set: the PostgreSQL connection may be unverified or in clear text")
            }
            return try await openPostgres(url: url, allowInsecure: config.allowInsecure, logger: logger).get()
        }
    }
}

/// Opens PostgreSQL. A separate, non-inlined function returning `Result`:
/// inlining a typed-throws async initializer into an untyped-throws async
/// function crashes the Swift 6.3 optimizer (LLVM coroutine splitting).
@inline(never)
func openPostgres(url: String, allowInsecure: Bool, logger: Logger) async -> Result<any StoreBackend & KeyRotationStore, StoreError> {
    do {
        return .success(try await PostgresStore(url: url, allowInsecure: allowInsecure, logger: logger))
    } catch {
        return .failure(error)
    }
}

/// A failure reported to the user as one line on standard error.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
