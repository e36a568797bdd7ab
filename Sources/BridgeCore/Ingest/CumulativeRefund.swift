/// A refund total that only grows (see `IngestEvent.cumulativeRefund`), and
/// the arithmetic both stores use to turn it into the refund event to store.
///
/// A store keeps, per source and `key`, the largest total it stored (its
/// currency code and amount as text, `total.amount.description`). For each
/// new total, `refundEvent(_:recorded:)` gives the event to store: its value
/// is the increase over what was recorded. No increase (the same total again,
/// or an older one arriving late) is a duplicate: nothing is stored and the
/// record stays. A total recorded in another currency counts as none.
public struct CumulativeRefund: Sendable, Equatable {
    /// What the running total belongs to, e.g. `stripe-charge:ch_123`.
    public var key: String
    /// The total refunded so far, in the event's currency.
    public var total: Money

    public init(key: String, total: Money) {
        self.key = key
        self.total = total
    }

    /// A total as a store records it.
    public struct Recorded: Sendable, Equatable {
        /// ISO 4217 code of the recorded total.
        public var currency: String
        /// The recorded amount, as `Money.Amount`'s description writes it.
        public var amount: String

        public init(currency: String, amount: String) {
            self.currency = currency
            self.amount = amount
        }
    }

    /// What the store records for `key` once the refund event is stored.
    public var recorded: Recorded {
        Recorded(currency: total.currency.code, amount: total.amount.description)
    }

    /// The increase of `total` over `recorded` (none recorded, or a total in
    /// another currency or unreadable: zero); `nil` when it is not positive.
    public func increase(over recorded: Recorded?) -> Money? {
        var previous = Money.Amount(units: 0, scale: 0)
        if let recorded, recorded.currency == total.currency.code, let amount = Money.Amount(recorded.amount) {
            previous = amount
        }
        guard let delta = total.amount.adding(Money.Amount(units: -previous.units, scale: previous.scale)),
            delta > Money.Amount(units: 0, scale: 0)
        else { return nil }
        return Money(amount: delta.rescaled(to: total.currency.minorUnit), currency: total.currency)
    }

    /// `event` with its value set to the increase over `recorded`; `nil`
    /// when the total did not grow (a duplicate).
    public func refundEvent(_ event: ConversionEvent, recorded: Recorded?) -> ConversionEvent? {
        guard let increase = increase(over: recorded) else { return nil }
        var event = event
        event.value = increase
        return event
    }
}
