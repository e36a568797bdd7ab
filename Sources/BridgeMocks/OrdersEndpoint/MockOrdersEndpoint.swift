import BridgeCore
import Synchronization

/// A custom backend's orders endpoint, in the shape `docs/reconciliation.md`
/// documents, as `MockSourceServer` plays it: `GET /orders?since=&until=`
/// (RFC 3339, `[since, until)`) `&cursor=` with `Authorization: Bearer
/// <token>`, answering `{"orders": [{"order_id", "paid_at", "value",
/// "currency"}], "next_cursor": "…" | null}`, `pageSize` orders a page.
public final class MockOrdersEndpoint: MockSourceAPI {
    public var name: String { "orders-endpoint" }
    public let token: String
    public let pageSize: Int
    private let orders: Mutex<[MockOrder]>

    public init(token: String, orders: [MockOrder], pageSize: Int = 100) {
        self.token = token
        self.pageSize = max(1, pageSize)
        self.orders = Mutex(orders)
    }

    public func setOrders(_ orders: [MockOrder]) { self.orders.withLock { $0 = orders } }

    public func respond(to request: MockHTTPRequest, now: ContinuousClock.Instant) -> MockHTTPResponse {
        guard request.method == "GET", request.path == "/orders" else { return .json(404, .object(["error": .string("not found")])) }
        guard request.bearerToken == token else { return .json(401, .object(["error": .string("unauthorized")])) }
        guard let since = request.query["since"].flatMap({ Timestamp(rfc3339: $0) }),
            let until = request.query["until"].flatMap({ Timestamp(rfc3339: $0) })
        else { return .json(400, .object(["error": .string("since and until are required")])) }
        let matching = orders.withLock { $0 }.filter { $0.paidAt >= since && $0.paidAt < until }.sorted { ($0.paidAt, $0.id) < ($1.paidAt, $1.id) }
        let start = request.query["cursor"].flatMap { Int($0) } ?? 0
        let slice = Array(matching.dropFirst(start).prefix(pageSize))
        let next = start + slice.count < matching.count ? JSONValue.string(String(start + slice.count)) : .null
        return .json(
            200,
            .object([
                "orders": .array(
                    slice.map {
                        .object([
                            "order_id": .string(String($0.id)), "paid_at": .string($0.paidAt.rfc3339), "value": .string($0.amount),
                            "currency": .string($0.currency),
                        ])
                    }),
                "next_cursor": next,
            ]))
    }
}
