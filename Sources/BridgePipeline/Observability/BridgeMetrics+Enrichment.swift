import BridgeCore
import CoreMetrics

/// The enrichment part of the metrics catalog (`BridgeMetrics`): labels are
/// configured provider names, a fixed outcome set and identifier key names,
/// never values.
extension BridgeMetrics {
    /// What one provider did for one event.
    public enum EnrichmentOutcome: String, Sendable {
        /// Answered with a profile (or found the person in the graph).
        case hit
        /// Answered: nothing known.
        case miss
        /// Answered from the cache.
        case cached
        /// Not asked: the event has none of the provider's lookup keys.
        case noKeys = "no_keys"
        /// Not asked: the breaker is open.
        case breakerOpen = "breaker_open"
        /// Not asked: the concurrency limit was reached.
        case busy
        /// Not asked: throttled (429) until its Retry-After.
        case throttled
        case timeout
        /// Network, TLS or HTTP error.
        case error
        /// An answer that is not the JSON expected.
        case malformed
        /// The event's budget ran out before or during the call.
        case budgetExhausted = "budget_exhausted"
    }

    /// Counts `capi_bridge_enrichment_lookups_total{provider, outcome}`.
    public func enrichmentLookup(provider: String, outcome: EnrichmentOutcome) {
        counter("capi_bridge_enrichment_lookups_total", [("provider", provider), ("outcome", outcome.rawValue)]).increment()
    }

    /// Counts `capi_bridge_enrichment_identifiers_added_total{provider, identifier}`.
    public func enrichmentAdded(provider: String, identifier: String) {
        counter("capi_bridge_enrichment_identifiers_added_total", [("provider", provider), ("identifier", identifier)]).increment()
    }

    /// Records `capi_bridge_enrichment_seconds{provider}`: time spent in one provider for one event.
    public func enrichmentDuration(provider: String, elapsed: Duration) {
        let (seconds, attoseconds) = elapsed.components
        timer("capi_bridge_enrichment_seconds", [("provider", provider)]).recordNanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
