import CoreMetrics
import Prometheus

/// A swift-metrics factory over a Prometheus registry that applies
/// `MetricCatalog`: library names are renamed, every family gets its help
/// text (so `/metrics` has a `# HELP` line for each) and the end-to-end
/// histogram its long buckets. Handlers are destroyed by the wrapped
/// `PrometheusMetricsFactory`.
public struct ConventionalMetricsFactory: MetricsFactory {
    private let base: PrometheusMetricsFactory
    private let registry: PrometheusCollectorRegistry

    /// - Parameter registry: the registry `/metrics` renders.
    public init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
        self.base = PrometheusMetricsFactory(registry: registry)
    }

    /// The exported name for a swift-metrics label.
    static func name(_ label: String) -> String { MetricCatalog.renamed[label] ?? label }

    private static func help(_ name: String) -> String { MetricCatalog.help[name] ?? "" }

    public func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        let name = Self.name(label)
        return registry.makeCounter(name: name, labels: dimensions, help: Self.help(name))
    }

    public func makeFloatingPointCounter(label: String, dimensions: [(String, String)]) -> any FloatingPointCounterHandler {
        let name = Self.name(label)
        return registry.makeCounter(name: name, labels: dimensions, help: Self.help(name))
    }

    public func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        let name = Self.name(label)
        guard aggregate else { return registry.makeGauge(name: name, labels: dimensions, help: Self.help(name)) }
        return registry.makeValueHistogram(
            name: name, labels: dimensions, buckets: base.defaultValueHistogramBuckets, help: Self.help(name))
    }

    public func makeMeter(label: String, dimensions: [(String, String)]) -> any MeterHandler {
        let name = Self.name(label)
        return registry.makeGauge(name: name, labels: dimensions, help: Self.help(name))
    }

    public func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        let name = Self.name(label)
        let buckets = MetricCatalog.durationBuckets[name] ?? base.defaultDurationHistogramBuckets
        return registry.makeDurationHistogram(name: name, labels: dimensions, buckets: buckets, help: Self.help(name))
    }

    public func destroyCounter(_ handler: any CounterHandler) { base.destroyCounter(handler) }
    public func destroyFloatingPointCounter(_ handler: any FloatingPointCounterHandler) { base.destroyFloatingPointCounter(handler) }
    public func destroyRecorder(_ handler: any RecorderHandler) { base.destroyRecorder(handler) }
    public func destroyMeter(_ handler: any MeterHandler) { base.destroyMeter(handler) }
    public func destroyTimer(_ handler: any TimerHandler) { base.destroyTimer(handler) }
}
