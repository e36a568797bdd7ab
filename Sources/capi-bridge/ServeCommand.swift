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
///
/// Development settings (`ConfigLoader.developmentSettings`: fallback
/// secrets, an ephemeral seal key, no audit digest key, weak tokens) are
/// refused with exit status 2, one line per key, when a listener faces the
/// network, unless `--dev` is given; on loopback or with `--dev` each is
/// logged as a warning.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the bridge.")

    @Option(name: .long, help: ArgumentHelp(ConfigFile.help))
    var config = ConfigFile.defaultPath

    @Option(name: .long, help: "Listen address (overrides server.host).")
    var host: String?

    @Option(name: .long, help: "Listen port (overrides server.port; 0 picks a free port).")
    var port: Int?

    @Flag(name: .long, help: "Allow development settings (fallback secrets, an ephemeral seal key, no audit key) on a non-loopback address.")
    var dev = false

    func validate() throws {
        if let port, !(0...65_535).contains(port) { throw ValidationError("--port must be between 0 and 65535") }
    }

    func run() async throws {
        // A log reader that went away makes writes fail (EPIPE, dropped by
        // ProcessStream) instead of killing the bridge mid-delivery.
        ProcessStream.ignoreBrokenPipes()
        var loaded = try loadConfig(config)
        if let host { loaded.server.host = host }
        if let port { loaded.server.port = port }
        let development = ConfigLoader.developmentSettings(loaded)
        if !development.isEmpty, loaded.server.isExposed, !dev {
            var stderr = StandardError()
            print(
                "capi-bridge serve: refusing to listen on \(Self.addresses(loaded.server)) with development settings "
                    + "(set them, listen on loopback, or pass --dev):", to: &stderr)
            for problem in development { print("  \(problem)", to: &stderr) }
            throw ExitCode(2)
        }
        Bootstrap.logging(level: loaded.logging.level)
        let registry = Bootstrap.metrics()
        let logger = Logger(label: "capi-bridge")
        logger.info("starting", metadata: ["version": "\(BridgeVersion.current)"])
        Bootstrap.buildInfo(registry)
        for problem in development {
            logger.warning("development setting in use", metadata: ["config.key": "\(problem.path)", "config.problem": "\(problem.message)"])
        }
        let sealer = try Bootstrap.sealer(loaded.store, logger: logger)
        // One serve process per SQLite store: it may then take back every lease it finds.
        let serveLock = loaded.store.kind == .sqlite ? try SQLiteServeLock(storePath: loaded.store.path) : nil
        try await Bootstrap.withStore(loaded.store) { store in
            let runtime = try BridgeRuntime.make(
                config: loaded, store: store, sealer: sealer, metricsFactory: MetricsSystem.factory, registry: registry, logger: logger)
            try await serve(runtime, loaded, logger: logger)
        }
        withExtendedLifetime(serveLock) {}
    }

    /// Runs the server on an open store until a signal stops it.
    private func serve(_ runtime: BridgeRuntime, _ loaded: BridgeConfig, logger: Logger) async throws {
        // Already checked by the loader; loaded again for the listeners.
        let tls = try loaded.server.tls?.serverConfiguration()
        try await runtime.recoverFromPreviousRun(logger: logger)
        let server = loaded.server
        let listeners = buildListeners(runtime.components, logger: logger, tls: tls) { routes, port in
            let host = routes == .admin ? server.admin?.host ?? server.host : server.host
            logger.info(
                routes == .admin ? "admin listening" : "listening",
                metadata: ["server.host": "\(host)", "server.port": "\(port)", "server.tls": "\(tls != nil)"])
        }
        let telemetry = try OpenTelemetryExport.bootstrap(loaded.telemetry, logger: logger)
        let group = runtime.serviceGroup(
            listeners: listeners, logger: logger, signals: [.sigterm, .sigint], configPath: config, telemetry: telemetry)
        do {
            try await group.run()
        } catch {
            await runtime.shutdown()
            throw error
        }
        await runtime.shutdown()
    }

    /// The listen addresses, for the refusal message.
    static func addresses(_ server: ServerConfig) -> String {
        var addresses = ["\(server.host):\(server.port)"]
        if let admin = server.admin { addresses.append("\(admin.host):\(admin.port) (admin)") }
        return addresses.joined(separator: " and ")
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
