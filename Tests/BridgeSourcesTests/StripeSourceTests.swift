import BridgeCore
import BridgeSources
import Testing

@Suite("Stripe source")
struct StripeSourceTests {
    let source = Adapters.stripe()

    func batch(_ file: String) throws -> IngestBatch {
        try #require(BridgeSourcesTests.run(source, Requests.stripe(try Fixtures.bytes("stripe/" + file))).batch)
    }

    func event(_ file: String) throws -> ConversionEvent {
        let batch = try batch(file)
        #expect(batch.events.count == 1)
        let event = try #require(batch.events.first?.event)
        expectCanonical(event)
        return event
    }

    func run(json: String) -> Result<WebhookOutcome, SourceError> {
        BridgeSourcesTests.run(source, Requests.stripe(Array(json.utf8)))
    }

    @Test("a paid Checkout Session is a Purchase keyed by its PaymentIntent")
    func checkoutSession() throws {
        let batch = try batch("checkout-session-completed.json")
        #expect(batch.deliveryKeys == ["stripe-event:evt_1R9xK3LkdIwHu7ixQm1Zt8aB"])
        let event = try event("checkout-session-completed.json")
        #expect(event.eventID == "sale:stripe-us:pi_3R9xK1LkdIwHu7ix1Ab2Cd3E")
        #expect(event.eventName == .purchase)
        #expect(event.eventTime == Timestamp(secondsSinceEpoch: 1_773_513_730))
        #expect(event.value?.formattedAmount == "49.98")
        #expect(event.value?.currency.code == "USD")
        #expect(event.orderID == "NW-8F3K2Q")
        #expect(event.isTest == false)
        #expect(event.customer[.email]?.rawValue == "morgan.reyes@example.com")
        #expect(event.customer[.phone]?.rawValue == "+15035550178")
        #expect(event.customer[.firstName]?.rawValue == "Morgan")
        #expect(event.customer[.lastName]?.rawValue == "Reyes")
        #expect(event.customer[.city]?.rawValue == "Portland")
        #expect(event.customer[.state]?.rawValue == "OR")
        #expect(event.customer[.postalCode]?.rawValue == "97211")
        #expect(event.customer[.country]?.rawValue == "US")
        #expect(event.customer[.externalID]?.rawValue == "cus_S4fR2tY7uI9oP1")
        #expect(event.client.ipAddress?.rawValue == "198.51.100.23")
        #expect(event.client.userAgent?.rawValue.hasPrefix("Mozilla/5.0 (Macintosh;") == true)
        #expect(Set(event.client.clickIDs.keys) == [.fbclid, .fbc, .fbp])  // gclid is "" in the metadata
        #expect(event.client[clickID: .fbp]?.rawValue == "fb.1.1773513610456.1765432109")
        #expect(event.consent.sourceSignals == ["stripe.consent.promotions": "opt_in"])
    }

    @Test("the session and its PaymentIntent give the same event id")
    func oneSaleOneEvent() throws {
        let session = try event("checkout-session-completed.json")
        let intent = try event("payment-intent-succeeded.json")
        #expect(session.eventID == intent.eventID)
        #expect(session.value == intent.value)
        #expect(intent.customer[.email] == nil)
        #expect(intent.customer[.firstName]?.rawValue == "Morgan")
        #expect(intent.customer[.externalID]?.rawValue == "cus_S4fR2tY7uI9oP1")
        #expect(intent.client.isEmpty)
        #expect(try batch("payment-intent-succeeded.json").deliveryKeys == ["stripe-event:evt_3R9xK1LkdIwHu7ix1vR5Tq2W"])
    }

    @Test("livemode false marks the event as a test")
    func testMode() throws {
        let event = try event("checkout-session-completed-test.json")
        #expect(event.isTest)
        #expect(event.eventID == "sale:stripe-us:pi_3R9xT0LkdIwHu7ix0Te5St1M")
        #expect(event.value?.formattedAmount == "25.00")
        #expect(event.customer[.externalID] == nil)
        #expect(event.customer[.firstName]?.rawValue == "Test")
        #expect(event.customer[.postalCode]?.rawValue == "94103")
        #expect(event.consent.isEmpty)
        #expect(event.orderID == "NW-TEST-0001")
    }

    @Test("a guest PaymentIntent gives a Purchase with only the order id")
    func guestIntent() throws {
        let event = try event("payment-intent-succeeded-guest.json")
        #expect(event.eventID == "sale:stripe-us:pi_3R9yA2LkdIwHu7ix0Gu3St9Q")
        #expect(event.value == Money(amount: Money.Amount("12.99")!, currency: Currency(code: "EUR")!))
        #expect(event.orderID == "A-99812")
        #expect(event.customer.isEmpty)
        #expect(event.client.isEmpty)
    }

    @Test("invoice.paid is a Purchase keyed by the invoice")
    func invoice() throws {
        let event = try event("invoice-paid.json")
        #expect(event.eventID == "sale:stripe-us:in_1RBc2xLkdIwHu7ixZ9yX8wV7")
        #expect(event.value?.formattedAmount == "18.00")
        #expect(event.customer[.email]?.rawValue == "sam.oconnor@example.com")
        #expect(event.customer[.firstName]?.rawValue == "Sam")
        #expect(event.customer[.lastName]?.rawValue == "O'Connor")
        #expect(event.customer[.postalCode]?.rawValue == "04609")
        #expect(event.customer[.externalID]?.rawValue == "cus_RsT1qW2eR3tY4u")
        #expect(event.lineItems == [LineItem(id: "prod_RsT2aB3cD4eF5g", name: "1 × House Blend Subscription (at $18.00 / month)", quantity: 1)])
    }

    @Test("charge.refunded is a cumulative Refund")
    func chargeRefunded() throws {
        let batch = try batch("charge-refunded.json")
        let ingest = try #require(batch.events.first)
        let event = ingest.event
        expectCanonical(event)
        #expect(event.eventID == "refund:stripe-us:pi_3R9xK1LkdIwHu7ix1Ab2Cd3E:2000")
        #expect(event.eventName == .refund)
        #expect(event.value?.formattedAmount == "20.00")
        #expect(ingest.cumulativeRefund == CumulativeRefund(key: "stripe-charge:ch_3R9xK1LkdIwHu7ix1Fg4Hi5J", total: event.value!))
        #expect(event.customer[.email]?.rawValue == "morgan.reyes@example.com")
        #expect(event.customer[.city]?.rawValue == "Portland")  // billing has no city; shipping does
        #expect(batch.deliveryKeys == ["stripe-event:evt_3R9xK1LkdIwHu7ix1Ref01Zq"])
    }

    @Test("a subscription session and its first invoice share the invoice id; an invoice PaymentIntent does too")
    func subscriptionSale() throws {
        let session =
            #"{"id":"evt_a","type":"checkout.session.completed","created":1767268800,"livemode":true,"data":{"object":{"id":"cs_1","mode":"subscription","payment_status":"paid","invoice":"in_1","subscription":"sub_1","payment_intent":null,"amount_total":1800,"currency":"usd"}}}"#
        let invoice =
            #"{"id":"evt_b","type":"invoice.paid","created":1767268800,"data":{"object":{"id":"in_1","amount_paid":1800,"currency":"usd"}}}"#
        let intent =
            #"{"id":"evt_c","type":"payment_intent.succeeded","created":1767268800,"data":{"object":{"id":"pi_1","invoice":"in_1","amount":1800,"amount_received":1800,"currency":"usd"}}}"#
        let ids = [session, invoice, intent].map { run(json: $0).batch?.events.first?.event.eventID }
        #expect(ids == ["sale:stripe-us:in_1", "sale:stripe-us:in_1", "sale:stripe-us:in_1"])
        let lastResort =
            #"{"id":"evt_d","type":"checkout.session.completed","data":{"object":{"id":"cs_9","mode":"payment","payment_status":"no_payment_required","amount_total":0,"currency":"usd"}}}"#
        #expect(run(json: lastResort).batch?.events.first?.event.eventID == "sale:stripe-us:cs_9")
    }

    @Test("unpaid or setup sessions are ignored")
    func unpaidSessions() {
        let unpaid =
            #"{"id":"evt_a","type":"checkout.session.completed","data":{"object":{"id":"cs_1","mode":"payment","payment_status":"unpaid","payment_intent":"pi_1","amount_total":100,"currency":"eur"}}}"#
        #expect(run(json: unpaid).ignoredReason == "the checkout session is not paid")
        let setup =
            #"{"id":"evt_a","type":"checkout.session.completed","data":{"object":{"id":"cs_1","mode":"setup","payment_status":"no_payment_required"}}}"#
        #expect(run(json: setup).ignoredReason == "a setup-mode checkout session is not a purchase")
    }

    @Test(
        "other event types are ignored",
        arguments: ["customer.created", "refund.created", "checkout.session.async_payment_succeeded", "payment_intent.created"])
    func ignoredTypes(_ type: String) {
        let body = #"{"id":"evt_x","type":"\#(type)","data":{"object":{"id":"x"}}}"#
        #expect(run(json: body).ignoredReason == "event type \(type) is not a conversion")
    }

    @Test(
        "amounts use Stripe's exponents and become ISO amounts",
        arguments: [
            ("jpy", "4980", "4980"), ("isk", "100", "1"), ("isk", "12300", "123"), ("kwd", "12340", "12.340"), ("usd", "4998", "49.98"),
            ("eur", "0", "0.00"), ("mga", "500", "500.00"), ("ugx", "1000", "1000"), ("bhd", "5", "0.005"),
        ])
    func exponents(_ currency: String, _ minorUnits: String, _ expected: String) throws {
        let body =
            #"{"id":"evt_x","type":"payment_intent.succeeded","data":{"object":{"id":"pi_x","amount":\#(minorUnits),"currency":"\#(currency)"}}}"#
        let event = try #require(run(json: body).batch?.events.first?.event)
        #expect(event.value?.formattedAmount == expected)
        #expect(event.value?.currency.code == currency.uppercased())
        expectCanonical(event)
    }

    @Test("an ISK amount that is not whole krónur is a payload error")
    func fractionalKrona() {
        let body = #"{"id":"evt_x","type":"payment_intent.succeeded","data":{"object":{"id":"pi_x","amount":150,"currency":"isk"}}}"#
        #expect(run(json: body).isPayloadError)
    }

    @Test("metadata carries client context, click ids and consent")
    func metadata() throws {
        let body = #"""
            {"id":"evt_x","type":"payment_intent.succeeded","data":{"object":{"id":"pi_x","amount":100,"currency":"eur","metadata":{
            "client_ip":"2001:db8::1","client_user_agent":"UA/1","gclid":"G1","gbraid":"GB","wbraid":"WB","ttclid":"T1","ScCid":"S1","epik":"E1",
            "li_fat_id":"L1","rdt_cid":"R1","ad_user_data":"granted","ad_personalization":"DENIED","gpc":"true","tcf_string":"CQ","us_privacy":"1YNN",
            "gpp_string":"DBAB","order_id":"O-1"}}}}
            """#
        let event = try #require(run(json: body).batch?.events.first?.event)
        #expect(event.client.ipAddress?.rawValue == "2001:db8::1")
        #expect(event.client.userAgent?.rawValue == "UA/1")
        #expect(event.client.clickIDs.count == 8)
        #expect(event.client[clickID: .sccid]?.rawValue == "S1")
        #expect(event.consent.adUserData == .granted)
        #expect(event.consent.adPersonalization == .denied)
        #expect(event.consent.gpc == true)
        #expect(event.consent.tcfString == "CQ")
        #expect(event.consent.usPrivacy == "1YNN")
        #expect(event.consent.gppString == "DBAB")
        #expect(event.orderID == "O-1")
    }

    @Test("each new cumulative refund total is a new event; a zero total is ignored")
    func cumulativeRefunds() {
        func body(_ refunded: Int) -> String {
            #"{"id":"evt_r\#(refunded)","type":"charge.refunded","data":{"object":{"id":"ch_1","amount":5000,"amount_refunded":\#(refunded),"currency":"eur"}}}"#
        }
        #expect(run(json: body(1000)).batch?.events.first?.event.eventID == "refund:stripe-us:ch_1:1000")
        #expect(run(json: body(2500)).batch?.events.first?.cumulativeRefund?.total.formattedAmount == "25.00")
        #expect(run(json: body(0)).ignoredReason != nil)
    }
}
