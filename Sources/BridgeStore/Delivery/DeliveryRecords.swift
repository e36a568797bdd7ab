import BridgeCore

/// What the prepare stage produced for one event: one delivery per
/// configured destination. Stored in one transaction with the erasure of the
/// event's sealed identifiers.
public struct PreparedEvent: Sendable {
    public let eventSequence: Int64
    public let deliveries: [NewDelivery]
    /// The event's browser context (IP address, user agent, landing URL,
    /// click and analytics ids, after enrichment), sealed once and shared by
    /// all its deliveries (`events.client_sealed`); erased once none of them
    /// can be sent any more. `nil` when there is none.
    public let clientSealed: [UInt8]?
    /// What the identity graph learns from the event (digests only), stored
    /// in the same transaction, so an event erased or re-leased meanwhile
    /// teaches it nothing.
    public let identityObservation: IdentityObservation?
    /// The event's `utm_campaign`, stored on each delivery
    /// (`deliveries.campaign`) for the report's campaign breakdown.
    public let campaign: String?

    public init(
        eventSequence: Int64, deliveries: [NewDelivery], clientSealed: [UInt8]? = nil, identityObservation: IdentityObservation? = nil,
        campaign: String? = nil
    ) {
        self.eventSequence = eventSequence
        self.deliveries = deliveries
        self.clientSealed = clientSealed
        self.identityObservation = identityObservation
        self.campaign = campaign
    }
}

/// The state of a delivery row.
public enum DeliveryState: String, Sendable, CaseIterable {
    /// Waiting to be sent (or to be retried at `next_attempt`).
    case pending
    /// The platform acknowledged it.
    case delivered
    /// Given up: the reason is kept; `dlq replay` re-queues it.
    case dead
    /// Consent forbade sending: nothing is stored but the decision.
    case suppressed
    /// The destination does not take this event (e.g. no usable identifier).
    case skipped
}

/// One prepared delivery, ready to store.
public struct NewDelivery: Sendable {
    public var destination: String
    public var state: DeliveryState
    /// The `PreparedDeliveryRecord` (consent decision, identifiers as the
    /// platform takes them); `nil` when suppressed or skipped.
    public var payload: [UInt8]?
    /// `consent action:reason`, e.g. `send_limited:gpc_opt_out`.
    public var consentAction: String
    public var consentReason: String
    /// Why a delivery was skipped (or `nil`).
    public var skipReason: String?
    /// Identifiers the item carries, those enrichment added, and those dropped.
    public var identifiers: IdentifierSet
    public var enriched: IdentifierSet
    public var dropped: IdentifierSet
    /// Of `enriched`, what each enrichment provider added (by provider name),
    /// stored as `deliveries.enriched_by` (`EnrichmentAttribution`).
    public var enrichedBy: [String: IdentifierSet]

    public init(
        destination: String, state: DeliveryState, payload: [UInt8]?, consentAction: String,
        consentReason: String, skipReason: String? = nil, identifiers: IdentifierSet = .init(), enriched: IdentifierSet = .init(),
        dropped: IdentifierSet = .init(), enrichedBy: [String: IdentifierSet] = [:]
    ) {
        self.enrichedBy = enrichedBy
        self.destination = destination
        self.state = state
        self.payload = payload
        self.consentAction = consentAction
        self.consentReason = consentReason
        self.skipReason = skipReason
        self.identifiers = identifiers
        self.enriched = enriched
        self.dropped = dropped
    }
}

/// A delivery claimed by a worker under a lease, with what its request is
/// built from: the `PreparedDeliveryRecord` (`payload`), the event's clear
/// part and its sealed browser context. (Rows prepared by earlier versions
/// hold the platform's JSON item in `payload` and its clear fields in `sealed`.)
public struct ClaimedDelivery: Sendable, Equatable {
    public let id: Int64
    public let eventSequence: Int64
    public let destination: String
    public let source: String
    public let eventID: String
    public let eventName: String
    public let eventTime: Timestamp
    public let receivedAt: Timestamp
    public let payload: [UInt8]
    /// Earlier versions' sealed clear fields of this delivery; `nil` for records.
    public let sealed: [UInt8]?
    /// The event's clear part (`StoredEventCodec`).
    public let eventBody: [UInt8]
    /// The event's sealed browser context, or `nil`.
    public let clientSealed: [UInt8]?
    /// Failed attempts so far.
    public let attempts: Int
    /// When the first attempt was made (retry horizon), if any.
    public let firstAttemptAt: Timestamp?
    /// The event's W3C trace context; `nil` for events stored before trace contexts were.
    public let traceParent: TraceParent?

    public init(
        id: Int64, eventSequence: Int64, destination: String, source: String, eventID: String, eventName: String, eventTime: Timestamp,
        receivedAt: Timestamp, payload: [UInt8], sealed: [UInt8]?, eventBody: [UInt8], clientSealed: [UInt8]?, attempts: Int,
        firstAttemptAt: Timestamp?, traceParent: TraceParent? = nil
    ) {
        self.traceParent = traceParent
        self.id = id
        self.eventSequence = eventSequence
        self.eventBody = eventBody
        self.clientSealed = clientSealed
        self.destination = destination
        self.source = source
        self.eventID = eventID
        self.eventName = eventName
        self.eventTime = eventTime
        self.receivedAt = receivedAt
        self.payload = payload
        self.sealed = sealed
        self.attempts = attempts
        self.firstAttemptAt = firstAttemptAt
    }

    /// The AES-GCM context binding earlier versions' sealed clear fields to their delivery.
    public static func sealContext(destination: String, source: String, eventID: String) -> String {
        "capi-bridge/v1/delivery/\(destination)/\(source)/\(eventID)"
    }

    /// The AES-GCM context binding an event's sealed browser context to it.
    public static func clientSealContext(source: String, eventID: String) -> String {
        "capi-bridge/v2/client/\(source)/\(eventID)"
    }
}

/// What happened to one claimed delivery.
public enum DeliveryOutcome: Sendable, Equatable {
    /// Acknowledged by the platform in batch `batchID` with `status`.
    case delivered(id: Int64, batchID: String, status: Int)
    /// Try again at `at` (a failed attempt).
    case retry(id: Int64, at: Timestamp, status: Int?, error: String)
    /// Put back without counting an attempt (circuit open, shutdown, bisect left-overs).
    case release(id: Int64, at: Timestamp)
    /// Given up, with a reason code and the platform's message.
    case dead(id: Int64, code: String, message: String, status: Int?)

    /// The delivery it is about.
    public var id: Int64 {
        switch self {
        case .delivered(let id, _, _), .retry(let id, _, _, _), .release(let id, _), .dead(let id, _, _, _): return id
        }
    }
}

/// A dead-lettered delivery, for the dead-letter commands and API.
public struct DeadLetter: Sendable, Equatable {
    public let id: Int64
    public let destination: String
    public let source: String
    public let eventID: String
    public let eventName: String
    public let eventTime: Timestamp
    public let receivedAt: Timestamp
    public let attempts: Int
    public let code: String
    public let message: String
    public let lastStatus: Int?
    public let deadAt: Timestamp
    public let consent: String
    /// The hashed payload as it would be sent (clear fields left out).
    public let payload: [UInt8]?

    public init(
        id: Int64, destination: String, source: String, eventID: String, eventName: String, eventTime: Timestamp,
        receivedAt: Timestamp, attempts: Int, code: String, message: String, lastStatus: Int?, deadAt: Timestamp,
        consent: String, payload: [UInt8]?
    ) {
        self.id = id
        self.destination = destination
        self.source = source
        self.eventID = eventID
        self.eventName = eventName
        self.eventTime = eventTime
        self.receivedAt = receivedAt
        self.attempts = attempts
        self.code = code
        self.message = message
        self.lastStatus = lastStatus
        self.deadAt = deadAt
        self.consent = consent
        self.payload = payload
    }
}

/// Which dead letters a command acts on.
public struct DeadLetterFilter: Sendable, Equatable {
    public var ids: [Int64]?
    public var destination: String?
    public var code: String?

    public init(ids: [Int64]? = nil, destination: String? = nil, code: String? = nil) {
        self.ids = ids
        self.destination = destination
        self.code = code
    }
}

/// Queue depth and age per destination, for metrics and alerts.
public struct QueueStats: Sendable, Equatable {
    public var pending: Int
    public var dead: Int
    /// Receipt time of the oldest undelivered (pending) event.
    public var oldestPendingReceivedAt: Timestamp?
    /// Events received but not yet prepared (all destinations).
    public var unprepared: Int

    public init(pending: Int = 0, dead: Int = 0, oldestPendingReceivedAt: Timestamp? = nil, unprepared: Int = 0) {
        self.pending = pending
        self.dead = dead
        self.oldestPendingReceivedAt = oldestPendingReceivedAt
        self.unprepared = unprepared
    }
}

/// What a worker asks for when it claims a batch.
public struct DeliveryClaimRequest: Sendable, Equatable {
    public var destination: String
    /// At most this many deliveries…
    public var limit: Int
    /// …whose payloads fit in this many bytes together (always at least one).
    public var maxBytes: Int
    public var owner: String
    public var leaseUntil: Timestamp
    public var now: Timestamp
    /// When set, a batch smaller than `limit` is claimed only once its oldest
    /// delivery became ready at or before this instant (the batcher's maximum
    /// wait); otherwise nothing is claimed and the claim says when to look again.
    public var flushReadyBefore: Timestamp?

    public init(
        destination: String, limit: Int, maxBytes: Int, owner: String, leaseUntil: Timestamp, now: Timestamp, flushReadyBefore: Timestamp? = nil
    ) {
        self.destination = destination
        self.limit = limit
        self.maxBytes = maxBytes
        self.owner = owner
        self.leaseUntil = leaseUntil
        self.now = now
        self.flushReadyBefore = flushReadyBefore
    }
}

/// What one claim found: the deliveries leased to the caller (possibly
/// none), and how many were due and since when, for the batcher.
public struct DeliveryClaim: Sendable, Equatable {
    public var deliveries: [ClaimedDelivery]
    /// Deliveries due and not leased (counting at most the claim's limit).
    public var due: Int
    /// When the oldest due delivery became ready.
    public var oldestReadyAt: Timestamp?

    public init(deliveries: [ClaimedDelivery], due: Int, oldestReadyAt: Timestamp?) {
        self.deliveries = deliveries
        self.due = due
        self.oldestReadyAt = oldestReadyAt
    }
}
