import BridgeCore
import BridgeStore
import Logging
import Synchronization

/// The monitor's view beyond each destination's queue: source health
/// (`SourceHealthPolicy`), the prepare backlog (`PrepareBacklogWatch`) and
/// delivery SLOs (`DeliverySLOPolicy`), judged from what every instance
/// recorded in the store (`HealthStore`), not from this process's memory:
/// with several instances on one PostgreSQL database, a source is silent
/// only when no instance heard from it.
///
/// Each round it first adds this instance's counts (`HealthTally`, fed by
/// ingest and the delivery workers through `BridgeMetrics`) to the store,
/// then reads every instance's counts back, judges, and publishes the
/// health gauges.
public final class HealthWatch: Sendable {
    /// What to watch and the thresholds.
    public struct Configuration: Sendable {
        /// Configured sources and how often each is expected to post (`nil`: no silence alert).
        public var sources: [(name: String, expectEventsWithin: Duration?)]
        /// Configured destination names.
        public var destinations: [String]
        public var sourcePolicy: SourceHealthPolicy
        public var deliveryPolicy: DeliverySLOPolicy
        /// The prepare backlog's state machine, fresh (its threshold configured).
        public var prepareBacklog: PrepareBacklogWatch

        public init(
            sources: [(name: String, expectEventsWithin: Duration?)], destinations: [String], sourcePolicy: SourceHealthPolicy = .standard,
            deliveryPolicy: DeliverySLOPolicy = .standard, prepareBacklog: PrepareBacklogWatch
        ) {
            self.sources = sources
            self.destinations = destinations
            self.sourcePolicy = sourcePolicy
            self.deliveryPolicy = deliveryPolicy
            self.prepareBacklog = prepareBacklog
        }

        /// The longest window any judgement looks back over.
        var longestWindow: Duration {
            max(deliveryPolicy.sloWindow, deliveryPolicy.spikeWindow, sourcePolicy.signatureFailureWindow)
        }
    }

    let store: any HealthStore
    let metrics: BridgeMetrics
    let configuration: Configuration
    let instance: String
    let logger: Logger
    /// When this watch started: silence of a source never heard from counts from here.
    let watchingSince: Timestamp
    private let backlog: Mutex<PrepareBacklogWatch>

    /// - Parameters:
    ///   - instance: this process's name in the store's per-instance rows.
    ///   - startedAt: when watching began (the monitor's clock).
    public init(
        store: any HealthStore, metrics: BridgeMetrics, configuration: Configuration, instance: String, logger: Logger, startedAt: Timestamp
    ) {
        self.store = store
        self.metrics = metrics
        self.configuration = configuration
        self.instance = instance
        self.logger = logger
        self.watchingSince = startedAt
        self.backlog = Mutex(configuration.prepareBacklog)
    }

    /// One round: stores this instance's counts, reads everyone's, returns a
    /// finding per condition and subject. When the store does not answer,
    /// returns nothing (every alert keeps its state until it answers again).
    public func check(at now: Timestamp) async -> [AlertFinding] {
        let keepAfter = HealthCount.bucket(of: now.advanced(by: .zero - configuration.longestWindow - .seconds(600)))
        let report = metrics.health.drain()
        if !report.isEmpty {
            do { try await store.recordHealth(report, instance: instance, forgetBefore: keepAfter) } catch {
                metrics.health.restore(report, keepingAfter: keepAfter)
                logger.warning("health counts not stored; kept for the next round", metadata: ["error.type": "\(error.code.rawValue)"])
            }
        }
        let snapshot: HealthSnapshot
        do { snapshot = try await store.healthSnapshot(since: HealthCount.bucket(of: now.advanced(by: .zero - configuration.longestWindow))) } catch {
            logger.warning("health counts unreadable; source and SLO alerts keep their state", metadata: ["error.type": "\(error.code.rawValue)"])
            return []
        }
        return sourceFindings(snapshot, now: now) + [backlogFinding(snapshot, now: now)] + deliveryFindings(snapshot, now: now)
    }

    func sourceFindings(_ snapshot: HealthSnapshot, now: Timestamp) -> [AlertFinding] {
        let policy = configuration.sourcePolicy
        let since = HealthCount.bucket(of: now.advanced(by: .zero - policy.signatureFailureWindow))
        return configuration.sources.flatMap { source -> [AlertFinding] in
            let failures = snapshot.total(.signatureFailures, for: .source(source.name), since: since)
            let last = snapshot.lastSeen[source.name]
            metrics.sourceHealth(
                source: source.name, lastEventAgeSeconds: last.map { Double(max(0, now.millisecondsSinceEpoch - $0.millisecondsSinceEpoch)) / 1000 },
                signatureFailures: failures)
            return policy.findings(
                SourceHealthPolicy.Observation(
                    source: source.name, expectEventsWithin: source.expectEventsWithin, lastEventAt: last, watchingSince: watchingSince,
                    signatureFailures: failures), now: now)
        }
    }

    func backlogFinding(_ snapshot: HealthSnapshot, now: Timestamp) -> AlertFinding {
        let age = snapshot.oldestUnpreparedAt.map { Double(max(0, now.millisecondsSinceEpoch - $0.millisecondsSinceEpoch)) / 1000 } ?? 0
        metrics.oldestUnprepared(ageSeconds: age)
        return backlog.withLock { $0.observe(unprepared: snapshot.unprepared, oldestReceivedAt: snapshot.oldestUnpreparedAt, now: now) }
    }

    func deliveryFindings(_ snapshot: HealthSnapshot, now: Timestamp) -> [AlertFinding] {
        let policy = configuration.deliveryPolicy
        let sloSince = HealthCount.bucket(of: now.advanced(by: .zero - policy.sloWindow))
        let spikeSince = HealthCount.bucket(of: now.advanced(by: .zero - policy.spikeWindow))
        return configuration.destinations.flatMap { destination -> [AlertFinding] in
            func counts(since: Timestamp) -> DeliverySLOPolicy.Counts {
                let subject = AlertSubject.destination(destination)
                return DeliverySLOPolicy.Counts(
                    delivered: snapshot.total(.delivered, for: subject, since: since), retried: snapshot.total(.retried, for: subject, since: since),
                    deadLettered: snapshot.total(.deadLettered, for: subject, since: since))
            }
            let slo = counts(since: sloSince)
            let recent = counts(since: spikeSince)
            metrics.destinationHealth(destination: destination, successRatio: slo.successRatio, errorRatio: recent.errorRatio)
            return policy.findings(destination: destination, slo: slo, recent: recent)
        }
    }
}
