import BridgeCore
import BridgeSources
import Testing

/// Authentic (correctly signed) but hostile payloads: nothing may crash, a
/// refusal is always a payload error, an accepted event is always canonical,
/// and no error or ignore reason repeats personal data.
@Suite("Hostile payloads")
struct HostileInputTests {
    /// A fixture with the adapter and signer that go with it.
    struct Case: Sendable, CustomTestStringConvertible {
        let path: String
        let topic: String
        var testDescription: String { path }

        func request(_ body: [UInt8]) -> WebhookRequest {
            if path.hasPrefix("shopify/") { return Requests.shopify(body, topic: topic) }
            if path.hasPrefix("stripe/") { return Requests.stripe(body) }
            return Requests.wooCommerce(body, topic: topic)
        }

        func outcome(_ body: [UInt8]) -> Result<WebhookOutcome, SourceError> {
            if path.hasPrefix("shopify/") { return run(Adapters.shopify(), request(body)) }
            if path.hasPrefix("stripe/") { return run(Adapters.stripe(), request(body)) }
            return run(Adapters.wooCommerce(), request(body))
        }
    }

    static let cases: [Case] = [
        Case(path: "shopify/orders-create.json", topic: "orders/create"),
        Case(path: "shopify/refunds-create.json", topic: "refunds/create"),
        Case(path: "stripe/checkout-session-completed.json", topic: ""),
        Case(path: "stripe/payment-intent-succeeded.json", topic: ""),
        Case(path: "stripe/charge-refunded.json", topic: ""),
        Case(path: "stripe/invoice-paid.json", topic: ""),
        Case(path: "woocommerce/order-updated-refund-partial.json", topic: "order.updated"),
    ]

    /// Checks one outcome: no signature error (the body was signed), canonical
    /// events, no personal data in any message.
    static func check(_ outcome: Result<WebhookOutcome, SourceError>, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(!outcome.isSignatureError, sourceLocation: sourceLocation)
        var messages: [String] = []
        switch outcome {
        case .failure(let error): messages.append(error.description)
        case .success(.ignored(let reason)): messages.append(reason)
        case .success(.accepted(let batch)):
            for event in batch.events { expectCanonical(event.event, sourceLocation: sourceLocation) }
        case .success(.ping): Issue.record("a signed body is never a ping", sourceLocation: sourceLocation)
        case .success(.privacy): Issue.record("an order or refund topic is never a privacy request", sourceLocation: sourceLocation)
        }
        for message in messages {
            for personal in Fixtures.personalData + ["example.com"] {
                #expect(!message.contains(personal), "message leaks personal data: \(message)", sourceLocation: sourceLocation)
            }
        }
    }

    @Test("every member replaced by a wrong type, a huge number, personal data, or removed", arguments: cases)
    func mutations(_ testCase: Case) throws {
        let document = try JSONParser.parse(try Fixtures.bytes(testCase.path))
        let paths = PayloadMutations.paths(in: document, depth: testCase.path.hasPrefix("stripe/") ? 4 : 3)
        #expect(paths.count > 20)
        for path in paths {
            for replacement in PayloadMutations.replacements {
                let mutated = PayloadMutations.replacing(path, in: document, with: replacement)
                Self.check(testCase.outcome(JSONWriter.bytes(mutated)))
            }
        }
    }

    @Test("a truncated body is malformed JSON", arguments: cases)
    func truncated(_ testCase: Case) throws {
        let body = try Fixtures.bytes(testCase.path)
        for length in stride(from: 0, to: body.count, by: max(1, body.count / 97)) {
            let outcome = testCase.outcome(Array(body.prefix(length)))
            guard case .failure(.payload(.malformedJSON)) = outcome else {
                Issue.record("prefix of \(length) bytes: \(outcome)")
                continue
            }
        }
    }

    @Test("bodies that are not JSON objects", arguments: cases)
    func notObjects(_ testCase: Case) {
        let bodies: [[UInt8]] = [
            [], Array("   ".utf8), Array("null".utf8), Array("[]".utf8), Array("\"x\"".utf8), Array("42".utf8),
            [0x7B, 0x22, 0x69, 0x64, 0x22, 0x3A, 0x22, 0xFF, 0xFE, 0x22, 0x7D],  // {"id":"<invalid UTF-8>"}
            [0xEF, 0xBB, 0xBF] + Array("{}".utf8),  // a byte-order mark
            Array(String(repeating: "[", count: 10_000).utf8),
            Array(#"{"id":1,"id":2}"#.utf8),
            Array("<order><id>1</id></order>".utf8),
            Array("{\"a\":\"\\ud800\"}".utf8),
        ]
        for body in bodies {
            let outcome = testCase.outcome(body)
            #expect(outcome.isPayloadError, "\(body.prefix(12))")
            Self.check(outcome)
        }
    }

    @Test(
        "Shopify: wrong types and out-of-range values name the member",
        arguments: [
            (#"{"id":"abc","financial_status":"paid"}"#, "/id"),
            (#"{"id":1.5,"financial_status":"paid"}"#, "/id"),
            (#"{"id":-4,"financial_status":"paid"}"#, "/id"),
            (#"{"id":99999999999999999999999,"financial_status":"paid"}"#, "/id"),
            (#"{"financial_status":"paid","total_price":"1.00","currency":"USD"}"#, "/id"),
            (#"{"id":1,"financial_status":"paid","total_price":109.11,"currency":"USD"}"#, "/total_price"),
            (#"{"id":1,"financial_status":"paid","total_price":"1e3","currency":"USD"}"#, "/total_price"),
            (#"{"id":1,"financial_status":"paid","total_price":"9223372036854775808","currency":"USD"}"#, "/total_price"),
            (#"{"id":1,"financial_status":"paid","total_price":"1000000000000000.00","currency":"USD"}"#, "/total_price"),
            (#"{"id":1,"financial_status":"paid","total_price":"-5.00","currency":"USD"}"#, "/total_price"),
            (#"{"id":1,"financial_status":"paid","total_price":"5.001","currency":"USD"}"#, "/total_price"),
            (#"{"id":1,"financial_status":"paid","total_price":"5.00","currency":"XYZ"}"#, "/currency"),
            (#"{"id":1,"financial_status":"paid","total_price":"5.00"}"#, "/currency"),
            (#"{"id":1,"financial_status":"paid","processed_at":"yesterday"}"#, "/processed_at"),
            (#"{"id":1,"financial_status":"paid","processed_at":1773497512}"#, "/processed_at"),
        ])
    func shopifyErrors(_ json: String, _ pointer: String) {
        let outcome = run(Adapters.shopify(), Requests.shopify(Array(json.utf8), topic: "orders/paid"))
        guard case .failure(.payload(.invalid(let error))) = outcome else {
            Issue.record("expected a payload error at \(pointer), got \(outcome)")
            return
        }
        #expect(error.pointer.description == pointer)
    }

    @Test(
        "Stripe: wrong types and out-of-range values name the member",
        arguments: [
            (#"{"type":"payment_intent.succeeded","data":{"object":{"id":"pi_1","amount":1,"currency":"usd"}}}"#, "/id"),
            (#"{"id":"evt_1","data":{"object":{}}}"#, "/type"),
            (#"{"id":"evt_1","type":"payment_intent.succeeded"}"#, "/data/object"),
            (#"{"id":"evt_1","type":"payment_intent.succeeded","data":{"object":[]}}"#, "/data/object"),
            (#"{"id":"evt_1","type":"payment_intent.succeeded","data":{"object":{"amount":1,"currency":"usd"}}}"#, "/data/object/id"),
            (#"{"id":"evt_1","type":"payment_intent.succeeded","data":{"object":{"id":"pi 1","amount":1,"currency":"usd"}}}"#, "/data/object/id"),
            (
                #"{"id":"evt_1","type":"payment_intent.succeeded","data":{"object":{"id":"pi_1","amount":99999999999999999999,"currency":"usd"}}}"#,
                "/data/object/amount"
            ),
            (
                #"{"id":"evt_1","type":"payment_intent.succeeded","data":{"object":{"id":"pi_1","amount":19.9,"currency":"usd"}}}"#,
                "/data/object/amount"
            ),
            (
                #"{"id":"evt_1","type":"payment_intent.succeeded","data":{"object":{"id":"pi_1","amount":"1990","currency":"usd"}}}"#,
                "/data/object/amount"
            ),
            (
                #"{"id":"evt_1","type":"payment_intent.succeeded","data":{"object":{"id":"pi_1","amount":-1,"currency":"usd"}}}"#,
                "/data/object/amount"
            ),
            (
                #"{"id":"evt_1","type":"payment_intent.succeeded","data":{"object":{"id":"pi_1","amount":9223372036854775807,"currency":"usd"}}}"#,
                "/data/object/amount"
            ),
            (
                #"{"id":"evt_1","type":"payment_intent.succeeded","data":{"object":{"id":"pi_1","amount":100,"currency":"usdc"}}}"#,
                "/data/object/currency"
            ),
            (
                #"{"id":"evt_1","type":"payment_intent.succeeded","created":"now","data":{"object":{"id":"pi_1","amount":1,"currency":"usd"}}}"#,
                "/created"
            ),
            (
                #"{"id":"evt_1","type":"payment_intent.succeeded","created":99999999999999999,"data":{"object":{"id":"pi_1","amount":1,"currency":"usd"}}}"#,
                "/created"
            ),
            (#"{"id":"evt_1","type":"charge.refunded","data":{"object":{"id":"ch_1","currency":"usd"}}}"#, "/data/object/amount_refunded"),
            (
                #"{"id":"evt_1","type":"checkout.session.completed","data":{"object":{"mode":"payment","payment_status":"paid","amount_total":1,"currency":"usd"}}}"#,
                "/data/object/id"
            ),
        ])
    func stripeErrors(_ json: String, _ pointer: String) {
        let outcome = run(Adapters.stripe(), Requests.stripe(Array(json.utf8)))
        guard case .failure(.payload(.invalid(let error))) = outcome else {
            Issue.record("expected a payload error at \(pointer), got \(outcome)")
            return
        }
        #expect(error.pointer.description == pointer)
    }

    @Test(
        "WooCommerce: wrong types and out-of-range values name the member",
        arguments: [
            (#"{"id":"x","status":"processing","currency":"EUR","total":"1.00"}"#, "/id"),
            (#"{"id":0,"status":"processing","currency":"EUR","total":"1.00"}"#, "/id"),
            (#"{"id":1,"status":7,"currency":"EUR","total":"1.00"}"#, "/status"),
            (#"{"id":1,"status":"processing","currency":"EUR","total":64.7}"#, "/total"),
            (#"{"id":1,"status":"processing","currency":"EUR"}"#, "/total"),
            (#"{"id":1,"status":"processing","currency":"EURO","total":"1.00"}"#, "/currency"),
            (#"{"id":1,"status":"processing","currency":"JPY","total":"4980.50"}"#, "/total"),
            (#"{"id":1,"status":"processing","currency":"EUR","total":"1.00","date_paid_gmt":"14.03.2026"}"#, "/date_paid_gmt"),
            (#"{"id":1,"status":"processing","currency":"EUR","total":"1.00","refunds":"none"}"#, "/refunds"),
            (#"{"id":1,"status":"processing","currency":"EUR","total":"1.00","refunds":[{"total":"-1.00"}]}"#, "/refunds/0/id"),
            (#"{"id":1,"status":"processing","currency":"EUR","total":"1.00","refunds":[{"id":2,"total":-1}]}"#, "/refunds/0/total"),
            (#"{"id":1,"status":"processing","currency":"EUR","total":"1.00","refunds":[{"id":2,"total":"-1e2"}]}"#, "/refunds/0/total"),
        ])
    func wooCommerceErrors(_ json: String, _ pointer: String) {
        let outcome = run(Adapters.wooCommerce(), Requests.wooCommerce(Array(json.utf8), topic: "order.updated"))
        guard case .failure(.payload(.invalid(let error))) = outcome else {
            Issue.record("expected a payload error at \(pointer), got \(outcome)")
            return
        }
        #expect(error.pointer.description == pointer)
    }

    @Test("missing or mistyped customer blocks give fewer identifiers, not errors")
    func missingBlocks() throws {
        let shopify =
            #"{"id":1,"financial_status":"paid","total_price":"5.00","currency":"USD","customer":[],"billing_address":"x","client_details":7,"note_attributes":{},"line_items":"none","email":42}"#
        let shopifyEvent = try #require(
            run(Adapters.shopify(), Requests.shopify(Array(shopify.utf8), topic: "orders/paid")).batch?.events.first?.event)
        #expect(shopifyEvent.customer.isEmpty && shopifyEvent.client.isEmpty && shopifyEvent.lineItems.isEmpty)
        let subset = #"{"id":1}"#  // include_fields: id only
        let subsetEvent = try #require(run(Adapters.shopify(), Requests.shopify(Array(subset.utf8), topic: "orders/paid")).batch?.events.first?.event)
        #expect(subsetEvent.value == nil)
        #expect(subsetEvent.eventTime == Fixtures.now)
        let stripe =
            #"{"id":"evt_1","type":"payment_intent.succeeded","data":{"object":{"id":"pi_1","amount":100,"currency":"usd","shipping":"x","metadata":[],"customer":{"name":"no id"},"receipt_email":false}}}"#
        let stripeEvent = try #require(run(Adapters.stripe(), Requests.stripe(Array(stripe.utf8))).batch?.events.first?.event)
        #expect(stripeEvent.customer.isEmpty && stripeEvent.client.isEmpty)
        let woo =
            #"{"id":1,"status":"completed","currency":"EUR","total":"1.00","billing":null,"shipping":[],"meta_data":"x","customer_id":"0","line_items":[{"quantity":"2"},{"product_id":5,"quantity":2000000}]}"#
        let wooEvent = try #require(
            run(Adapters.wooCommerce(), Requests.wooCommerce(Array(woo.utf8), topic: "order.created")).batch?.events.first?.event)
        #expect(wooEvent.customer.isEmpty && wooEvent.client.isEmpty && wooEvent.lineItems.isEmpty)
    }

    @Test("over-long identifiers are dropped rather than failing the schema")
    func overLongValues() throws {
        let long = String(repeating: "a", count: 600)
        let json =
            #"{"id":1,"financial_status":"paid","total_price":"1.00","currency":"USD","email":"\#(long)@example.com","contact_email":"b@example.com","browser_ip":"\#(long)","landing_site":"/?fbclid=\#(String(repeating: "f", count: 1100))&gclid=g"}"#
        let event = try #require(run(Adapters.shopify(), Requests.shopify(Array(json.utf8), topic: "orders/paid")).batch?.events.first?.event)
        #expect(event.customer[.email]?.rawValue == "b@example.com")
        #expect(event.client.ipAddress == nil)
        #expect(event.client.clickIDs.mapValues(\.rawValue) == [.gclid: "g"])
        expectCanonical(event)
    }

    @Test("personal data placed where an id or amount belongs is not echoed")
    func noPersonalDataInErrors() {
        let email = "avery.jensen@example.com"
        let outcomes = [
            run(Adapters.shopify(), Requests.shopify(Array(#"{"id":"\#(email)","financial_status":"paid"}"#.utf8), topic: "orders/paid")),
            run(Adapters.shopify(), Requests.shopify(Array(#"{"id":1,"financial_status":"\#(email)"}"#.utf8), topic: "orders/create")),
            run(Adapters.shopify(), Requests.shopify(Array("{}".utf8), topic: email)),
            run(Adapters.stripe(), Requests.stripe(Array(#"{"id":"evt_1","type":"\#(email)"}"#.utf8))),
            run(Adapters.stripe(), Requests.stripe(Array(#"{"id":"\#(email) x","type":"invoice.paid","data":{"object":{}}}"#.utf8))),
            run(Adapters.wooCommerce(), Requests.wooCommerce(Array(#"{"id":1,"status":"\#(email)"}"#.utf8), topic: "order.updated")),
            run(
                Adapters.wooCommerce(),
                Requests.wooCommerce(Array(#"{"id":1,"status":"processing","currency":"EUR","total":"Morgan Reyes"}"#.utf8), topic: "order.updated")),
        ]
        for outcome in outcomes { Self.check(outcome) }
    }
}
