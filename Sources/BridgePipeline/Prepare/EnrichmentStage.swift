import BridgeCore

/// The enrichment stage: may fill identifiers the event lacks (never
/// overwriting what the backend sent) within a time budget, and says which it
/// added. Runs after the consent decision, only for events that some
/// destination may receive.
public protocol EnrichmentStage: Sendable {
    func enrich(_ event: ConversionEvent) async -> EnrichmentResult

    /// How many events the prepare stage may enrich at once (an enrichment
    /// that waits on the network wants more than the CPU-bound default of 2).
    var preferredConcurrency: Int { get }
}

extension EnrichmentStage {
    public var preferredConcurrency: Int { 2 }
}

/// An event after enrichment and which identifiers enrichment added.
public struct EnrichmentResult: Sendable {
    public var event: ConversionEvent
    public var added: IdentifierSet
    /// Of `added`, what each provider added (by provider name).
    public var addedByProvider: [String: IdentifierSet]
    /// Customer fields filled as digests (from the identity graph): per
    /// field, the digest each platform receives. Applied per destination by
    /// `event(for:)`; a platform without a digest gets nothing.
    public var digests: [CustomerField: [Platform: String]]
    /// What the identity graph learns from this event, stored with its deliveries.
    public var identityObservation: IdentityObservation?

    public init(
        event: ConversionEvent, added: IdentifierSet = .init(), addedByProvider: [String: IdentifierSet] = [:],
        digests: [CustomerField: [Platform: String]] = [:], identityObservation: IdentityObservation? = nil
    ) {
        self.event = event
        self.added = added
        self.addedByProvider = addedByProvider
        self.digests = digests
        self.identityObservation = identityObservation
    }

    /// The event as `platform` should receive it: `event` plus the digests
    /// filled for that platform (a 64-hex value passes through normalization
    /// and hashing unchanged).
    public func event(for platform: Platform) -> ConversionEvent {
        guard !digests.isEmpty else { return event }
        var copy = event
        for (field, byPlatform) in digests where copy.customer[field] == nil {
            if let digest = byPlatform[platform] { copy.customer[field] = PersonalData(digest) }
        }
        return copy
    }
}

/// Adds nothing: the stage until enrichment providers are configured.
public struct PassThroughEnrichment: EnrichmentStage {
    public init() {}
    public func enrich(_ event: ConversionEvent) async -> EnrichmentResult { EnrichmentResult(event: event) }
}
