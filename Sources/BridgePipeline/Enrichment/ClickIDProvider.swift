import BridgeCore

/// Derives click ids the event lacks from what it carries (see
/// `ClickIDDerivation`): the ids in `client.landing_url` the source did not
/// extract, and Meta's `fbc` from an `fbclid` and the event time. No I/O.
public struct ClickIDProvider: EnrichmentProvider {
    public let name: String
    let metrics: BridgeMetrics?

    public init(name: String = "click_ids", metrics: BridgeMetrics? = nil) {
        self.name = name
        self.metrics = metrics
    }

    public func contribution(to draft: EnrichmentDraft, deadline: ContinuousClock.Instant) async -> EnrichmentContribution {
        let found = ClickIDDerivation.missing(in: draft.event.client, eventTime: draft.event.eventTime)
        metrics?.enrichmentLookup(provider: name, outcome: found.isEmpty ? .miss : .hit)
        return EnrichmentContribution(clickIDs: found)
    }
}
