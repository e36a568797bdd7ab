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
/// accepting, finishes in-flight requests and closes the store (within
/// `server.shutdown_timeout_seconds`).
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the bridge.")

    @Option(name: .long, help: "Configuration file.")
    var config = "config/bridge.yaml"

    @Option(name: .long, help: "Listen address (overrides server.host).")
    var host: String?

    @Option(name: .long, help: "Listen port (overrides server.port; 0 picks a free port).")
    var port: Int?

    func validate() throws {
        if let port, !(0...65_535).contains(port) { throw ValidationError("--port must be between 0 and 65535") }
    }

    func run() async throws {
        var loaded = try loadConfig(config)
        if let host { loaded.server.host = host }
        if let port { loaded.server.port = port }
        // Already checked by the loader; loaded again for the listeners.
        let tls = try loaded.server.tls?.serverConfiguration()
        Bootstrap.logging(level: loaded.logging.level)
        let registry = Bootstrap.metrics()
        let logger = Logger(label: "capi-bridge")
        let sealer = try Bootstrap.sealer(loaded.store, logger: logger)
        let store = try await Bootstrap.store(loaded.store)
        let runtime = try BridgeRuntime.make(
            config: loaded, store: store, sealer: sealer, metricsFactory: MetricsSystem.factory, registry: registry, logger: logger)
        let server = loaded.server
        let listeners = buildListeners(runtime.components, logger: logger, tls: tls) { routes, port in
            let host = routes == .admin ? server.admin?.host ?? server.host : server.host
            logger.info(
                routes == .admin ? "admin listening" : "listening",
                metadata: ["server.host": "\(host)", "server.port": "\(port)", "server.tls": "\(tls != nil)"])
        }
        let group = runtime.serviceGroup(listeners: listeners, logger: logger, signals: [.sigterm, .sigint])
        do {
            try await group.run()
        } catch {
            await runtime.shutdown()
            throw error
        }
        await runtime.shutdown()
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
