import BridgeCore

/// The enrichment stage: may fill identifiers the event lacks (never
/// overwriting what the backend sent) within a time budget, and says which it
/// added. Runs after the consent decision, only for events that some
/// destination may receive.
public protocol EnrichmentStage: Sendable {
    func enrich(_ event: ConversionEvent) async -> EnrichmentResult
}

/// An event after enrichment and which identifiers enrichment added.
public struct EnrichmentResult: Sendable {
    public var event: ConversionEvent
    public var added: IdentifierSet

    public init(event: ConversionEvent, added: IdentifierSet = .init()) {
        self.event = event
        self.added = added
    }
}

/// Adds nothing: the stage until enrichment providers are configured.
public struct PassThroughEnrichment: EnrichmentStage {
    public init() {}
    public func enrich(_ event: ConversionEvent) async -> EnrichmentResult { EnrichmentResult(event: event) }
}
