import CoreMetrics
import Metrics
import BridgeCore
import BridgeStore
import Synchronization

/// Every metric the bridge exports, in one catalog. Names follow
/// `capi_bridge_<area>_<what>_<unit>`; labels come from small fixed sets
/// (configured source and destination names, outcomes), never ids or
/// identifiers.
public final class BridgeMetrics: Sendable {
    private let factory: any MetricsFactory
    private let counters = Mutex<[MetricKey: Counter]>([:])
    private let timers = Mutex<[MetricKey: Timer]>([:])
    private let gauges = Mutex<[MetricKey: Gauge]>([:])
    /// Metrics with `# HELP` text, straight in the Prometheus registry when
    /// there is one (`BridgeMetrics+Health`).
    let described: DescribedMetrics?
    /// What the health alerts count (`HealthTally`), fed by the calls below.
    public let health: HealthTally

    /// A metric name and its label values, hashed without building strings.
    struct MetricKey: Hashable {
        let label: String
        let values: [String]
        init(_ label: String, _ dimensions: [(String, String)]) {
            self.label = label
            self.values = dimensions.map(\.1)
        }
    }

    /// - Parameters:
    ///   - factory: where metrics go (the Prometheus factory in the
    ///     executable, a test factory in tests).
    ///   - now: the clock the health tally buckets counts by.
    public convenience init(factory: any MetricsFactory, now: @escaping @Sendable () -> Timestamp = HealthTally.wallClock) {
        self.init(factory: factory, described: nil, now: now)
    }

    /// - Parameter described: where metrics with `# HELP` text go
    ///   (`init(factory:registry:now:)`).
    init(factory: any MetricsFactory, described: DescribedMetrics?, now: @escaping @Sendable () -> Timestamp) {
        self.factory = factory
        self.described = described
        self.health = HealthTally(now: now)
    }

    /// Outcome of one ingest request.
    public enum IngestOutcome: String, Sendable {
        case accepted, duplicate, ignored, ping
        case badSignature = "bad_signature"
        case staleTimestamp = "stale_timestamp"
        case invalidPayload = "invalid_payload"
        case unsupportedMediaType = "unsupported_media_type"
        case tooLarge = "too_large"
        case unknownSource = "unknown_source"
        case unauthorized
        case overloaded
        case storeUnavailable = "store_unavailable"
    }

    /// Counts one webhook or events-API request by source and outcome.
    public func ingestRequest(source: String, outcome: IngestOutcome) {
        counter("capi_bridge_ingest_requests_total", [("source", source), ("outcome", outcome.rawValue)]).increment()
        switch outcome {
        case .accepted, .duplicate, .ignored, .ping: health.verifiedRequest(source: source)
        case .badSignature, .staleTimestamp, .unauthorized: health.count(.signatureFailures, for: .source(source))
        default: break
        }
    }

    /// Counts events stored or recognised as duplicates.
    public func ingestEvents(source: String, accepted: Int, duplicates: Int) {
        if accepted > 0 { counter("capi_bridge_ingest_events_total", [("source", source), ("outcome", "accepted")]).increment(by: accepted) }
        if duplicates > 0 { counter("capi_bridge_ingest_events_total", [("source", source), ("outcome", "duplicate")]).increment(by: duplicates) }
    }

    /// Records how long a durable acknowledgement took.
    public func ingestAcknowledged(source: String, nanoseconds: Int64) {
        timer("capi_bridge_ingest_ack_seconds", [("source", source)]).recordNanoseconds(nanoseconds)
    }

    /// Counts deliveries written by the prepare stage by state and consent decision.
    public func prepared(destination: String, state: String, consent: String, reason: String) {
        counter("capi_bridge_prepare_deliveries_total", [("destination", destination), ("state", state)]).increment()
        counter("capi_bridge_consent_decisions_total", [("destination", destination), ("action", consent), ("reason", reason)]).increment()
    }

    /// Counts delivery outcomes (`delivered`, `retry`, `dead_letter`).
    public func deliveryOutcome(destination: String, outcome: String, count: Int = 1) {
        counter("capi_bridge_deliveries_total", [("destination", destination), ("outcome", outcome)]).increment(by: count)
        switch outcome {
        case "delivered": health.count(.delivered, for: .destination(destination), by: count)
        case "retry": health.count(.retried, for: .destination(destination), by: count)
        case "dead_letter": health.count(.deadLettered, for: .destination(destination), by: count)
        default: break
        }
    }

    /// One request to a destination: its verdict and duration.
    public func deliveryRequest(destination: String, verdict: String, seconds elapsed: Duration, events: Int) {
        counter("capi_bridge_delivery_requests_total", [("destination", destination), ("verdict", verdict)]).increment()
        timer("capi_bridge_delivery_request_seconds", [("destination", destination)]).recordNanoseconds(elapsed.nanosecondsValue)
    }

    /// One delivery acknowledged: counted, and its end-to-end latency
    /// (received → acknowledged by the platform) recorded.
    public func delivered(destination: String, receivedAt: Timestamp, now: Timestamp) {
        deliveryOutcome(destination: destination, outcome: "delivered")
        let millis = max(0, now.millisecondsSinceEpoch - receivedAt.millisecondsSinceEpoch)
        timer("capi_bridge_end_to_end_seconds", [("destination", destination)]).recordNanoseconds(millis * 1_000_000)
    }

    /// Queue depth, oldest undelivered age and dead letters per destination.
    public func queue(destination: String, pending: Int, dead: Int, oldestAgeSeconds: Double) {
        gauge("capi_bridge_outbox_pending_events", [("destination", destination)]).record(pending)
        gauge("capi_bridge_dead_letters", [("destination", destination)]).record(dead)
        gauge("capi_bridge_outbox_oldest_age_seconds", [("destination", destination)]).record(oldestAgeSeconds)
    }

    /// Events received and not yet prepared (every destination waits for them).
    public func unprepared(_ count: Int) {
        gauge("capi_bridge_outbox_unprepared_events", []).record(count)
    }

    /// A torn segment moved out of an audit file (an interrupted write).
    public func auditTornSegment() {
        counter("capi_bridge_audit_torn_segments_total", []).increment()
    }

    /// An audit entry that could not be written; its deliveries stay pending.
    public func auditWriteFailed(destination: String) {
        counter("capi_bridge_audit_write_failures_total", [("destination", destination)]).increment()
    }

    /// Whether a destination's circuit is open (1) or paused (2), else 0.
    public func circuit(destination: String, state: Int) {
        gauge("capi_bridge_circuit_state", [("destination", destination)]).record(state)
    }

    /// A gauge, created once per name and label set.
    public func gauge(_ label: String, _ dimensions: [(String, String)]) -> Gauge {
        let key = MetricKey(label, dimensions)
        return gauges.withLock { cache in
            if let existing = cache[key] { return existing }
            let made = Gauge(label: label, dimensions: dimensions, factory: factory)
            cache[key] = made
            return made
        }
    }

    /// A counter, created once per name and label set.
    public func counter(_ label: String, _ dimensions: [(String, String)]) -> Counter {
        let key = MetricKey(label, dimensions)
        return counters.withLock { cache in
            if let existing = cache[key] { return existing }
            let made = Counter(label: label, dimensions: dimensions, factory: factory)
            cache[key] = made
            return made
        }
    }

    /// A timer (a histogram in Prometheus), created once per name and label set.
    public func timer(_ label: String, _ dimensions: [(String, String)]) -> Timer {
        let key = MetricKey(label, dimensions)
        return timers.withLock { cache in
            if let existing = cache[key] { return existing }
            let made = Timer(label: label, dimensions: dimensions, preferredDisplayUnit: .seconds, factory: factory)
            cache[key] = made
            return made
        }
    }
}

extension Duration {
    /// The duration in whole nanoseconds (saturating).
    public var nanosecondsValue: Int64 {
        let (seconds, attoseconds) = components
        let (product, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        return overflow ? Int64.max : product + attoseconds / 1_000_000_000
    }
}
