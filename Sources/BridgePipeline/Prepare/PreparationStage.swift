import BridgeCore
import BridgeDestinations
import BridgeStore

/// Turns one stored event into one delivery per destination, running the
/// stages in order: consent decision, enrichment, then normalization and
/// hashing by the destination's rules. Each delivery stores a typed record
/// (`PreparedDeliveryRecord`: the consent decision and the identifiers as its
/// platform takes them), never the platform's JSON; the event's browser
/// context, which some platforms take in clear, is sealed once for all its
/// deliveries. Pure apart from the enrichment stage it awaits.
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

    /// What preparing one event produced.
    public struct Prepared: Sendable {
        /// One per route that takes the event's source, in route order.
        public var deliveries: [NewDelivery]
        /// What the event's deliveries send in clear (`EventSendContext`),
        /// sealed for them (`ClaimedDelivery.clientSealContext`), or `nil`
        /// when there is nothing or no delivery is pending.
        public var clientSealed: [UInt8]?
        /// What the identity graph learns: nothing unless some destination may
        /// send the event without restrictions (consent `send`), so a
        /// suppressed or limited event never feeds the graph.
        public var identity: IdentityObservation?
    }

    /// The deliveries of `event`, one per route that takes its source, in route order.
    public func prepare(_ event: ConversionEvent, now: Timestamp) async -> [NewDelivery] {
        await prepareWithEnrichment(event, now: now).deliveries
    }

    /// Prepares `event` for every route that takes its source
    /// (`DestinationRoute.sources`); an event no route takes gets no delivery.
    public func prepareWithEnrichment(_ event: ConversionEvent, now: Timestamp) async -> Prepared {
        let routes = self.routes.filter { $0.takes(source: event.source) }
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
        // Destinations of one platform and region share one normalization and hashing.
        var prepared: [PlatformRegion: PreparedIdentifiers] = [:]
        var deliveries: [NewDelivery] = []
        deliveries.reserveCapacity(routes.count)
        for (route, decision) in zip(routes, decisions) {
            deliveries.append(delivery(for: enriched, route: route, decision: decision, prepared: &prepared, now: now))
        }
        // What the pending deliveries send in clear, sealed once for all of them.
        var context = EventSendContext(client: enriched.event.client)
        for (key, identifiers) in prepared {
            let clear = identifiers.customer.compactMapValues { $0.value.flatMap { $0.isHashed ? nil : $0.wireValue } }
            if !clear.isEmpty { context.clearValues[EventSendContext.key(platform: key.platform, region: key.region)] = clear }
        }
        let clientSealed =
            context.isEmpty || !deliveries.contains(where: { $0.state == .pending })
            ? nil
            : sealer.seal(context.bytes, context: ClaimedDelivery.clientSealContext(source: event.source, eventID: event.eventID))
        return Prepared(
            deliveries: deliveries, clientSealed: clientSealed, identity: decisions.contains { $0.action == .send } ? enriched.identityObservation : nil)
    }

    /// A platform's identifier rules with a phone region.
    struct PlatformRegion: Hashable {
        let platform: Platform
        let region: String?
    }

    func delivery(
        for enriched: EnrichmentResult, route: DestinationRoute, decision: ConsentDecision, prepared: inout [PlatformRegion: PreparedIdentifiers],
        now: Timestamp
    ) -> NewDelivery {
        let destination = route.destination
        var delivery = NewDelivery(
            destination: destination.name, state: .suppressed, payload: nil,
            consentAction: decision.action.rawValue, consentReason: decision.reason.rawValue)
        guard !decision.isSuppressed else { return delivery }
        if enriched.event.isTest, !route.sendsTestEvents {
            delivery.state = .skipped
            delivery.skipReason = "test_event"
            return delivery
        }
        let key = PlatformRegion(platform: destination.platform, region: route.defaultRegion)
        let identifiers: PreparedIdentifiers
        if let known = prepared[key] {
            identifiers = known
        } else {
            let event = enriched.event(for: destination.platform)
            identifiers = IdentifierPreparer.prepare(
                customer: event.customer, client: event.client, for: destination.platform, defaultRegion: route.defaultRegion)
            prepared[key] = identifiers
        }
        delivery.identifiers = PreparationStage.sentKeys(identifiers)
        delivery.dropped = IdentifierSet(identifiers.dropped.keys.map(IdentifierKey.init))
        delivery.enriched = IdentifierSet(mask: enriched.added.mask & delivery.identifiers.mask)
        delivery.enrichedBy = enriched.addedByProvider.mapValues { IdentifierSet(mask: $0.mask & delivery.identifiers.mask) }.filter { !$0.value.isEmpty }
        // The destination decides now whether it takes the event; the item
        // itself is built again from the record when it is sent.
        switch destination.makeItem(PreparationStage.sendable(enriched.event), identifiers: identifiers, consent: decision, now: now) {
        case .skip(let reason):
            delivery.state = .skipped
            delivery.skipReason = reason
        case .item:
            delivery.state = .pending
            delivery.payload =
                PreparedDeliveryRecord(
                    consent: decision, customer: identifiers.customer,
                    contextKey: EventSendContext.key(platform: key.platform, region: key.region)
                ).bytes
        }
        return delivery
    }

    /// The event as a destination sees it, at prepare and at send time alike:
    /// its clear part and browser context, without the raw customer
    /// identifiers (a destination reads those only as prepared identifiers).
    static func sendable(_ event: ConversionEvent) -> ConversionEvent {
        var copy = event
        copy.customer = CustomerIdentifiers()
        return copy
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
}
