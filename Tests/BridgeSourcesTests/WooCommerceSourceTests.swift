import BridgeCore
import BridgeSources
import Testing

@Suite("WooCommerce source")
struct WooCommerceSourceTests {
    let source = Adapters.wooCommerce()

    func outcome(_ file: String, topic: String) throws -> Result<WebhookOutcome, SourceError> {
        run(source, Requests.wooCommerce(try Fixtures.bytes("woocommerce/" + file), topic: topic))
    }

    func events(_ file: String, topic: String) throws -> [ConversionEvent] {
        let batch = try #require(try outcome(file, topic: topic).batch)
        let body = try Fixtures.bytes("woocommerce/" + file)
        #expect(batch.deliveryKeys == ["body:" + SignatureSupport.sha256Hex(body)])
        for event in batch.events {
            #expect(event.cumulativeRefund == nil)
            expectCanonical(event.event)
        }
        return batch.events.map(\.event)
    }

    func order(_ json: String, topic: String = "order.updated") -> Result<WebhookOutcome, SourceError> {
        run(source, Requests.wooCommerce(Array(json.utf8), topic: topic))
    }

    @Test("a processing order is a Purchase with billing identifiers and attribution")
    func processing() throws {
        let events = try events("order-created-processing.json", topic: "order.created")
        #expect(events.count == 1)
        let event = try #require(events.first)
        #expect(event.eventID == "sale:shop-de:4821")
        #expect(event.eventName == .purchase)
        #expect(event.orderID == "4821")
        #expect(event.eventTime.rfc3339 == "2026-03-14T15:05:15Z")
        #expect(event.value?.formattedAmount == "64.70")
        #expect(event.value?.currency.code == "EUR")
        #expect(event.isTest == false)
        #expect(event.customer[.email]?.rawValue == "lena.hoffmann@example.de")
        #expect(event.customer[.phone]?.rawValue == "030 1234567")
        #expect(event.customer[.firstName]?.rawValue == "Lena")
        #expect(event.customer[.lastName]?.rawValue == "Hoffmann")
        #expect(event.customer[.city]?.rawValue == "Berlin")
        #expect(event.customer[.state] == nil)
        #expect(event.customer[.postalCode]?.rawValue == "10119")
        #expect(event.customer[.country]?.rawValue == "DE")
        #expect(event.customer[.externalID]?.rawValue == "112")
        #expect(event.client.ipAddress?.rawValue == "198.51.100.77")
        #expect(event.client.userAgent?.rawValue.hasPrefix("Mozilla/5.0 (Macintosh;") == true)
        #expect(event.client.landingURL?.rawValue.hasPrefix("https://shop.example.com/kaffee/espresso-bohnen/?") == true)
        #expect(Set(event.client.clickIDs.keys) == [.fbclid])
        #expect(event.client[clickID: .fbclid]?.rawValue.hasSuffix("_aem_Wz3Yx8Vu1Ts6Rq9Po2Nm") == true)
        #expect(event.consent.isEmpty)
        #expect(
            event.lineItems == [
                LineItem(id: "310", name: "Espresso Bohnen 1 kg", quantity: 2, unitPrice: Money.Amount("15.04")),
                LineItem(id: "322", name: "Handfilter Set", quantity: 1, unitPrice: Money.Amount("20.17")),
            ])
    }

    @Test("processing and completed deliveries of one order give the same event id")
    func oneSaleOneEvent() throws {
        let processing = try events("order-created-processing.json", topic: "order.created")
        let completed = try events("order-updated-completed.json", topic: "order.updated")
        #expect(processing.map(\.eventID) == completed.map(\.eventID))
        #expect(processing == completed)
    }

    @Test("an order with a refund gives the Purchase and one Refund per refunds entry")
    func refund() throws {
        let events = try events("order-updated-refund-partial.json", topic: "order.updated")
        #expect(events.map(\.eventID) == ["sale:shop-de:4821", "refund:shop-de:4821:4830"])
        let refund = try #require(events.last)
        #expect(refund.eventName == .refund)
        #expect(refund.value == Money(amount: Money.Amount("24.00")!, currency: Currency(code: "EUR")!))
        #expect(refund.orderID == "4821")
        #expect(refund.customer[.email]?.rawValue == "lena.hoffmann@example.de")
        #expect(refund.lineItems.isEmpty)
    }

    @Test("a refunded order without a purchase status gives only its Refunds")
    func refundedOrder() throws {
        let json =
            #"{"id":77,"status":"refunded","currency":"EUR","total":"10.00","date_modified_gmt":"2026-03-15T08:00:00","refunds":[{"id":79,"total":"-4.00"},{"id":78,"total":"-6.00"},{"id":80,"total":"0.00"}]}"#
        let events = try #require(order(json).batch).events.map(\.event)
        #expect(events.map(\.eventID) == ["refund:shop-de:77:79", "refund:shop-de:77:78"])
        #expect(events.map { $0.value?.formattedAmount } == ["4.00", "6.00"])
        #expect(events.first?.eventTime.rfc3339 == "2026-03-15T08:00:00Z")
    }

    @Test("the WooPayments test mode marks the order as a test")
    func testMode() throws {
        let event = try #require(try events("order-created-test-mode.json", topic: "order.created").first)
        #expect(event.isTest)
        #expect(event.eventID == "sale:shop-de:4822")
        #expect(event.customer[.externalID] == nil)
    }

    @Test("a guest with only an e-mail gives an event with the e-mail alone")
    func guest() throws {
        let event = try #require(try events("order-created-guest-email-only.json", topic: "order.created").first)
        #expect(event.customer.values.keys.sorted { $0.rawValue < $1.rawValue } == [.email])
        #expect(event.client.ipAddress?.rawValue == "203.0.113.199")
        #expect(event.client.landingURL?.rawValue == "https://shop.example.com/kurse/barista-online/")
        #expect(event.client.clickIDs.isEmpty)
        #expect(event.lineItems.first?.unitPrice == Money.Amount("41.18"))
    }

    @Test("a pending order is ignored")
    func pending() throws {
        #expect(try outcome("order-created-pending-payment.json", topic: "order.created").ignoredReason == "order status pending is not a purchase")
    }

    @Test("the activation ping answers .ping")
    func ping() throws {
        let body = try Fixtures.bytes("woocommerce/ping.form")
        #expect(run(source, WebhookRequest(headers: HeaderFields([("Content-Type", "application/x-www-form-urlencoded")]), body: body)).isPing)
    }

    @Test("other topics are ignored", arguments: ["order.deleted", "order.restored", "product.updated", "customer.created", "action.woocommerce_x"])
    func ignoredTopics(_ topic: String) throws {
        let outcome = run(source, Requests.wooCommerce(try Fixtures.bytes("woocommerce/order-created-processing.json"), topic: topic))
        #expect(outcome.ignoredReason == "topic \(topic) is not a conversion")
    }

    @Test("the option purchase_statuses replaces the default")
    func purchaseStatuses() {
        let json = #"{"id":5,"status":"completed","currency":"EUR","total":"1.00"}"#
        let onlyCompleted = Adapters.wooCommerce(options: ["purchase_statuses": ["completed"]])
        #expect(run(onlyCompleted, Requests.wooCommerce(Array(json.utf8), topic: "order.updated")).batch != nil)
        let processing = #"{"id":5,"status":"processing","currency":"EUR","total":"1.00"}"#
        #expect(run(onlyCompleted, Requests.wooCommerce(Array(processing.utf8), topic: "order.updated")).ignoredReason != nil)
    }

    @Test("line names are HTML-decoded and unit prices are exact or left out")
    func lineItems() throws {
        let json = #"""
            {"id":5,"status":"processing","currency":"EUR","total":"45.28","line_items":[
            {"id":1,"name":"Espresso &ndash; 1&nbsp;kg &amp; mehr","product_id":0,"variation_id":0,"sku":"ESP","quantity":3,"subtotal":"45.28","price":15.093333333333334},
            {"id":2,"name":"Tasse","product_id":12,"variation_id":13,"quantity":0,"subtotal":"0.00"},
            {"id":3,"name":"Filter","product_id":14,"quantity":4,"subtotal":"10.00","price":2.5}]}
            """#
        let event = try #require(order(json).batch?.events.first?.event)
        #expect(
            event.lineItems == [
                LineItem(id: "ESP", name: "Espresso \u{2013} 1\u{A0}kg & mehr", quantity: 3, unitPrice: nil),
                LineItem(id: "14", name: "Filter", quantity: 4, unitPrice: Money.Amount("2.50")),
            ])
    }

    @Test("consent meta becomes consent signals, with raw copies")
    func consentMeta() throws {
        let json = #"""
            {"id":5,"status":"processing","currency":"EUR","total":"1.00","customer_user_agent":"","meta_data":[
            {"id":1,"key":"_capi_consent_ad_user_data","value":"granted"},{"id":2,"key":"_capi_consent_ad_personalization","value":"denied"},
            {"id":3,"key":"_capi_gpc","value":"1"},{"id":4,"key":"_capi_tcf_string","value":"CQabc"},{"id":5,"key":"_fbc","value":"fb.1.2.abc"},
            {"id":6,"key":"_fbp","value":"fb.1.2.3"},{"id":7,"key":"_wc_order_attribution_user_agent","value":"UA/2"},
            {"id":8,"key":"_wc_order_attribution_session_entry","value":"https://shop.example.com/?gclid=abc&ttclid=t%201"}]}
            """#
        let event = try #require(order(json).batch?.events.first?.event)
        #expect(event.consent.adUserData == .granted)
        #expect(event.consent.adPersonalization == .denied)
        #expect(event.consent.gpc == true)
        #expect(event.consent.tcfString == "CQabc")
        #expect(
            event.consent.sourceSignals == [
                "woocommerce._capi_consent_ad_user_data": "granted", "woocommerce._capi_consent_ad_personalization": "denied",
                "woocommerce._capi_gpc": "1", "woocommerce._capi_tcf_string": "CQabc",
            ])
        #expect(event.client.userAgent?.rawValue == "UA/2")
        #expect(event.client.clickIDs.mapValues(\.rawValue) == [.fbc: "fb.1.2.abc", .fbp: "fb.1.2.3", .gclid: "abc", .ttclid: "t 1"])
    }

    @Test("a missing topic header is a payload error; an unsigned order is refused")
    func headers() throws {
        let body = try Fixtures.bytes("woocommerce/order-created-processing.json")
        let signed = HeaderFields([("X-WC-Webhook-Signature", WooCommerceSignature.sign(secret: Fixtures.Secret.wooCommerce, body: body))])
        #expect(run(source, WebhookRequest(headers: signed, body: body)).isPayloadError)
        #expect(
            run(source, WebhookRequest(headers: HeaderFields([("X-WC-Webhook-Topic", "order.created")]), body: body)).error == .signature(.unsigned))
    }
}
