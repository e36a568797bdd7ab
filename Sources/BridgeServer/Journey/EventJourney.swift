import BridgeCore
import BridgePipeline
import BridgeStore

/// One sale's journey through the bridge, as operators read it (`capi-bridge
/// events show`, `GET /v1/events/{id}`): how and when the event arrived,
/// what enrichment added, and per destination the consent decision, every
/// attempt and the outcome, with the audit entries that hold it.
///
/// Built from the store's `JourneyRecord` and the audit files: event ids,
/// delivery keys, names, counts, codes and times. Identifiers appear only
/// as their kinds (`email`, `fbc`), never as values; the platforms' messages
/// are redacted (`PersonalDataScanner`).
public struct EventJourney: Sendable {
    public var eventID: String
    public var source: String
    /// The source's kind (`shopify`, `stripe`, …), `events-api`, or `unknown`
    /// for a source no longer configured.
    public var sourceKind: String
    public var eventName: String
    public var eventTime: Timestamp
    public var orderID: String?
    /// The value as the event carries it (`19.90`) and its currency.
    public var value: String?
    public var currency: String?
    public var isTest: Bool
    public var arrival: Arrival
    /// What enrichment added, per provider, over every destination.
    public var enrichment: [Enrichment]
    public var destinations: [Destination]
    /// `nil` when the audit log was not searched.
    public var audit: AuditLocator.Result?

    /// How and when the event arrived.
    public struct Arrival: Sendable {
        public var receivedAt: Timestamp
        /// `webhook` (`POST /v1/webhooks/{source}`) or `events-api` (`POST /v1/events`).
        public var route: String
        /// The delivery keys (webhook ids, event ids of the sender, body digests) of the request that stored it.
        public var deliveryKeys: [String]
        public var duplicatesSeen: Int
        public var lastDuplicateAt: Timestamp?
        public var duplicateKeys: [String]
        public var preparedAt: Timestamp?
        public var identifiersSealed: Bool
        /// The store's outbox sequence number.
        public var sequence: Int64
    }

    /// What one enrichment provider added.
    public struct Enrichment: Sendable, Equatable {
        public var provider: String
        /// Identifier kinds, never values.
        public var identifiers: [String]
        /// The destinations it added them for.
        public var destinations: [String]
    }

    /// One destination's part of the journey.
    public struct Destination: Sendable {
        public var name: String
        public var state: String
        public var preparedAt: Timestamp
        public var consentAction: String
        public var consentReason: String
        public var skipReason: String?
        public var identifiersSent: [String]
        public var identifiersAdded: [String]
        public var identifiersDropped: [String]
        public var enrichedBy: [(provider: String, identifiers: [String])]
        public var attemptCount: Int
        public var attempts: [Attempt]
        public var nextAttemptAt: Timestamp?
        public var lastStatus: Int?
        public var deliveredAt: Timestamp?
        public var batchID: String?
        public var deadLetter: DeadLetterInfo?
    }

    /// One attempt at delivering.
    public struct Attempt: Sendable {
        public var at: Timestamp
        /// `delivered`, `retry` or `dead_letter`.
        public var outcome: String
        public var status: Int?
        public var nextAttemptAt: Timestamp?
        /// Why (redacted): the retry reason, the dead-letter code and message, or the batch.
        public var detail: String
    }

    /// Why a delivery was given up.
    public struct DeadLetterInfo: Sendable {
        public var code: String
        /// Redacted.
        public var message: String
        public var at: Timestamp?
    }
}

extension EventJourney {
    /// The journey of `record`.
    /// - Parameters:
    ///   - sourceKinds: configured source name → kind (`shopify`, …; the events API's → `events-api`).
    ///   - eventsAPISource: the events API's source name.
    ///   - audit: what the audit search found, when it ran.
    public init(_ record: JourneyRecord, sourceKinds: [String: String], eventsAPISource: String, audit: AuditLocator.Result?) {
        let scanner = PersonalDataScanner()
        let event = record.event
        let decoded = try? StoredEventCodec.event(clear: event.body, source: event.source)
        eventID = event.eventID
        source = event.source
        sourceKind = sourceKinds[event.source] ?? "unknown"
        eventName = event.eventName
        eventTime = event.eventTime
        orderID = event.orderID ?? decoded?.orderID
        value = decoded?.value.map { $0.amount.description }
        currency = decoded?.value.map { $0.currency.code }
        isTest = event.isTest
        arrival = Arrival(
            receivedAt: event.receivedAt, route: event.source == eventsAPISource ? "events-api" : "webhook", deliveryKeys: event.deliveryKeys,
            duplicatesSeen: event.duplicatesSeen, lastDuplicateAt: event.lastDuplicateAt, duplicateKeys: event.duplicateKeys,
            preparedAt: event.preparedAt, identifiersSealed: event.identifiersSealed, sequence: event.sequence)
        var byProvider: [String: (identifiers: IdentifierSet, destinations: [String])] = [:]
        destinations = record.deliveries.map { delivery in
            for (provider, added) in delivery.enrichedBy where !added.isEmpty {
                byProvider[provider, default: (IdentifierSet(), [])].identifiers.mask |= added.mask
                byProvider[provider, default: (IdentifierSet(), [])].destinations.append(delivery.destination)
            }
            var deadLetter: DeadLetterInfo?
            if let code = delivery.deadCode {
                deadLetter = DeadLetterInfo(
                    code: code, message: scanner.redacting(String((delivery.lastError ?? "").prefix(300))), at: delivery.deadAt)
            }
            return Destination(
                name: delivery.destination, state: delivery.state, preparedAt: delivery.preparedAt, consentAction: delivery.consentAction,
                consentReason: delivery.consentReason, skipReason: delivery.skipReason, identifiersSent: Self.names(delivery.identifiers),
                identifiersAdded: Self.names(delivery.enriched), identifiersDropped: Self.names(delivery.dropped),
                enrichedBy: delivery.enrichedBy.sorted { $0.key < $1.key }.map { ($0.key, Self.names($0.value)) },
                attemptCount: delivery.attempts,
                attempts: delivery.attemptLog.map { entry in
                    Attempt(
                        at: entry.at, outcome: entry.outcome.rawValue, status: entry.status, nextAttemptAt: entry.nextAttemptAt,
                        detail: scanner.redacting(entry.detail))
                },
                nextAttemptAt: delivery.nextAttemptAt, lastStatus: delivery.lastStatus, deliveredAt: delivery.deliveredAt, batchID: delivery.batchID,
                deadLetter: deadLetter)
        }
        enrichment = byProvider.sorted { $0.key < $1.key }.map {
            Enrichment(provider: $0.key, identifiers: Self.names($0.value.identifiers), destinations: $0.value.destinations.sorted())
        }
        self.audit = audit
    }

    /// The canonical names of the identifier kinds in `set`.
    static func names(_ set: IdentifierSet) -> [String] { set.map(\.description) }

    /// The time span the audit log is searched over: from arrival to the
    /// latest activity recorded for any destination.
    static func auditWindow(_ record: JourneyRecord) -> (from: Timestamp, through: Timestamp) {
        var latest = record.event.preparedAt ?? record.event.receivedAt
        for delivery in record.deliveries {
            for time in [delivery.preparedAt, delivery.deliveredAt, delivery.deadAt].compactMap({ $0 }) + delivery.attemptLog.map(\.at) {
                latest = max(latest, time)
            }
        }
        return (record.event.receivedAt, latest)
    }
}
