import BridgeCore
import BridgeSources
import Testing

@Suite("Shopify source")
struct ShopifySourceTests {
    let source = Adapters.shopify()

    func outcome(_ file: String, topic: String) throws -> Result<WebhookOutcome, SourceError> {
        run(source, Requests.shopify(try Fixtures.bytes("shopify/" + file), topic: topic))
    }

    func event(_ file: String, topic: String) throws -> ConversionEvent {
        let batch = try #require(try outcome(file, topic: topic).batch)
        #expect(batch.events.count == 1)
        let event = try #require(batch.events.first)
        #expect(event.cumulativeRefund == nil)
        expectCanonical(event.event)
        return event.event
    }

    @Test("orders/create maps the paid web order to a Purchase with every identifier")
    func ordersCreate() throws {
        let event = try event("orders-create.json", topic: "orders/create")
        #expect(event.eventID == "sale:shop-us:5734981276472")
        #expect(event.eventName == .purchase)
        #expect(event.orderID == "5734981276472")
        #expect(event.eventTime.rfc3339 == "2026-03-14T14:21:07Z")
        #expect(event.value?.formattedAmount == "109.11")
        #expect(event.value?.currency.code == "USD")
        #expect(event.isTest == false)
        #expect(event.customer[.email]?.rawValue == "avery.jensen@example.com")
        #expect(event.customer[.phone]?.rawValue == "+12025550143")
        #expect(event.customer[.firstName]?.rawValue == "Avery")
        #expect(event.customer[.lastName]?.rawValue == "Jensen")
        #expect(event.customer[.city]?.rawValue == "Arlington")
        #expect(event.customer[.state]?.rawValue == "VA")
        #expect(event.customer[.postalCode]?.rawValue == "22201")
        #expect(event.customer[.country]?.rawValue == "US")
        #expect(event.customer[.externalID]?.rawValue == "7201934856249")
        #expect(event.client.ipAddress?.rawValue == "203.0.113.42")
        #expect(event.client.userAgent?.rawValue.hasPrefix("Mozilla/5.0 (iPhone;") == true)
        #expect(event.client.landingURL?.rawValue.hasPrefix("/products/trail-runner-2?utm_source=facebook") == true)
        #expect(event.client[clickID: .fbclid]?.rawValue.hasPrefix("IwZXh0bgNhZW0BMABhZGlkAasb3Kx7NQQB") == true)
        #expect(event.client[clickID: .fbp]?.rawValue == "fb.1.1773497512345.1098765432")
        #expect(event.client[clickID: .fbc]?.rawValue.hasPrefix("fb.1.1773497512345.IwZXh0") == true)
        #expect(Set(event.client.clickIDs.keys) == [.fbclid, .fbp, .fbc])
        #expect(
            event.consent.sourceSignals == [
                "shopify.buyer_accepts_marketing": "true", "shopify.email_marketing_consent.state": "subscribed",
            ])
        #expect(event.consent.adUserData == nil)
        #expect(event.lineItems.count == 2)
        #expect(
            event.lineItems.first
                == LineItem(id: "8745120034872", name: "Merino Crew Sock - Charcoal / M", quantity: 2, unitPrice: Money.Amount("18")))
        #expect(event.lineItems.last?.id == "8745120067640")
        #expect(event.lineItems.last?.unitPrice == Money.Amount("68.00"))
    }

    @Test("orders/create and orders/paid of one order give the same event id")
    func oneSaleOneEvent() throws {
        let created = try event("orders-create.json", topic: "orders/create")
        let paid = try event("orders-paid.json", topic: "orders/paid")
        #expect(created.eventID == paid.eventID)
        #expect(created == paid)
    }

    @Test("delivery keys are scoped by shop and carry the webhook and event ids")
    func deliveryKeys() throws {
        let request = Requests.shopify(try Fixtures.bytes("shopify/orders-paid.json"), topic: "orders/paid", webhookID: "w-9", eventID: "e-9")
        let batch = try #require(run(source, request).batch)
        #expect(batch.deliveryKeys == ["webhook:northwind-outfitters.myshopify.com:w-9", "shopify-event:northwind-outfitters.myshopify.com:e-9"])
        let bare = Requests.shopify(try Fixtures.bytes("shopify/orders-paid.json"), topic: "orders/paid", webhookID: nil, eventID: nil)
        #expect(run(source, bare).batch?.deliveryKeys == [])
    }

    @Test("a test order carries the test flag")
    func testOrder() throws {
        let event = try event("orders-create-test.json", topic: "orders/create")
        #expect(event.isTest)
        #expect(event.eventID == "sale:shop-us:5734990123064")
        #expect(event.value == Money(amount: Money.Amount("25.00")!, currency: Currency(code: "USD")!))
        #expect(event.customer[.email]?.rawValue == "test.buyer@example.com")
        #expect(event.customer[.phone] == nil)
        #expect(event.consent.sourceSignals["shopify.email_marketing_consent.state"] == "not_subscribed")
    }

    @Test("a POS guest order gives a Purchase without identifiers")
    func guestPOS() throws {
        let event = try event("orders-create-guest-pos.json", topic: "orders/create")
        #expect(event.eventID == "sale:shop-us:5735002233912")
        #expect(event.value?.formattedAmount == "72.08")
        #expect(event.customer.isEmpty)
        #expect(event.client.isEmpty)
        #expect(event.consent.sourceSignals == ["shopify.buyer_accepts_marketing": "false"])
        #expect(event.lineItems.count == 1)
    }

    @Test("refunds/create sums the successful refund transactions")
    func refund() throws {
        let event = try event("refunds-create.json", topic: "refunds/create")
        #expect(event.eventID == "refund:shop-us:5734981276472:1029384756123")
        #expect(event.eventName == .refund)
        #expect(event.orderID == "5734981276472")
        #expect(event.value?.formattedAmount == "34.34")
        #expect(event.value?.currency.code == "USD")
        #expect(event.eventTime.rfc3339 == "2026-03-20T19:02:44Z")
        #expect(event.customer.isEmpty)
        #expect(
            event.lineItems == [LineItem(id: "8745120034872", name: "Merino Crew Sock - Charcoal / M", quantity: 2, unitPrice: Money.Amount("18"))])
    }

    @Test("a refund with only failed transactions is ignored; several successful ones add up exactly")
    func refundTransactions() {
        let failed = #"{"id":2,"order_id":1,"transactions":[{"kind":"refund","status":"failure","amount":"5.00","currency":"EUR"}]}"#
        #expect(run(source, Requests.shopify(Array(failed.utf8), topic: "refunds/create")).ignoredReason != nil)
        let none = #"{"id":2,"order_id":1,"transactions":[]}"#
        #expect(run(source, Requests.shopify(Array(none.utf8), topic: "refunds/create")).ignoredReason != nil)
        let several = #"""
            {"id":2,"order_id":1,"transactions":[{"kind":"refund","status":"success","amount":"0.10","currency":"EUR"},
            {"kind":"refund","status":"failure","amount":"99.00","currency":"EUR"},{"kind":"sale","status":"success","amount":"7.00","currency":"EUR"},
            {"kind":"refund","status":"success","amount":"0.2","currency":"EUR","test":true}]}
            """#
        let event = run(source, Requests.shopify(Array(several.utf8), topic: "refunds/create")).batch?.events.first?.event
        #expect(event?.value?.formattedAmount == "0.30")
        #expect(event?.isTest == true)
        let mixed =
            #"{"id":2,"order_id":1,"transactions":[{"kind":"refund","status":"success","amount":"1","currency":"EUR"},{"kind":"refund","status":"success","amount":"1","currency":"USD"}]}"#
        #expect(run(source, Requests.shopify(Array(mixed.utf8), topic: "refunds/create")).isPayloadError)
    }

    @Test(
        "orders/create counts only the configured financial statuses",
        arguments: [
            ("pending", false), ("authorized", false), ("paid", true), ("partially_paid", true), ("voided", false), ("refunded", false),
        ])
    func financialStatus(_ status: String, _ counts: Bool) {
        let body = #"{"id":7,"financial_status":"\#(status)","total_price":"10.00","currency":"EUR"}"#
        let outcome = run(source, Requests.shopify(Array(body.utf8), topic: "orders/create"))
        #expect((outcome.batch != nil) == counts)
        #expect((outcome.ignoredReason != nil) == !counts)
    }

    @Test("the option count_financial_statuses replaces the default")
    func financialStatusOption() {
        let body = Array(#"{"id":7,"financial_status":"pending","total_price":"10.00","currency":"EUR"}"#.utf8)
        let configured = Adapters.shopify(options: ["count_financial_statuses": ["paid", "pending"]])
        #expect(run(configured, Requests.shopify(body, topic: "orders/create")).batch != nil)
    }

    @Test("orders/paid counts unless the order is cancelled or voided")
    func ordersPaidCancelled() {
        let cancelled = #"{"id":7,"financial_status":"paid","cancelled_at":"2026-03-14T10:00:00-04:00","total_price":"1.00","currency":"EUR"}"#
        #expect(run(source, Requests.shopify(Array(cancelled.utf8), topic: "orders/paid")).ignoredReason == "the order is cancelled")
        let voided = #"{"id":7,"financial_status":"voided","total_price":"1.00","currency":"EUR"}"#
        #expect(run(source, Requests.shopify(Array(voided.utf8), topic: "orders/paid")).ignoredReason == "the order is voided")
        let unknownStatus = #"{"id":7,"cancelled_at":null,"total_price":"1.00","currency":"EUR"}"#
        #expect(run(source, Requests.shopify(Array(unknownStatus.utf8), topic: "orders/paid")).batch != nil)
    }

    @Test("topics that are not conversions are ignored", arguments: ["orders/updated", "orders/cancelled", "orders/fulfilled", "customers/create"])
    func ignoredTopics(_ topic: String) throws {
        let outcome = run(source, Requests.shopify(try Fixtures.bytes("shopify/orders-create.json"), topic: topic))
        #expect(outcome.ignoredReason == "topic \(topic) is not a conversion")
    }

    @Test("a shop webhook set to XML is refused as a payload error")
    func xml() {
        let body = Array(#"<?xml version="1.0"?><order><id>1</id></order>"#.utf8)
        let headers = HeaderFields([
            ("X-Shopify-Hmac-Sha256", ShopifySignature.sign(secret: Fixtures.Secret.shopify, body: body)),
            ("X-Shopify-Topic", "orders/paid"), ("Content-Type", "application/xml; charset=utf-8"),
        ])
        let outcome = run(source, WebhookRequest(headers: headers, body: body))
        #expect(outcome.error == .payload(.invalid(.root, "the body must be JSON; set the webhook's format to JSON")))
    }

    @Test("a missing topic header is a payload error")
    func missingTopic() {
        let body = Array("{}".utf8)
        let request = WebhookRequest(
            headers: HeaderFields([("X-Shopify-Hmac-Sha256", ShopifySignature.sign(secret: Fixtures.Secret.shopify, body: body))]), body: body)
        #expect(run(source, request).isPayloadError)
    }

    @Test("presentment money is never paired with the shop currency")
    func valueCurrencyPair() throws {
        let body = #"""
            {"id":9,"financial_status":"paid","total_price":"100.00","currency":"USD","presentment_currency":"EUR",
            "total_price_set":{"shop_money":{"amount":"100.00","currency_code":"USD"},"presentment_money":{"amount":"92.00","currency_code":"EUR"}}}
            """#
        let event = try #require(run(source, Requests.shopify(Array(body.utf8), topic: "orders/paid")).batch?.events.first?.event)
        #expect(event.value == Money(amount: Money.Amount("100")!, currency: Currency(code: "USD")!))
        let setOnly = #"{"id":9,"total_price_set":{"shop_money":{"amount":"4980","currency_code":"JPY"}}}"#
        let jpy = run(source, Requests.shopify(Array(setOnly.utf8), topic: "orders/paid")).batch?.events.first?.event
        #expect(jpy?.value?.formattedAmount == "4980")
        #expect(jpy?.value?.currency.code == "JPY")
    }

    @Test("click ids come from the landing_site query and from note_attributes")
    func clickIDs() throws {
        let body = #"""
            {"id":9,"financial_status":"paid","total_price":"1.00","currency":"USD",
            "landing_site":"/p?gclid=G%2D1&ScCid=S1&ttclid=T1&epik=E1&li_fat_id=L1&rdt_cid=R1&gbraid=GB&wbraid=WB&fbclid=",
            "note_attributes":[{"name":"fbc","value":"fb.1.2.x"},{"name":"_fbp","value":"fb.1.2.3"},{"name":"_ttclid","value":"other"},{"name":"gift","value":"yes"}]}
            """#
        let event = try #require(run(source, Requests.shopify(Array(body.utf8), topic: "orders/paid")).batch?.events.first?.event)
        let ids = event.client.clickIDs.mapValues(\.rawValue)
        #expect(
            ids == [
                .gclid: "G-1", .sccid: "S1", .ttclid: "T1", .epik: "E1", .liFatID: "L1", .rdtCID: "R1", .gbraid: "GB", .wbraid: "WB",
                .fbc: "fb.1.2.x", .fbp: "fb.1.2.3",
            ])
    }

    @Test("an order id above 2^53 stays exact")
    func largeID() throws {
        let body =
            #"{"id":820982911946154508,"financial_status":"paid","total_price":"19.90","currency":"EUR","customer":{"id":18446744073709551615}}"#
        let event = try #require(run(source, Requests.shopify(Array(body.utf8), topic: "orders/paid")).batch?.events.first?.event)
        #expect(event.eventID == "sale:shop-us:820982911946154508")
        #expect(event.customer[.externalID]?.rawValue == "18446744073709551615")
    }
}
