import BridgeCore
import BridgeDestinations
import BridgePipeline
import BridgeStore
import Logging
import ServiceLifecycle

extension PipelineFactory {
    /// The confirmation service (when a destination confirms later) and the
    /// platform-score service (when a destination publishes a score and
    /// `platform_feedback.scores_interval_hours` is not 0).
    static func feedbackServices(
        config: BridgeConfig, store: any StoreBackend, workers: [DestinationWorkers], transport: any Transport, audit: AuditLog?,
        metrics: BridgeMetrics, logger: Logger, owner: String, now: @escaping @Sendable () -> Timestamp
    ) -> [any Service] {
        let settings = config.platformFeedback
        var services: [any Service] = []
        let confirmation = ConfirmationService(
            store: store, workers: workers, transport: transport, audit: audit, metrics: metrics, logger: logger, owner: owner,
            interval: .milliseconds(Int64(settings.confirmationCheckSeconds * 1000)), now: now)
        if confirmation.hasWork { services.append(confirmation) }
        if settings.scoresIntervalHours > 0, workers.contains(where: { $0.destination.scoreSource != nil }) {
            services.append(
                PlatformScoreService(
                    store: store, workers: workers, transport: transport, metrics: metrics, logger: logger,
                    interval: .milliseconds(Int64(settings.scoresIntervalHours * 3_600_000)), now: now))
        }
        return services
    }
}
