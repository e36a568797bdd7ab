import BridgeCore
import Logging

/// The configured enrichment providers, run in order for each event within
/// one time budget. Conforms to `EnrichmentStage`.
///
/// Guarantees:
/// - never overwrites: a provider's value is kept only for a field or click
///   id still empty when it answers (so the first provider to fill a field
///   wins, and what the backend sent always wins);
/// - records, per provider, which identifiers it added;
/// - never throws and never loses the event: a provider that fails, is
///   skipped or runs out of time adds nothing, and the event goes on;
/// - returns by the budget: each provider gets what is left of it, the chain
///   stops waiting at the deadline and cancels the call; providers after an
///   exhausted budget are skipped.
public struct EnrichmentChain: EnrichmentStage {
    public let providers: [any EnrichmentProvider]
    /// The total time one event may spend in enrichment.
    public let budget: Duration
    public let preferredConcurrency: Int
    let metrics: BridgeMetrics?
    let logger: Logger

    /// - Parameters:
    ///   - budget: per event, across all providers (default 500 ms).
    ///   - concurrency: events enriched at once (the prepare stage's lanes).
    public init(
        providers: [any EnrichmentProvider], budget: Duration = .milliseconds(500), concurrency: Int = 16, metrics: BridgeMetrics? = nil,
        logger: Logger
    ) {
        self.providers = providers
        self.budget = budget
        self.preferredConcurrency = max(1, concurrency)
        self.metrics = metrics
        self.logger = logger
    }

    public func enrich(_ event: ConversionEvent) async -> EnrichmentResult {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: budget)
        var draft = EnrichmentDraft(original: event)
        var result = EnrichmentResult(event: event)
        for provider in providers {
            guard clock.now < deadline, !Task.isCancelled else {
                metrics?.enrichmentLookup(provider: provider.name, outcome: .budgetExhausted)
                continue
            }
            let started = clock.now
            let current = draft
            let contribution = await Self.until(deadline) { await provider.contribution(to: current, deadline: deadline) }
            metrics?.enrichmentDuration(provider: provider.name, elapsed: clock.now - started)
            guard let contribution else {
                metrics?.enrichmentLookup(provider: provider.name, outcome: .budgetExhausted)
                logger.debug("enrichment provider ran out of time", metadata: ["enrichment.provider": "\(provider.name)"])
                continue
            }
            let added = Self.apply(contribution, to: &draft)
            if !added.isEmpty {
                result.addedByProvider[provider.name] = added
                result.added.mask |= added.mask
                for key in added { metrics?.enrichmentAdded(provider: provider.name, identifier: key.description) }
            }
            if let observation = contribution.identityObservation { result.identityObservation = observation }
        }
        result.event = draft.event
        result.digests = draft.digests
        return result
    }

    /// Applies what the draft still lacks; returns the keys added.
    static func apply(_ contribution: EnrichmentContribution, to draft: inout EnrichmentDraft) -> IdentifierSet {
        var added = IdentifierSet()
        for (field, value) in contribution.customer.sorted(by: { $0.key.rawValue < $1.key.rawValue }) where !draft.has(field) {
            guard !value.trimmingWhitespace().isEmpty else { continue }
            draft.event.customer[field] = PersonalData(value)
            added.insert(IdentifierKey(field))
        }
        for (field, byPlatform) in contribution.digests where !draft.has(field) {
            let valid = byPlatform.filter { IdentifierHasher.isSHA256Hex($0.value) }.mapValues { $0.lowercased() }
            guard !valid.isEmpty else { continue }
            draft.digests[field] = valid
            added.insert(IdentifierKey(field))
        }
        for (kind, value) in contribution.clickIDs where draft.event.client[clickID: kind] == nil {
            guard !value.trimmingWhitespace().isEmpty else { continue }
            draft.event.client[clickID: kind] = PersonalData(value)
            added.insert(IdentifierKey(kind))
        }
        return added
    }

    /// Runs `work`, giving up at `deadline`: returns `nil` then, after
    /// cancelling it (providers stop promptly when cancelled: HTTP requests
    /// are cancelled, store reads are short).
    static func until<T: Sendable>(_ deadline: ContinuousClock.Instant, _ work: @escaping @Sendable () async -> T) async -> T? {
        await withTaskGroup(of: T?.self) { group in
            group.addTask { await work() }
            group.addTask {
                try? await Task.sleep(until: deadline, clock: .continuous)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }
}
