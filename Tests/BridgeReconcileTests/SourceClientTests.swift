import AsyncHTTPClient
import BridgeCore
import BridgeMocks
import BridgeReconcile
import BridgeSources
import Foundation
import Logging
import Testing

/// The source clients against the in-process mocks of the sources' own APIs,
/// over loopback HTTP: paging followed to the end, throttles honoured (request
/// timing checked at the mock), credentials sent as each API wants them.
@Suite("Source API clients")
struct SourceClientTests {
    static let logger = Logger(label: "test")
    static let now = Timestamp(millisecondsSinceEpoch: Int64(Date().timeIntervalSince1970 * 1000))
    static let since = now.advanced(by: .seconds(-86_400))

    static func orders(_ count: Int, firstID: Int64 = 1000) -> [MockOrder] {
        (0..<count).map { n in
            MockOrder(
                id: firstID + Int64(n), paidAt: since.advanced(by: .seconds(60 + Int64(n) * 60)), amount: "\(10 + n).00", email: "b\(n)@example.com",
                country: "US")
        }
    }

    static func withHTTP<T>(_ body: (SourceHTTP) async throws -> T) async throws -> T {
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        do {
            let result = try await body(SourceHTTP(client: client))
            try await client.shutdown()
            return result
        } catch {
            try await client.shutdown()
            throw error
        }
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    @Test("Shopify: every page is read, each order has its webhook's event id, and the client waits for the cost bucket instead of being throttled")
    func shopifyThrottle() async throws {
        // A bucket of 600 points restoring 1,000/s: a 50-order page (requested 501) leaves 99, so the next must wait about 0.4 s.
        let shop = MockShopifyAdminAPI(
            accessToken: "shpat_x", orders: Self.orders(120), throttle: .init(maximumAvailable: 600, restoreRate: 1000, costPerOrder: 10))
        let server = try await MockSourceServer.start(shop)
        let fetched = try await Self.withHTTP { http in
            let client = try ShopifyOrdersClient(
                settings: SourceSettings(name: "shop", secrets: []), apiURL: server.baseURL, apiVersion: shop.apiVersion, accessToken: "shpat_x",
                http: http, logger: Self.logger)
            return try await client.orders(since: Self.since, until: Self.now)
        }
        let exchanges = server.exchanges
        await server.stop()
        #expect(fetched.orders.count == 120)
        #expect(fetched.orders.first?.eventID == "sale:shop:1000")
        #expect(fetched.orders.first?.value == Money(amount: Money.Amount("10.00")!, currency: Currency(code: "EUR")!))
        #expect(fetched.events["sale:shop:1000"]?.orderID == "1000")
        #expect(exchanges.count == 3)
        #expect(shop.throttledAnswers == 0, "the client waited for the bucket rather than being refused")
        // The second and third queries waited for the bucket to restore (about 0.4 s each)
        for index in 1..<exchanges.count {
            #expect(Self.seconds(exchanges[index].receivedAt - exchanges[index - 1].receivedAt) >= 0.35)
        }
        // And every query asked for the window and followed the cursor
        #expect(exchanges.allSatisfy { $0.request.headers["x-shopify-access-token"] == "shpat_x" })
        #expect(exchanges[1].request.json?[path: "variables", "after"]?.stringValue == "c50")
    }

    @Test("Shopify: a THROTTLED answer is retried after a backoff, and the list is complete")
    func shopifyThrottled() async throws {
        let shop = MockShopifyAdminAPI(accessToken: "shpat_x", orders: Self.orders(10))
        shop.throttleNext(1)
        let server = try await MockSourceServer.start(shop)
        let fetched = try await Self.withHTTP { http in
            try await ShopifyOrdersClient(
                settings: SourceSettings(name: "shop", secrets: []), apiURL: server.baseURL, apiVersion: shop.apiVersion, accessToken: "shpat_x",
                http: http, logger: Self.logger
            ).orders(since: Self.since, until: Self.now)
        }
        let exchanges = server.exchanges
        await server.stop()
        #expect(fetched.orders.count == 10)
        #expect(shop.throttledAnswers == 1)
        #expect(exchanges.count == 2)
        #expect(exchanges[0].responseJSON?[path: "extensions", "cost", "throttleStatus", "restoreRate"] != nil)
        #expect(Self.seconds(exchanges[1].receivedAt - exchanges[0].receivedAt) >= 0.95, "waited at least the 1 s backoff")
    }

    @Test("Shopify: a wrong access token fails the read with a message that holds no secret")
    func shopifyUnauthorized() async throws {
        let server = try await MockSourceServer.start(MockShopifyAdminAPI(accessToken: "shpat_right", orders: Self.orders(3)))
        let error = await #expect(throws: SourceClientError.self) {
            try await Self.withHTTP { http in
                try await ShopifyOrdersClient(
                    settings: SourceSettings(name: "shop", secrets: []), apiURL: server.baseURL, apiVersion: "2025-10", accessToken: "shpat_wrong",
                    http: http, logger: Self.logger
                ).orders(since: Self.since, until: Self.now)
            }
        }
        await server.stop()
        #expect(error?.code == .unauthorized)
        #expect(error?.description.contains("shpat_") == false)
    }

    @Test("Stripe: sessions and payment intents are paged with starting_after, a 429 waits for Retry-After, and a sale listed twice counts once")
    func stripe() async throws {
        let stripe = MockStripeAPI(secretKey: "rk_test_x", orders: Self.orders(150))
        stripe.rateLimitNext(1, retryAfter: 1)
        let server = try await MockSourceServer.start(stripe)
        let fetched = try await Self.withHTTP { http in
            try await StripeListClient(source: "pay", secretKey: "rk_test_x", apiURL: server.baseURL, http: http, logger: Self.logger)
                .orders(since: Self.since, until: Self.now)
        }
        let exchanges = server.exchanges
        await server.stop()
        #expect(fetched.orders.count == 150)
        #expect(Set(fetched.orders.compactMap(\.eventID)) == Set((0..<150).map { "sale:pay:pi_\(1000 + $0)" }))
        #expect(stripe.rateLimitedAnswers == 1)
        #expect(exchanges[0].status == 429)
        #expect(Self.seconds(exchanges[1].receivedAt - exchanges[0].receivedAt) >= 0.95, "waited for Retry-After: 1")
        // Two pages per list (100 + 50), after the refused request
        #expect(exchanges.count == 5)
        #expect(exchanges.allSatisfy { $0.request.headers["authorization"] == "Bearer rk_test_x" })
        #expect(exchanges.contains { $0.request.query["starting_after"] != nil })
        #expect(exchanges.allSatisfy { $0.request.query["created[gte]"] == String(Self.since.secondsSinceEpoch) }, "\(exchanges.map(\.request.query))")
    }

    @Test("WooCommerce: pages are read with the consumer key and secret as HTTP Basic, statuses from the source's options")
    func wooCommerce() async throws {
        let woo = MockWooCommerceAPI(consumerKey: "ck_x", consumerSecret: "cs_y", orders: Self.orders(130))
        let server = try await MockSourceServer.start(woo)
        let settings = SourceSettings(name: "woo", secrets: [])
        let fetched = try await Self.withHTTP { http in
            try await WooCommerceOrdersClient(settings: settings, baseURL: server.baseURL, consumerKey: "ck_x", consumerSecret: "cs_y", http: http, logger: Self.logger)
                .orders(since: Self.since, until: Self.now)
        }
        let exchanges = server.exchanges
        await server.stop()
        #expect(fetched.orders.count == 130)
        #expect(fetched.orders.first?.eventID?.hasPrefix("sale:woo:") == true)
        #expect(exchanges.map { $0.request.query["page"] } == ["1", "2"])
        #expect(exchanges.allSatisfy { $0.request.headers["authorization"] == "Basic " + SignatureSupport.base64(Array("ck_x:cs_y".utf8)) })
        #expect(exchanges.first?.request.query["status"]?.isEmpty == false)
        #expect(exchanges.first?.request.query["after"] != nil)
    }

    @Test("WooCommerce: wrong credentials fail the read")
    func wooUnauthorized() async throws {
        let server = try await MockSourceServer.start(MockWooCommerceAPI(consumerKey: "ck_x", consumerSecret: "cs_y", orders: []))
        let error = await #expect(throws: SourceClientError.self) {
            try await Self.withHTTP { http in
                try await WooCommerceOrdersClient(
                    settings: SourceSettings(name: "woo", secrets: []), baseURL: server.baseURL, consumerKey: "ck_x", consumerSecret: "wrong", http: http,
                    logger: Self.logger
                ).orders(since: Self.since, until: Self.now)
            }
        }
        await server.stop()
        #expect(error?.code == .unauthorized)
    }

    @Test("a plain-http URL off loopback is refused before anything is sent")
    func outboundPolicy() async throws {
        _ = try await Self.withHTTP { http in
            #expect(throws: SourceClientError.self) {
                _ = try StripeListClient(source: "pay", secretKey: "rk", apiURL: "http://api.example.com", http: http, logger: Self.logger)
            }
        }
    }

    @Test("a backend's orders endpoint is paged along next_cursor with its bearer token")
    func ordersEndpoint() async throws {
        let server = try await MockSourceServer.start(MockOrdersEndpoint(token: "backend-token", orders: Self.orders(25), pageSize: 10))
        let fetched = try await Self.withHTTP { http in
            try await OrdersEndpointClient(url: server.baseURL + "/orders", token: "backend-token", http: http, logger: Self.logger)
                .orders(since: Self.since, until: Self.now)
        }
        let exchanges = server.exchanges
        await server.stop()
        #expect(fetched.orders.map(\.orderID) == (0..<25).map { String(1000 + $0) })
        #expect(fetched.orders.allSatisfy { $0.eventID == nil })
        #expect(exchanges.map { $0.request.query["cursor"] } == [nil, "10", "20"])
        #expect(exchanges.allSatisfy { $0.request.headers["authorization"] == "Bearer backend-token" })
    }

    @Test("a backend's CSV export is read and joined on order ids")
    func orderFile() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("orders-\(UUID().uuidString).csv").path
        let inside = Self.since.advanced(by: .seconds(600)).rfc3339
        let outside = Self.since.advanced(by: .seconds(-600)).rfc3339
        try "order_id,paid_at,value,currency\nA-1,\(inside),19.90,EUR\nA-0,\(outside),5.00,EUR\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let source = OrderFileSource(path: path)
        #expect(source.joinsOnOrderID && !source.canBackfill)
        let fetched = try await source.orders(since: Self.since, until: Self.now)
        #expect(fetched.orders.map(\.orderID).contains("A-1"))
        #expect(fetched.orders.allSatisfy { $0.eventID == nil })
    }
}
