import BridgeCore
import Synchronization

/// WooCommerce's REST `GET /wp-json/wc/v3/orders` as `MockSourceServer`
/// plays it: HTTP Basic with the consumer key and secret, `after`/`before`
/// (ISO 8601; GMT with `dates_are_gmt=true`), `status` (comma-separated;
/// default any), `page` (1-based) and `per_page` (1–100, default 10), with
/// `X-WP-Total` and `X-WP-TotalPages`; a page past the last is an empty
/// array. Orders are the REST v3 resource the webhooks carry (`status`
/// `completed` for paid orders, `pending` otherwise; `_wcpay_mode: test` for
/// test orders). Wrong credentials: 401 `woocommerce_rest_cannot_view`.
public final class MockWooCommerceAPI: MockSourceAPI {
    public var name: String { "woocommerce" }
    public let consumerKey: String
    public let consumerSecret: String
    private let orders: Mutex<[MockOrder]>

    public init(consumerKey: String, consumerSecret: String, orders: [MockOrder]) {
        self.consumerKey = consumerKey
        self.consumerSecret = consumerSecret
        self.orders = Mutex(orders)
    }

    public func setOrders(_ orders: [MockOrder]) { self.orders.withLock { $0 = orders } }

    public func respond(to request: MockHTTPRequest, now: ContinuousClock.Instant) -> MockHTTPResponse {
        guard request.method == "GET", request.path == "/wp-json/wc/v3/orders" else {
            return .json(404, .object(["code": .string("rest_no_route"), "message": .string("No route was found matching the URL and request method."), "data": .object(["status": .number("404")])]))
        }
        let expected = "Basic " + SignatureSupport.base64(Array("\(consumerKey):\(consumerSecret)".utf8))
        guard request.headers["authorization"] == expected else {
            return .json(401, .object(["code": .string("woocommerce_rest_cannot_view"), "message": .string("Sorry, you cannot list resources."), "data": .object(["status": .number("401")])]))
        }
        let perPage = request.query["per_page"].flatMap { Int($0) } ?? 10
        let page = request.query["page"].flatMap { Int($0) } ?? 1
        guard (1...100).contains(perPage), page >= 1 else {
            return .json(400, .object(["code": .string("rest_invalid_param"), "message": .string("Invalid parameter(s): per_page"), "data": .object(["status": .number("400")])]))
        }
        let after = request.query["after"].flatMap { Timestamp(rfc3339: $0, assumeUTC: true) }
        let before = request.query["before"].flatMap { Timestamp(rfc3339: $0, assumeUTC: true) }
        let statuses = request.query["status"].map { Set($0.split(separator: ",").map(String.init)) }
        let matching = orders.withLock { $0 }.filter { order in
            (after.map { order.paidAt > $0 } ?? true) && (before.map { order.paidAt < $0 } ?? true)
                && (statuses.map { $0.contains("any") || $0.contains(Self.status(order)) } ?? true)
        }.sorted { ($0.paidAt, $0.id) < ($1.paidAt, $1.id) }
        let slice = Array(matching.dropFirst((page - 1) * perPage).prefix(perPage))
        let pages = (matching.count + perPage - 1) / perPage
        return .json(
            200, .array(slice.map(Self.order)),
            headers: [("x-wp-total", String(matching.count)), ("x-wp-totalpages", String(pages))])
    }

    static func status(_ order: MockOrder) -> String {
        if order.cancelled { return "cancelled" }
        return order.financialStatus == "paid" ? "completed" : "pending"
    }

    /// `2026-01-01T12:00:00` (WooCommerce's offset-less GMT form).
    static func gmt(_ time: Timestamp) -> String {
        String(time.rfc3339.prefix(19))
    }

    /// The REST v3 order resource for `order`.
    static func order(_ order: MockOrder) -> JSONValue {
        var meta: [JSONValue] = []
        if order.isTest { meta.append(.object(["id": .number("1"), "key": .string("_wcpay_mode"), "value": .string("test")])) }
        let billing: JSONValue = .object([
            "first_name": .string(order.firstName ?? ""), "last_name": .string(order.lastName ?? ""), "email": .string(order.email ?? ""),
            "phone": .string(order.phone ?? ""), "country": .string(order.country ?? ""), "city": .string(""), "state": .string(""),
            "postcode": .string(""),
        ])
        return .object([
            "id": .number(String(order.id)), "status": .string(status(order)), "currency": .string(order.currency), "total": .string(order.amount),
            "date_created_gmt": .string(gmt(order.paidAt)), "date_paid_gmt": order.financialStatus == "paid" ? .string(gmt(order.paidAt)) : .null,
            "date_modified_gmt": .string(gmt(order.paidAt)), "customer_id": .number("0"),
            "customer_ip_address": .string(order.ipAddress ?? ""), "customer_user_agent": .string(""), "billing": billing,
            "shipping": .object(["first_name": .string(""), "last_name": .string(""), "country": .string("")]),
            "line_items": .array([
                .object([
                    "id": .number(String(order.id * 10)), "name": .string("Trail Runner"), "product_id": .number("93"), "variation_id": .number("0"),
                    "quantity": .number("1"), "subtotal": .string(order.amount), "total": .string(order.amount), "sku": .string("TR"),
                ])
            ]),
            "meta_data": .array(meta), "refunds": .array([]),
        ])
    }
}
