import BridgeCore
import CoreMetrics
import Prometheus
import Synchronization

/// Metrics made directly in the Prometheus registry, so that the exposition
/// carries their `# HELP` line (the swift-metrics factory API has no place
/// for one). Used for the health and alert metrics; a name is only ever
/// made here, never through the factory as well (the registry requires
/// one help text per name).
final class DescribedMetrics: Sendable {
    let registry: PrometheusCollectorRegistry
    private let gauges = Mutex<[BridgeMetrics.MetricKey: Prometheus.Gauge]>([:])
    private let counters = Mutex<[BridgeMetrics.MetricKey: Prometheus.Counter]>([:])

    init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
    }

    /// Sets the gauge `name` with `labels` to `value`.
    func set(_ name: String, _ labels: [(String, String)], help: String, to value: Double) {
        gauge(name, labels, help: help).set(value)
    }

    /// Adds one to the counter `name` with `labels`.
    func increment(_ name: String, _ labels: [(String, String)], help: String) {
        counter(name, labels, help: help).increment()
    }

    func gauge(_ name: String, _ labels: [(String, String)], help: String) -> Prometheus.Gauge {
        let key = BridgeMetrics.MetricKey(name, labels)
        return gauges.withLock { cache in
            if let existing = cache[key] { return existing }
            let made = registry.makeGauge(name: name, labels: labels, help: help)
            cache[key] = made
            return made
        }
    }

    func counter(_ name: String, _ labels: [(String, String)], help: String) -> Prometheus.Counter {
        let key = BridgeMetrics.MetricKey(name, labels)
        return counters.withLock { cache in
            if let existing = cache[key] { return existing }
            let made = registry.makeCounter(name: name, labels: labels, help: help)
            cache[key] = made
            return made
        }
    }
}

extension BridgeMetrics {
    /// A catalog whose health and alert metrics (`BridgeMetrics+Health`) are
    /// made in `registry` with their `# HELP` text; without a registry, they
    /// go through `factory` like every other metric.
    /// - Parameters:
    ///   - factory: where the other metrics go (the Prometheus factory over `registry`).
    ///   - registry: the registry `/metrics` renders.
    ///   - now: the clock the health tally buckets counts by.
    public convenience init(
        factory: any MetricsFactory, registry: PrometheusCollectorRegistry?, now: @escaping @Sendable () -> Timestamp = HealthTally.wallClock
    ) {
        self.init(factory: factory, described: registry.map(DescribedMetrics.init(registry:)), now: now)
    }
}
