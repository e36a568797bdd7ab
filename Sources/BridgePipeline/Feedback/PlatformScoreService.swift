import BridgeCore
import BridgeDestinations
import BridgeStore
import Logging
import ServiceLifecycle

/// Fetches the platforms' own quality scores once at start and then every
/// `interval` (daily by default, `platform_scores.interval_hours`), and
/// stores them per day and event name (`PlatformFeedbackStore`). Several
/// instances fetching the same day simply replace each other's row.
public final class PlatformScoreService: Service, Sendable {
    let store: any StoreBackend
    let workers: [DestinationWorkers]
    let transport: any Transport
    let metrics: BridgeMetrics
    let logger: Logger
    let interval: Duration
    let now: @Sendable () -> Timestamp

    public init(
        store: any StoreBackend, workers: [DestinationWorkers], transport: any Transport, metrics: BridgeMetrics, logger: Logger,
        interval: Duration = .seconds(86_400), now: @escaping @Sendable () -> Timestamp
    ) {
        self.store = store
        self.workers = workers
        self.transport = transport
        self.metrics = metrics
        self.logger = logger
        self.interval = interval
        self.now = now
    }

    public func run() async throws {
        guard workers.contains(where: { $0.destination.scoreSource != nil }) else {
            // Nothing to fetch: wait for shutdown (a service that returns would stop the group).
            try? await gracefulShutdown()
            return
        }
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            await fetchOnce()
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: self.interval) }
        }
    }

    /// Fetches and stores every score now; returns what was stored.
    @discardableResult
    public func fetchOnce() async -> [PlatformScore] {
        let scores = await PlatformScoreFetcher.fetch(workers.map(\.destination), transport: transport, now: now())
        for score in scores { metrics.platformScoreFetch(destination: score.destination, availability: score.availability.rawValue) }
        for score in scores where score.availability != .available {
            logger.warning(
                "platform score not available",
                metadata: ["destination.name": "\(score.destination)", "availability": "\(score.availability.rawValue)"])
        }
        do {
            try await store.recordPlatformScores(scores)
        } catch {
            logger.warning("could not store platform scores", metadata: ["error": "\(error)"])
        }
        return scores
    }
}
