import BridgeCore
import BridgeDestinations
import BridgeStore

/// Turns one stored event into one delivery per destination, running the
/// stages in order: consent decision, enrichment, then normalization and
/// hashing by the destination's rules. The deliveries hold only hashed
/// identifiers; the clear fields a platform requires are sealed. Pure apart
/// from the enrichment stage it awaits.
public struct PreparationStage: Sendable {
    public let routes: [DestinationRoute]
    let enrichment: any EnrichmentStage
    let sealer: IdentifierSealer

    /// How many events may be prepared at once (see `EnrichmentStage.preferredConcurrency`).
    public var enrichmentConcurrency: Int { max(2, enrichment.preferredConcurrency) }

    public init(routes: [DestinationRoute], enrichment: any EnrichmentStage, sealer: IdentifierSealer) {
        self.routes = routes
        self.enrichment = enrichment
        self.sealer = sealer
    }

    /// The deliveries of `event`, one per route, in route order.
    public func prepare(_ event: ConversionEvent) async -> [NewDelivery] {
        await prepareWithEnrichment(event).deliveries
    }

    /// The deliveries of `event` and what the identity graph learns from it:
    /// nothing unless some destination may send it without restrictions
    /// (consent `send`), so a suppressed or limited event never feeds the graph.
    public func prepareWithEnrichment(_ event: ConversionEvent) async -> (deliveries: [NewDelivery], identity: IdentityObservation?) {
        let country = event.customer[.country]?.rawValue
        let state = event.customer[.state]?.rawValue
        let decisions = routes.map { route in
            ConsentEngine.decide(
                signals: event.consent, country: country, state: state, policy: route.consentPolicy, platform: route.destination.platform)
        }
        // Enrich only when some destination may receive the event.
        var enriched = EnrichmentResult(event: event)
        if decisions.contains(where: { !$0.isSuppressed }) {
            enriched = await enrichment.enrich(event)
        }
        let deliveries = zip(routes, decisions).map { route, decision in
            delivery(for: enriched, route: route, decision: decision)
        }
        return (deliveries, decisions.contains { $0.action == .send } ? enriched.identityObservation : nil)
    }

    func delivery(for enriched: EnrichmentResult, route: DestinationRoute, decision: ConsentDecision) -> NewDelivery {
        let destination = route.destination
        let event = enriched.event(for: destination.platform)
        var delivery = NewDelivery(
            destination: destination.name, state: .suppressed, payload: nil, sealed: nil,
            consentAction: decision.action.rawValue, consentReason: decision.reason.rawValue)
        guard !decision.isSuppressed else { return delivery }
        if event.isTest, !route.sendsTestEvents {
            delivery.state = .skipped
            delivery.skipReason = "test_event"
            return delivery
        }
        let identifiers = IdentifierPreparer.prepare(
            customer: event.customer, client: event.client, for: destination.platform, defaultRegion: route.defaultRegion)
        delivery.identifiers = PreparationStage.sentKeys(identifiers)
        delivery.dropped = IdentifierSet(identifiers.dropped.keys.map(IdentifierKey.init))
        delivery.enriched = IdentifierSet(mask: enriched.added.mask & delivery.identifiers.mask)
        delivery.enrichedBy = enriched.addedByProvider.mapValues { IdentifierSet(mask: $0.mask & delivery.identifiers.mask) }.filter { !$0.value.isEmpty }
        switch destination.makeItem(event, identifiers: identifiers, consent: decision) {
        case .skip(let reason):
            delivery.state = .skipped
            delivery.skipReason = reason
        case .item(let item):
            let (payload, clear) = PreparationStage.split(item, at: route.clearFields)
            delivery.state = .pending
            delivery.payload = JSONWriter.bytes(payload, sortedKeys: false)
            if let clear {
                delivery.sealed = sealer.seal(
                    JSONWriter.bytes(clear, sortedKeys: false),
                    context: ClaimedDelivery.sealContext(destination: destination.name, source: event.source, eventID: event.eventID))
            }
        }
        return delivery
    }

    /// Which identifiers a prepared set sends.
    static func sentKeys(_ identifiers: PreparedIdentifiers) -> IdentifierSet {
        var keys = IdentifierSet()
        for (field, prepared) in identifiers.customer where prepared.value != nil { keys.insert(IdentifierKey(field)) }
        for field in identifiers.client.keys {
            switch field {
            case .ipAddress: keys.insert(.ipAddress)
            case .userAgent: keys.insert(.userAgent)
            case .clickID(let kind): keys.insert(IdentifierKey(kind))
            }
        }
        return keys
    }

    /// Separates the clear fields (at `paths`) from an item: the item without
    /// them, and an object `{pointer: value}` of what was removed (or `nil`).
    public static func split(_ item: JSONValue, at keys: ClearFieldKeys) -> (JSONValue, JSONValue?) {
        var remaining = item
        var clear: [String: JSONValue] = [:]
        for (text, path) in keys.entries {
            let (rest, removed) = remaining.removing(at: path)
            remaining = rest
            if let removed { clear[text] = removed }
        }
        return (remaining, clear.isEmpty ? nil : .object(clear))
    }

    /// Puts split-off clear fields back into an item.
    /// - Parameter keys: the keys the fields were split at, so they need no
    ///   parsing; any other key (sealed under older paths) is parsed.
    public static func join(_ item: JSONValue, clear: JSONValue?, keys: ClearFieldKeys) -> JSONValue {
        guard case .object(let fields)? = clear else { return item }
        var joined = item
        var placed = 0
        for (text, pointer) in keys.entries {
            guard let value = fields[text] else { continue }
            joined = joined.setting(value, at: pointer)
            placed += 1
        }
        guard placed < fields.count else { return joined }
        let knownTexts = Set(keys.entries.map(\.text))
        for (pointerText, value) in fields.sorted(by: { $0.key < $1.key }) where !knownTexts.contains(pointerText) {
            if let pointer = JSONPointer(parsing: pointerText) { joined = joined.setting(value, at: pointer) }
        }
        return joined
    }
}
