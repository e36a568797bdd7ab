import ArgumentParser
import BridgeCore
import BridgeServer
import BridgeStore
import Hummingbird
import Logging
import Metrics
import ServiceLifecycle
import UnixSignals

/// `capi-bridge serve`: runs the bridge until SIGTERM or SIGINT, then stops
/// accepting, finishes in-flight requests and closes the store.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the bridge.")

    @Option(name: .long, help: "Configuration file.")
    var config = "config/bridge.yaml"

    @Option(name: .long, help: "Listen address (overrides server.host).")
    var host: String?

    @Option(name: .long, help: "Listen port (overrides server.port; 0 picks a free port).")
    var port: Int?

    func run() async throws {
        let loaded = try loadConfig(config)
        Bootstrap.logging(level: loaded.logging.level)
        let registry = Bootstrap.metrics()
        let logger = Logger(label: "capi-bridge")
        let sealer = try Bootstrap.sealer(loaded.store, logger: logger)
        // One serve process per SQLite store: it may then take back every lease it finds.
        let serveLock = loaded.store.kind == .sqlite ? try SQLiteServeLock(storePath: loaded.store.path) : nil
        let store = try await Bootstrap.store(loaded.store)
        let runtime = try BridgeRuntime.make(
            config: loaded, store: store, sealer: sealer, metricsFactory: MetricsSystem.factory, registry: registry, logger: logger)
        try await runtime.recoverFromPreviousRun(logger: logger)
        let host = self.host ?? loaded.server.host
        let app = buildApplication(runtime.components, host: host, port: port ?? loaded.server.port, logger: logger) { port in
            logger.info("listening", metadata: ["server.host": "\(host)", "server.port": "\(port)"])
        }
        let group = runtime.serviceGroup(app: app, logger: logger, signals: [.sigterm, .sigint], configPath: config)
        do {
            try await group.run()
        } catch {
            await runtime.shutdown()
            throw error
        }
        await runtime.shutdown()
        withExtendedLifetime(serveLock) {}
    }
}

/// Loads a configuration file, turning its problems into one CLI error.
func loadConfig(_ path: String) throws -> BridgeConfig {
    do {
        return try ConfigLoader.load(path: path)
    } catch {
        throw CLIError(error.description)
    }
}
