import BridgeCore
import Synchronization

/// Stripe's list endpoints as `MockSourceServer` plays them:
/// `GET /v1/checkout/sessions` and `GET /v1/payment_intents` with
/// `Authorization: Bearer <secret key>`, `created[gte]`/`created[lte]`
/// (inclusive Unix seconds), `limit` (1–100, default 10) and
/// `starting_after` (newest first, as Stripe lists), answering
/// `{"object": "list", "data": [...], "has_more": …, "url": …}`.
///
/// Each order is a paid Checkout Session in `payment` mode whose
/// `payment_intent` is a succeeded PaymentIntent `pi_<id>` (so both give the
/// sale id `pi_<id>`), amounts in integer minor units, lower-case currency,
/// `livemode: false` for test orders. `rateLimitNext(_:retryAfter:)` answers
/// the next requests 429 `rate_limit` (with `Retry-After` when given); a
/// wrong key is answered 401 `invalid_request_error`.
public final class MockStripeAPI: MockSourceAPI {
    public var name: String { "stripe" }
    public let secretKey: String

    struct State {
        var orders: [MockOrder]
        var rateLimited = 0
        var retryAfter: Int?
        var rateLimitedAnswers = 0
    }

    private let state: Mutex<State>

    public init(secretKey: String, orders: [MockOrder]) {
        self.secretKey = secretKey
        self.state = Mutex(State(orders: orders))
    }

    public func setOrders(_ orders: [MockOrder]) { state.withLock { $0.orders = orders } }

    /// Answers the next `count` requests 429, with `Retry-After: retryAfter` when given.
    public func rateLimitNext(_ count: Int, retryAfter: Int? = nil) {
        state.withLock {
            $0.rateLimited += count
            $0.retryAfter = retryAfter
        }
    }

    /// How many requests were answered 429.
    public var rateLimitedAnswers: Int { state.withLock { $0.rateLimitedAnswers } }

    public func respond(to request: MockHTTPRequest, now: ContinuousClock.Instant) -> MockHTTPResponse {
        guard request.method == "GET", ["/v1/checkout/sessions", "/v1/payment_intents"].contains(request.path) else {
            return Self.error(404, type: "invalid_request_error", message: "Unrecognized request URL (\(request.method): \(request.path)).")
        }
        guard request.bearerToken == secretKey else {
            return Self.error(401, type: "invalid_request_error", message: "Invalid API Key provided.")
        }
        let limited: (Bool, Int?) = state.withLock { state in
            guard state.rateLimited > 0 else { return (false, nil) }
            state.rateLimited -= 1
            state.rateLimitedAnswers += 1
            return (true, state.retryAfter)
        }
        if limited.0 {
            var response = Self.error(
                429, type: "invalid_request_error", message: "Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits.",
                code: "rate_limit")
            if let seconds = limited.1 { response.headers.append(("retry-after", String(seconds))) }
            response.headers.append(("stripe-should-retry", "true"))
            return response
        }
        let limit = request.query["limit"].flatMap { Int($0) } ?? 10
        guard (1...100).contains(limit) else {
            return Self.error(400, type: "invalid_request_error", message: "Invalid integer: limit must be between 1 and 100", param: "limit")
        }
        let gte = request.query["created[gte]"].flatMap { Int64($0) }
        let lte = request.query["created[lte]"].flatMap { Int64($0) }
        let isSessions = request.path == "/v1/checkout/sessions"
        let orders = state.withLock { $0.orders }.filter { order in
            let created = order.paidAt.secondsSinceEpoch
            return (gte.map { created >= $0 } ?? true) && (lte.map { created <= $0 } ?? true)
        }.sorted { ($0.paidAt, $0.id) > ($1.paidAt, $1.id) }
        let objects = orders.map { isSessions ? Self.session($0) : Self.paymentIntent($0) }
        var start = 0
        if let after = request.query["starting_after"] {
            guard let index = objects.firstIndex(where: { $0["id"]?.stringValue == after }) else {
                return Self.error(400, type: "invalid_request_error", message: "No such object: '\(after)'", param: "starting_after")
            }
            start = index + 1
        }
        let page = Array(objects.dropFirst(start).prefix(limit))
        return .json(
            200,
            .object([
                "object": .string("list"), "data": .array(page), "has_more": .bool(start + page.count < objects.count),
                "url": .string(request.path),
            ]))
    }

    static func error(_ status: Int, type: String, message: String, code: String? = nil, param: String? = nil) -> MockHTTPResponse {
        var error: [String: JSONValue] = ["type": .string(type), "message": .string(message)]
        if let code { error["code"] = .string(code) }
        if let param { error["param"] = .string(param) }
        return .json(status, .object(["error": .object(error)]))
    }

    static func exponent(_ currency: String) -> Int {
        ["JPY", "KRW", "VND", "CLP"].contains(currency.uppercased()) ? 0 : (["BHD", "JOD", "KWD", "OMR", "TND"].contains(currency.uppercased()) ? 3 : 2)
    }

    /// A paid Checkout Session (payment mode) for `order`.
    static func session(_ order: MockOrder) -> JSONValue {
        let name = [order.firstName, order.lastName].compactMap { $0 }.joined(separator: " ")
        return .object([
            "id": .string("cs_test_\(order.id)"), "object": .string("checkout.session"), "created": .number(String(order.paidAt.secondsSinceEpoch)),
            "livemode": .bool(!order.isTest), "mode": .string("payment"), "status": .string("complete"),
            "payment_status": .string(order.financialStatus == "paid" ? "paid" : "unpaid"),
            "amount_total": .number(String(order.minorUnits(exponent: exponent(order.currency)))), "currency": .string(order.currency.lowercased()),
            "payment_intent": .string("pi_\(order.id)"), "invoice": .null, "client_reference_id": .string(String(order.id)),
            "customer": .null, "customer_email": .null,
            "customer_details": .object([
                "email": order.email.map(JSONValue.string) ?? .null, "name": name.isEmpty ? .null : .string(name),
                "phone": order.phone.map(JSONValue.string) ?? .null,
                "address": .object(["country": order.country.map(JSONValue.string) ?? .null]),
            ]),
            "metadata": .object(order.ipAddress.map { ["client_ip": .string($0)] } ?? [:]),
        ])
    }

    /// The succeeded PaymentIntent behind `order`'s session.
    static func paymentIntent(_ order: MockOrder) -> JSONValue {
        let amount = JSONValue.number(String(order.minorUnits(exponent: exponent(order.currency))))
        return .object([
            "id": .string("pi_\(order.id)"), "object": .string("payment_intent"), "created": .number(String(order.paidAt.secondsSinceEpoch)),
            "livemode": .bool(!order.isTest), "status": .string(order.financialStatus == "paid" ? "succeeded" : "requires_payment_method"),
            "amount": amount, "amount_received": order.financialStatus == "paid" ? amount : .number("0"),
            "currency": .string(order.currency.lowercased()), "invoice": .null, "customer": .null,
            "receipt_email": order.email.map(JSONValue.string) ?? .null, "shipping": .null,
            "metadata": .object(order.ipAddress.map { ["client_ip": .string($0)] } ?? [:]),
        ])
    }
}
