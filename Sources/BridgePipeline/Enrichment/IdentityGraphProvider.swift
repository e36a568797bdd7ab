import BridgeCore
import BridgeStore
import Logging

/// The built-in identity graph: fills customer fields the event lacks from
/// what earlier events of the same person carried, and says what this event
/// teaches the graph.
///
/// Lookup: the event's link keys (e-mail, phone and external id digests,
/// click and browser ids) find a person; the fields the event lacks are
/// filled with that person's digests, per platform (each platform gets the
/// digest of its own normalization, or nothing). Only digests are stored or
/// filled, never raw values; fields a platform takes in clear are never
/// filled for it.
///
/// The graph learns the event's link keys (including click ids derived by
/// an earlier provider) and the attributes the backend sent.
///
/// Learning is off the critical path and cannot be lost or misplaced: the
/// observation (digests of this event's identifiers) travels with the
/// prepared event and is written in the transaction that stores its
/// deliveries (`PreparedEvent.identityObservation`). An event erased or
/// re-leased meanwhile therefore teaches nothing, and a crash before the
/// commit re-prepares and re-learns it. Events of the same prepare batch do
/// not see each other's observations.
public struct IdentityGraphProvider: EnrichmentProvider {
    public let name: String
    let store: any IdentityGraphStore
    /// The configured destinations' platforms: whose digests to store and fill.
    let platforms: [Platform]
    /// Region for phone numbers of events without a country.
    let defaultRegion: String?
    let metrics: BridgeMetrics?
    let logger: Logger

    public init(
        name: String = "identity_graph", store: any IdentityGraphStore, platforms: [Platform], defaultRegion: String?,
        metrics: BridgeMetrics? = nil, logger: Logger
    ) {
        self.name = name
        self.store = store
        self.platforms = Array(Set(platforms)).sorted { $0.rawValue < $1.rawValue }
        self.defaultRegion = defaultRegion
        self.metrics = metrics
        self.logger = logger
    }

    public func contribution(to draft: EnrichmentDraft, deadline: ContinuousClock.Instant) async -> EnrichmentContribution {
        let observation = observation(of: draft)
        guard let keys = observation?.keys, !keys.isEmpty else {
            metrics?.enrichmentLookup(provider: name, outcome: .noKeys)
            return .none
        }
        let profile: IdentityProfile?
        do {
            profile = try await store.identityProfile(for: keys)
        } catch {
            metrics?.enrichmentLookup(provider: name, outcome: .error)
            logger.warning("identity graph lookup failed", metadata: ["enrichment.provider": "\(name)", "error.code": "\(error.code.rawValue)"])
            return EnrichmentContribution(identityObservation: observation)
        }
        guard let profile else {
            metrics?.enrichmentLookup(provider: name, outcome: .miss)
            return EnrichmentContribution(identityObservation: observation)
        }
        metrics?.enrichmentLookup(provider: name, outcome: .hit)
        var digests: [CustomerField: [Platform: String]] = [:]
        for field in CustomerField.allCases where !draft.has(field) {
            var byPlatform: [Platform: String] = [:]
            for platform in platforms {
                if let digest = profile.attributes[IdentityAttribute.kind(field, platform)] { byPlatform[platform] = digest }
            }
            if !byPlatform.isEmpty { digests[field] = byPlatform }
        }
        return EnrichmentContribution(digests: digests, identityObservation: observation)
    }

    /// What the graph learns: link keys of the event as it reaches this
    /// provider (click ids derived by an earlier provider included), and
    /// attributes of what the backend sent only — values a data vendor
    /// returned are used for this event but never accumulated in the graph.
    func observation(of draft: EnrichmentDraft) -> IdentityObservation? {
        let region = IdentifierPreparer.region(customer: draft.original.customer, defaultRegion: defaultRegion)
        let keys = IdentityDigests.linkKeys(customer: draft.event.customer, client: draft.event.client, region: region)
        guard !keys.isEmpty else { return nil }
        return IdentityObservation(
            keys: keys, attributes: IdentityDigests.attributes(customer: draft.original.customer, region: region, platforms: platforms),
            seenAt: draft.original.eventTime)
    }
}
