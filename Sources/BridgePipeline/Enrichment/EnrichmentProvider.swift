import BridgeCore

/// One source of identifiers in the enrichment chain: an HTTP lookup, the
/// identity graph, click-id derivation. Providers never throw and never
/// overwrite: they say what they found, and the chain keeps only what the
/// event still lacks.
public protocol EnrichmentProvider: Sendable {
    /// The configured name (`crm`, `graph`): metrics label, reports, `enriched_by`.
    var name: String { get }

    /// What this provider can add to `draft`, returning by `deadline`
    /// (the chain stops waiting then, and cancels the call).
    func contribution(to draft: EnrichmentDraft, deadline: ContinuousClock.Instant) async -> EnrichmentContribution
}

/// The event as enrichment has it so far: the backend's event plus what
/// earlier providers added.
public struct EnrichmentDraft: Sendable {
    /// The event as the backend sent it.
    public let original: ConversionEvent
    /// `original` plus raw values and click ids added so far.
    public internal(set) var event: ConversionEvent
    /// Fields filled as per-platform digests so far.
    public internal(set) var digests: [CustomerField: [Platform: String]]

    public init(original: ConversionEvent) {
        self.original = original
        self.event = original
        self.digests = [:]
    }

    /// Whether `field` has a value (from the backend or a provider).
    public func has(_ field: CustomerField) -> Bool { event.customer[field] != nil || digests[field] != nil }
}

/// What one provider found. The chain applies it without overwriting.
public struct EnrichmentContribution: Sendable {
    /// Raw customer values (normalized and hashed per destination later).
    public var customer: [CustomerField: String]
    /// Click ids, sent in clear where a platform takes them.
    public var clickIDs: [ClickIDKind: String]
    /// Customer fields as digests, per platform.
    public var digests: [CustomerField: [Platform: String]]
    /// What the identity graph should learn from the event.
    public var identityObservation: IdentityObservation?

    public init(
        customer: [CustomerField: String] = [:], clickIDs: [ClickIDKind: String] = [:], digests: [CustomerField: [Platform: String]] = [:],
        identityObservation: IdentityObservation? = nil
    ) {
        self.customer = customer
        self.clickIDs = clickIDs
        self.digests = digests
        self.identityObservation = identityObservation
    }

    /// Nothing found.
    public static let none = EnrichmentContribution()
}
