/// One event to store, with what the store must resolve at commit time.
public struct IngestEvent: Sendable {
    public var event: ConversionEvent
    /// For refunds reported as a running total (Stripe `charge.refunded`'s
    /// cumulative `amount_refunded`): the store sets the event's value to the
    /// increase over the largest total seen for `key`, and treats no increase
    /// as a duplicate (`CumulativeRefund.refundEvent(_:recorded:)`).
    public var cumulativeRefund: CumulativeRefund?

    public init(event: ConversionEvent, cumulativeRefund: CumulativeRefund? = nil) {
        self.event = event
        self.cumulativeRefund = cumulativeRefund
    }
}
