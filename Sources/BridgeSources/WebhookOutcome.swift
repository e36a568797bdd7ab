import BridgeCore

/// What a verified webhook amounts to.
public enum WebhookOutcome: Sendable {
    /// Conversions to store. `deliveryKeys` identify this delivery (the
    /// sender's delivery id, a body digest…); a key seen before makes the whole
    /// delivery a duplicate.
    case accepted(IngestBatch)
    /// A verified delivery that is not a conversion (a topic we do not count, an
    /// unpaid order): answered 200 `"ignored"`, nothing stored.
    case ignored(reason: String)
    /// An unsigned activation ping (WooCommerce): answered 200, nothing stored.
    case ping
}

/// The events one delivery produced, with its idempotency keys.
public struct IngestBatch: Sendable {
    public var events: [IngestEvent]
    /// Delivery-level idempotency keys, already scoped by the adapter where a
    /// source can carry several shops (`webhook:<shop>:<id>`). The store scopes
    /// them by source name.
    public var deliveryKeys: [String]

    public init(events: [IngestEvent], deliveryKeys: [String]) {
        self.events = events
        self.deliveryKeys = deliveryKeys
    }
}

/// One event to store, with what the store must resolve at commit time.
public struct IngestEvent: Sendable {
    public var event: ConversionEvent
    /// For refunds reported as a running total (Stripe `charge.refunded`'s
    /// cumulative `amount_refunded`): the store sets the event's value to the
    /// increase over the largest total seen for `key`, and treats no increase
    /// as a duplicate.
    public var cumulativeRefund: CumulativeRefund?

    public init(event: ConversionEvent, cumulativeRefund: CumulativeRefund? = nil) {
        self.event = event
        self.cumulativeRefund = cumulativeRefund
    }
}

/// A refund total that only grows (see `IngestEvent.cumulativeRefund`).
public struct CumulativeRefund: Sendable, Equatable {
    /// What the running total belongs to, e.g. `stripe-charge:ch_123`.
    public var key: String
    /// The total refunded so far, in the event's currency.
    public var total: Money

    public init(key: String, total: Money) {
        self.key = key
        self.total = total
    }
}
