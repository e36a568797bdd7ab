import BridgeCore
import BridgeDestinations
import BridgePipeline
import Logging
import ServiceLifecycle
import UnixSignals

/// On `SIGHUP`, reads the configuration file again (with the process's
/// environment and any `${file:…}` secrets) and hands every destination its
/// new credentials and request settings, clearing pauses caused by refused
/// credentials: a rotated token takes effect without a restart. Destinations
/// added, removed or of another kind, and every other section (sources,
/// store, consent, enrichment), take effect at the next restart; a file with
/// problems changes nothing and its problems are logged by key path.
public struct ConfigReloadService: Service {
    let workers: [DestinationWorkers]
    let logger: Logger
    let load: @Sendable () throws(ConfigError) -> BridgeConfig

    /// - Parameter load: reads and validates the configuration (`ConfigLoader.load(path:)`).
    public init(workers: [DestinationWorkers], logger: Logger, load: @escaping @Sendable () throws(ConfigError) -> BridgeConfig) {
        self.workers = workers
        self.logger = logger
        self.load = load
    }

    public func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        for await _ in signals.cancelOnGracefulShutdown() {
            _ = reload()
        }
    }

    /// What a reload did.
    public struct Outcome: Sendable, Equatable {
        /// Destinations that took the new configuration.
        public var reloaded: [String] = []
        /// Destinations whose change needs a restart (new, removed, other kind).
        public var needRestart: [String] = []
        /// Why nothing was reloaded (configuration problems), if so.
        public var problems: [ConfigProblem] = []
    }

    /// Reloads once.
    @discardableResult
    public func reload() -> Outcome {
        var outcome = Outcome()
        let routes: [DestinationRoute]
        do {
            routes = try PipelineFactory.routes(try load()).map(\.0)
        } catch {
            outcome.problems = error.problems
            logger.error(
                "configuration reload refused; nothing changed",
                metadata: ["config.problems": "\(error.problems.map(\.description).joined(separator: "; "))"])
            return outcome
        }
        for worker in workers {
            guard let route = routes.first(where: { $0.destination.name == worker.name }),
                route.destination.kind == worker.destination.kind
            else {
                outcome.needRestart.append(worker.name)
                continue
            }
            worker.reload(route.destination)
            outcome.reloaded.append(worker.name)
        }
        outcome.needRestart += routes.map(\.destination.name).filter { name in !workers.contains { $0.name == name } }
        logger.info(
            "configuration reloaded",
            metadata: ["destinations.reloaded": "\(outcome.reloaded.joined(separator: ","))", "destinations.need_restart": "\(outcome.needRestart.joined(separator: ","))"])
        return outcome
    }
}
