import BridgeCore

/// An event encoded for the outbox: the clear canonical JSON (no personal
/// data) and the sealed identifiers. Built in the request task so that the
/// single writer only writes.
public struct OutboxRecord: Sendable {
    public let eventID: String
    public let eventName: EventName
    public let eventTime: Timestamp
    public let isTest: Bool
    /// The sender's order id, kept in a column of its own so one sale's
    /// journey can be found by it (`events.order_id`).
    public let orderID: String?
    /// The clear part (`StoredEventCodec.clearBytes`): no personal data.
    public let body: [UInt8]
    /// AES-GCM of the identifiers (`StoredEventCodec.identifierBytes`); `nil`
    /// when the event carries none. Sealed once per event.
    public let sealed: [UInt8]?
    /// Keyed digests of the normalized email, phone and external id, so erasure
    /// can find the event (see `ErasureKeys`).
    public let erasureKeys: [ErasureKeys.Key]
    /// The event itself, kept only when the store must adjust it at commit
    /// (cumulative refunds).
    public let pendingAdjustment: (event: ConversionEvent, refund: CumulativeRefund)?

    /// Encodes `item` for `source`, sealing its identifiers.
    public init(_ item: IngestEvent, sealer: IdentifierSealer) {
        let event = item.event
        self.eventID = event.eventID
        self.eventName = event.eventName
        self.eventTime = event.eventTime
        self.isTest = event.isTest
        self.orderID = event.orderID.flatMap { $0.isEmpty ? nil : String($0.prefix(256)) }
        self.body = StoredEventCodec.clearBytes(event)
        if event.customer.isEmpty && event.client.isEmpty {
            self.sealed = nil
        } else {
            self.sealed = sealer.seal(
                StoredEventCodec.identifierBytes(customer: event.customer, client: event.client),
                context: OutboxRecord.sealContext(source: event.source, eventID: event.eventID))
        }
        self.erasureKeys = ErasureKeys.keys(for: event.customer, sealer: sealer)
        self.pendingAdjustment = item.cumulativeRefund.map { (event, $0) }
    }

    /// The AES-GCM associated data binding a sealed blob to its row.
    public static func sealContext(source: String, eventID: String) -> String {
        "capi-bridge/v1/\(source)/\(eventID)"
    }
}

/// One webhook's worth of records to store atomically.
public struct IngestRequest: Sendable {
    public let source: String
    public let deliveryKeys: [String]
    public let records: [OutboxRecord]
    public let receivedAt: Timestamp
    /// The W3C trace context the request's events are stored with
    /// (`events.trace_parent`); `nil` stores none.
    public let traceParent: TraceParent?

    public init(source: String, deliveryKeys: [String], records: [OutboxRecord], receivedAt: Timestamp, traceParent: TraceParent? = nil) {
        self.source = source
        self.deliveryKeys = deliveryKeys
        self.records = records
        self.receivedAt = receivedAt
        self.traceParent = traceParent
    }
}

/// What the store did with an `IngestRequest`, once it is durable.
public enum IngestResult: Sendable, Equatable {
    /// A delivery key was seen before: nothing new was stored.
    case duplicateDelivery
    /// Per record, in order: stored, or already known (same source and event id).
    case stored([EventOutcome])

    public enum EventOutcome: Sendable, Equatable {
        case accepted
        case duplicate
    }

    /// True when nothing new was stored.
    public var isDuplicate: Bool {
        switch self {
        case .duplicateDelivery: return true
        case .stored(let outcomes): return !outcomes.contains(.accepted)
        }
    }
}
