import BridgeCore
import Foundation
import Synchronization

/// Shopify's GraphQL Admin API `orders` query as `MockSourceServer` plays it:
/// `POST /admin/api/{version}/graphql.json` with `X-Shopify-Access-Token`,
/// the `processed_at` range of the search `query` honoured, cursor
/// pagination (`first` ≤ 250, `after`, `pageInfo.hasNextPage`/`endCursor`),
/// and the cost-based throttle: a bucket of `maximumAvailable` points
/// restoring `restoreRate` per second; a query whose requested cost
/// (`1 + first × costPerOrder`) exceeds what is available is answered
/// HTTP 200 with `errors[0].extensions.code = "THROTTLED"` and no data;
/// otherwise its actual cost (`1 + returned × costPerOrder`) is taken. Every
/// answer carries `extensions.cost` with `throttleStatus`. A wrong token is
/// answered 401 `{"errors": "[API] Invalid API key or access token …"}`.
public final class MockShopifyAdminAPI: MockSourceAPI {
    public var name: String { "shopify" }

    /// The bucket.
    public struct Throttle: Sendable {
        public var maximumAvailable: Double
        public var restoreRate: Double
        public var costPerOrder: Double

        public init(maximumAvailable: Double = 1000, restoreRate: Double = 50, costPerOrder: Double = 10) {
            self.maximumAvailable = maximumAvailable
            self.restoreRate = restoreRate
            self.costPerOrder = costPerOrder
        }
    }

    public let accessToken: String
    public let apiVersion: String
    public let throttle: Throttle

    struct State {
        var orders: [MockOrder]
        var available: Double
        var restoredAt: ContinuousClock.Instant?
        var forcedThrottles = 0
        var throttledAnswers = 0
    }

    private let state: Mutex<State>

    public init(accessToken: String, apiVersion: String = "2025-10", orders: [MockOrder], throttle: Throttle = Throttle()) {
        self.accessToken = accessToken
        self.apiVersion = apiVersion
        self.throttle = throttle
        self.state = Mutex(State(orders: orders, available: throttle.maximumAvailable))
    }

    /// The path of the endpoint.
    public var path: String { "/admin/api/\(apiVersion)/graphql.json" }

    /// Replaces the shop's orders.
    public func setOrders(_ orders: [MockOrder]) { state.withLock { $0.orders = orders } }

    /// Answers the next `count` queries `THROTTLED` whatever the bucket holds.
    public func throttleNext(_ count: Int) { state.withLock { $0.forcedThrottles += count } }

    /// How many queries were answered `THROTTLED`.
    public var throttledAnswers: Int { state.withLock { $0.throttledAnswers } }

    public func respond(to request: MockHTTPRequest, now: ContinuousClock.Instant) -> MockHTTPResponse {
        guard request.method == "POST", request.path == path else { return .json(404, .object(["errors": .string("Not Found")])) }
        guard request.headers["x-shopify-access-token"] == accessToken else {
            return .json(401, .object(["errors": .string("[API] Invalid API key or access token (unrecognized login or wrong password)")]))
        }
        guard let body = request.json, let variables = body["variables"], body["query"]?.stringValue?.contains("orders(") == true else {
            return .json(400, .object(["errors": .array([.object(["message": .string("Parse error: expected a query with variables")])])]))
        }
        let first = variables["first"]?.numberText.flatMap { Int($0) } ?? 0
        guard (1...250).contains(first) else {
            return .json(200, .object(["errors": .array([.object(["message": .string("first: must be between 1 and 250")])])]))
        }
        return state.withLock { state in
            restore(&state, now: now)
            let requested = 1 + Double(first) * throttle.costPerOrder
            if state.forcedThrottles > 0 || state.available < requested {
                state.forcedThrottles = max(0, state.forcedThrottles - 1)
                state.throttledAnswers += 1
                return .json(
                    200,
                    .object([
                        "errors": .array([
                            .object([
                                "message": .string("Throttled"),
                                "extensions": .object([
                                    "code": .string("THROTTLED"), "documentation": .string("https://shopify.dev/api/usage/rate-limits"),
                                ]),
                            ])
                        ]),
                        "extensions": cost(requested: requested, actual: nil, available: state.available),
                    ]))
            }
            let page = self.page(state.orders, variables: variables, first: first)
            let actual = 1 + Double(page.nodes.count) * throttle.costPerOrder
            state.available -= actual
            return .json(
                200,
                .object([
                    "data": .object([
                        "orders": .object([
                            "pageInfo": .object(["hasNextPage": .bool(page.hasNext), "endCursor": page.endCursor.map(JSONValue.string) ?? .null]),
                            "nodes": .array(page.nodes),
                        ])
                    ]),
                    "extensions": cost(requested: requested, actual: actual, available: state.available),
                ]))
        }
    }

    func restore(_ state: inout State, now: ContinuousClock.Instant) {
        if let last = state.restoredAt {
            let elapsed = now - last
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            state.available = min(throttle.maximumAvailable, state.available + seconds * throttle.restoreRate)
        }
        state.restoredAt = now
    }

    func cost(requested: Double, actual: Double?, available: Double) -> JSONValue {
        .object([
            "cost": .object([
                "requestedQueryCost": .number(Self.number(requested)), "actualQueryCost": actual.map { .number(Self.number($0)) } ?? .null,
                "throttleStatus": .object([
                    "maximumAvailable": .number(Self.number(throttle.maximumAvailable)),
                    "currentlyAvailable": .number(Self.number(available.rounded(.down))), "restoreRate": .number(Self.number(throttle.restoreRate)),
                ]),
            ])
        ])
    }

    /// One decimal, as Shopify writes floats (`1000.0`).
    static func number(_ value: Double) -> String {
        let tenths = Int64((value * 10).rounded())
        return "\(tenths / 10).\(abs(tenths % 10))"
    }

    /// The page the variables ask for: orders processed in the range of the
    /// search query, by processing time, after the cursor.
    func page(_ orders: [MockOrder], variables: JSONValue, first: Int) -> (nodes: [JSONValue], hasNext: Bool, endCursor: String?) {
        let search = variables["query"]?.stringValue ?? ""
        let since = Self.bound(in: search, after: "processed_at:>='")
        let until = Self.bound(in: search, after: "processed_at:<'")
        let matching = orders.filter { order in
            (since.map { order.paidAt >= $0 } ?? true) && (until.map { order.paidAt < $0 } ?? true)
        }.sorted { ($0.paidAt, $0.id) < ($1.paidAt, $1.id) }
        var start = 0
        if let cursor = variables["after"]?.stringValue, cursor.hasPrefix("c"), let index = Int(cursor.dropFirst()) { start = index }
        let slice = Array(matching.dropFirst(start).prefix(first))
        let end = start + slice.count
        return (slice.map(Self.node), end < matching.count, slice.isEmpty ? nil : "c\(end)")
    }

    /// The time quoted after `marker` in a search query.
    static func bound(in search: String, after marker: String) -> Timestamp? {
        guard let range = search.range(of: marker) else { return nil }
        let rest = search[range.upperBound...]
        return Timestamp(rfc3339: String(rest.prefix { $0 != "'" }))
    }

    /// An order node with the fields the reconciliation query selects.
    static func node(_ order: MockOrder) -> JSONValue {
        let customerName: [String: JSONValue] = [
            "legacyResourceId": .string(String(order.id + 7_000_000)), "firstName": order.firstName.map(JSONValue.string) ?? .null,
            "lastName": order.lastName.map(JSONValue.string) ?? .null,
            "defaultEmailAddress": order.email.map { .object(["emailAddress": .string($0)]) } ?? .null,
            "defaultPhoneNumber": order.phone.map { .object(["phoneNumber": .string($0)]) } ?? .null,
            "emailMarketingConsent": .object(["marketingState": .string("NOT_SUBSCRIBED")]), "smsMarketingConsent": .null,
        ]
        let address: JSONValue = .object([
            "firstName": order.firstName.map(JSONValue.string) ?? .null, "lastName": order.lastName.map(JSONValue.string) ?? .null,
            "phone": order.phone.map(JSONValue.string) ?? .null, "city": .null, "province": .null, "provinceCode": .null, "zip": .null,
            "countryCodeV2": order.country.map(JSONValue.string) ?? .null,
        ])
        let line: JSONValue = .object([
            "name": .string("Trail Runner"), "sku": .string("TR-\(order.id % 97)"), "quantity": .number("1"),
            "product": .object(["legacyResourceId": .string(String(8_000_000 + order.id % 13))]), "variant": .null,
            "originalUnitPriceSet": .object(["shopMoney": .object(["amount": .string(order.amount)])]),
        ])
        return .object([
            "id": .string("gid://shopify/Order/\(order.id)"), "legacyResourceId": .string(String(order.id)), "name": .string("#\(order.id % 100_000)"),
            "processedAt": .string(order.paidAt.rfc3339), "createdAt": .string(order.paidAt.rfc3339),
            "cancelledAt": order.cancelled ? .string(order.paidAt.rfc3339) : .null, "test": .bool(order.isTest),
            "displayFinancialStatus": .string(order.financialStatus.uppercased()),
            "totalPriceSet": .object(["shopMoney": .object(["amount": .string(order.amount), "currencyCode": .string(order.currency)])]),
            "email": order.email.map(JSONValue.string) ?? .null, "phone": order.phone.map(JSONValue.string) ?? .null,
            "clientIp": order.ipAddress.map(JSONValue.string) ?? .null, "customer": .object(customerName), "billingAddress": address,
            "shippingAddress": .null, "customAttributes": .array([]), "customerJourneySummary": .null,
            "lineItems": .object(["nodes": .array([line])]),
        ])
    }
}
