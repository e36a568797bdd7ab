import BridgeCore
import Testing

@Suite("Cumulative refunds")
struct CumulativeRefundTests {
    func refund(_ total: String, _ currency: String = "EUR") throws -> CumulativeRefund {
        CumulativeRefund(
            key: "stripe-charge:ch_1", total: Money(amount: try #require(Money.Amount(total)), currency: try #require(Currency(code: currency))))
    }

    func event() -> ConversionEvent {
        ConversionEvent(eventID: "refund:ch_1:2", eventName: .refund, eventTime: Timestamp(secondsSinceEpoch: 1_773_500_000), source: "stripe")
    }

    @Test("the first total is stored whole, in the currency's minor unit")
    func firstTotal() throws {
        let stored = try #require(try refund("12.5").refundEvent(event(), recorded: nil))
        #expect(stored.value?.formattedAmount == "12.50")
        #expect(stored.value?.currency.code == "EUR")
        #expect(stored.eventID == "refund:ch_1:2")
    }

    @Test("a later total is stored as its increase over the recorded one")
    func increase() throws {
        let recorded = try refund("12.50").recorded
        #expect(recorded.currency == "EUR")
        #expect(Money.Amount(recorded.amount) == Money.Amount("12.50"))
        let stored = try #require(try refund("30.00").refundEvent(event(), recorded: recorded))
        #expect(stored.value?.formattedAmount == "17.50")
    }

    @Test("the same total again, or an older one arriving late, is a duplicate")
    func noIncrease() throws {
        let recorded = CumulativeRefund.Recorded(currency: "EUR", amount: "30.00")
        #expect(try refund("30").refundEvent(event(), recorded: recorded) == nil)
        #expect(try refund("12.50").refundEvent(event(), recorded: recorded) == nil)
        #expect(try refund("0").refundEvent(event(), recorded: nil) == nil)
    }

    @Test("a total recorded in another currency, or unreadable, counts as none")
    func otherCurrency() throws {
        let dollars = CumulativeRefund.Recorded(currency: "USD", amount: "30.00")
        #expect(try refund("5").increase(over: dollars)?.formattedAmount == "5.00")
        #expect(try refund("5").increase(over: CumulativeRefund.Recorded(currency: "EUR", amount: "n/a"))?.formattedAmount == "5.00")
    }
}
