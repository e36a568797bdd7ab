import BridgeCore

/// One sale's journey as the store holds it: how and when its event
/// arrived, and per destination the consent decision, every attempt and
/// the outcome. Nothing here holds personal data: the event's clear part,
/// keys, counts, codes, times and the platforms' messages as the delivery
/// rows keep them (callers redact those before showing them).
public protocol JourneyStore: Sendable {
    /// The events stored under `eventID` (one per source holding that id;
    /// only `source`'s when given), in arrival order, with their deliveries.
    func journeyRecords(eventID: String, source: String?) async throws(StoreError) -> [JourneyRecord]

    /// The events of one order, in arrival order, at most `lookup.limit`:
    /// those stored under one of `lookup.saleEventIDs` (exact ids, any
    /// time), and those whose `order_id` is `lookup.orderID` received at or
    /// after `lookup.receivedSince` (refunds, ids a backend chose itself).
    func journeyRecords(order lookup: OrderLookup) async throws(StoreError) -> [JourneyRecord]
}

/// How to find the events of one order.
public struct OrderLookup: Sendable, Equatable {
    public var orderID: String
    /// Exact `(source, event id)` pairs to look up (`sale:<source>:<order>` per source).
    public var saleEventIDs: [SourceEventID]
    /// How far back to look for events by their `order_id`.
    public var receivedSince: Timestamp
    public var limit: Int

    public init(orderID: String, saleEventIDs: [SourceEventID], receivedSince: Timestamp, limit: Int = 50) {
        self.orderID = orderID
        self.saleEventIDs = saleEventIDs
        self.receivedSince = receivedSince
        self.limit = limit
    }
}

/// An event id within its source.
public struct SourceEventID: Sendable, Hashable {
    public var source: String
    public var eventID: String

    public init(source: String, eventID: String) {
        self.source = source
        self.eventID = eventID
    }
}

/// What the store holds about one event and its deliveries.
public struct JourneyRecord: Sendable, Equatable {
    public var event: Arrival
    /// One per destination, by destination name; empty until prepared.
    public var deliveries: [Delivery]

    public init(event: Arrival, deliveries: [Delivery]) {
        self.event = event
        self.deliveries = deliveries
    }

    /// How and when the event arrived.
    public struct Arrival: Sendable, Equatable {
        public var sequence: Int64
        public var source: String
        public var eventID: String
        public var eventName: String
        public var eventTime: Timestamp
        public var receivedAt: Timestamp
        public var isTest: Bool
        /// The clear part (`StoredEventCodec`; no identifiers).
        public var body: [UInt8]
        public var orderID: String?
        /// The delivery keys of the request that stored it (stored since v7).
        public var deliveryKeys: [String]
        /// Later arrivals of the same event (redeliveries, the other webhooks of the same sale).
        public var duplicatesSeen: Int
        public var lastDuplicateAt: Timestamp?
        /// The keys of the latest duplicates (`-` for one without keys), oldest first.
        public var duplicateKeys: [String]
        public var preparedAt: Timestamp?
        /// Whether its sealed identifiers are still held (not yet prepared or erased).
        public var identifiersSealed: Bool

        public init(
            sequence: Int64, source: String, eventID: String, eventName: String, eventTime: Timestamp, receivedAt: Timestamp, isTest: Bool,
            body: [UInt8], orderID: String?, deliveryKeys: [String], duplicatesSeen: Int, lastDuplicateAt: Timestamp?, duplicateKeys: [String],
            preparedAt: Timestamp?, identifiersSealed: Bool
        ) {
            self.sequence = sequence
            self.source = source
            self.eventID = eventID
            self.eventName = eventName
            self.eventTime = eventTime
            self.receivedAt = receivedAt
            self.isTest = isTest
            self.body = body
            self.orderID = orderID
            self.deliveryKeys = deliveryKeys
            self.duplicatesSeen = duplicatesSeen
            self.lastDuplicateAt = lastDuplicateAt
            self.duplicateKeys = duplicateKeys
            self.preparedAt = preparedAt
            self.identifiersSealed = identifiersSealed
        }
    }

    /// One destination's delivery of the event.
    public struct Delivery: Sendable, Equatable {
        public var destination: String
        /// `pending`, `delivered`, `dead`, `suppressed` or `skipped`.
        public var state: String
        public var preparedAt: Timestamp
        public var consentAction: String
        public var consentReason: String
        public var skipReason: String?
        /// Identifiers sent, added by enrichment, and dropped.
        public var identifiers: IdentifierSet
        public var enriched: IdentifierSet
        public var dropped: IdentifierSet
        /// What each enrichment provider added (`EnrichmentAttribution`).
        public var enrichedBy: [String: IdentifierSet]
        public var attempts: Int
        public var nextAttemptAt: Timestamp?
        public var lastStatus: Int?
        public var lastError: String?
        public var deliveredAt: Timestamp?
        public var batchID: String?
        public var deadCode: String?
        public var deadAt: Timestamp?
        /// Every attempt recorded since v7 (`DeliveryAttemptLog`).
        public var attemptLog: [DeliveryAttemptLog.Entry]

        public init(
            destination: String, state: String, preparedAt: Timestamp, consentAction: String, consentReason: String, skipReason: String?,
            identifiers: IdentifierSet, enriched: IdentifierSet, dropped: IdentifierSet, enrichedBy: [String: IdentifierSet], attempts: Int,
            nextAttemptAt: Timestamp?, lastStatus: Int?, lastError: String?, deliveredAt: Timestamp?, batchID: String?, deadCode: String?,
            deadAt: Timestamp?, attemptLog: [DeliveryAttemptLog.Entry]
        ) {
            self.destination = destination
            self.state = state
            self.preparedAt = preparedAt
            self.consentAction = consentAction
            self.consentReason = consentReason
            self.skipReason = skipReason
            self.identifiers = identifiers
            self.enriched = enriched
            self.dropped = dropped
            self.enrichedBy = enrichedBy
            self.attempts = attempts
            self.nextAttemptAt = nextAttemptAt
            self.lastStatus = lastStatus
            self.lastError = lastError
            self.deliveredAt = deliveredAt
            self.batchID = batchID
            self.deadCode = deadCode
            self.deadAt = deadAt
            self.attemptLog = attemptLog
        }
    }
}

extension JourneyRecord.Arrival {
    /// Keys as stored (space-separated) read back.
    static func keys(_ text: String?) -> [String] {
        text.map { $0.split(separator: " ").map(String.init) } ?? []
    }

    /// `duplicate_keys` read back: when the store cut its front (it keeps the
    /// last 1000 characters), the first, partial key is dropped.
    static func duplicateKeys(_ text: String?) -> [String] {
        var keys = keys(text)
        if let text, text.utf8.count >= IngestRequest.maxArrivalKeyCharacters, !keys.isEmpty { keys.removeFirst() }
        return keys
    }
}
