import AsyncHTTPClient
import BridgeCore
import BridgeMocks
import BridgeSources
import BridgeStore
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// Shopify's mandatory compliance webhooks against `capi-bridge serve`:
/// verified, carried out through the erasure, audited, answered 200.
@Suite("Shopify privacy webhooks in the real process", .serialized)
struct ShopifyPrivacyTests {
    static let secret = "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"
    static let shopDomain = "northwind-outfitters.myshopify.com"

    /// Posts `body` to the `shop` source as Shopify does, signed unless `signed` is false.
    static func post(_ body: [UInt8], topic: String, port: Int, signed: Bool = true, client: HTTPClient) async throws -> (UInt, JSONValue?) {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/v1/webhooks/shop")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "X-Shopify-Topic", value: topic)
        request.headers.add(name: "X-Shopify-Shop-Domain", value: shopDomain)
        request.headers.add(name: "X-Shopify-Webhook-Id", value: UUID().uuidString.lowercased())
        let mac = SignatureSupport.hmacSHA256(key: Array((signed ? secret : "shpss_wrong").utf8), message: body)
        request.headers.add(name: "X-Shopify-Hmac-Sha256", value: SignatureSupport.base64(mac))
        request.body = .bytes(ByteBuffer(bytes: body))
        let response = try await client.execute(request, timeout: .seconds(10))
        let bytes = try await response.body.collect(upTo: 1 << 16)
        return (response.status.code, try? JSONParser.parse(Array(buffer: bytes)))
    }

    static func fixture(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: BridgeCommand.repositoryRoot.appendingPathComponent("fixtures/sources/shopify/" + name)))
    }

    static func customer(_ topic: String, orders: [Int], extra: String = "") -> [UInt8] {
        let ordersKey = topic == "customers/redact" ? "orders_to_redact" : "orders_requested"
        return Array(
            #"{"shop_id":954889,"shop_domain":"\#(shopDomain)","customer":{"id":7201934856249,"email":"avery.jensen@example.com","phone":null},"\#(ordersKey)":\#(orders)\#(extra)}"#
                .utf8)
    }

    @Test("customers/data_request tells the operator counts only; customers/redact erases the customer's events; shop/redact the rest; all answer 200 and are audited")
    func complianceTopics() async throws {
        let alerts = try await MockRedirectServer.start()
        let bridge = try await BridgeProcess { directory, storePath in
            """
            server: {host: 127.0.0.1, port: 0}
            store: {path: \(storePath), seal_key: "${CAPI_SEAL_KEY}"}
            sources:
              - {name: shop, kind: shopify, secrets: ["\(Self.secret)"]}
            destinations:
              - {name: sandbox, kind: sandbox, path: \(directory.path)/sandbox.jsonl}
            audit: {dir: \(directory.path)/audit}
            alerts: {webhook_url: "\(alerts.baseURL)/alerts"}
            logging: {level: info}
            """
        }
        defer { bridge.cleanUp() }
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        defer { _ = client.shutdown() }
        // Given two orders: Avery's and a guest's
        #expect(try await Self.post(try Self.fixture("orders-create.json"), topic: "orders/create", port: bridge.port, client: client).0 == 202)
        #expect(try await Self.post(try Self.fixture("orders-create-guest-pos.json"), topic: "orders/create", port: bridge.port, client: client).0 == 202)

        // An unsigned compliance webhook is refused (Shopify's app review checks this)
        #expect(try await Self.post(Self.customer("customers/redact", orders: []), topic: "customers/redact", port: bridge.port, signed: false, client: client).0 == 401)

        // When Shopify asks what the bridge holds for Avery
        let request = Self.customer("customers/data_request", orders: [], extra: #","data_request":{"id":9999}"#)
        let asked = try await Self.post(request, topic: "customers/data_request", port: bridge.port, client: client)
        // Then it answers 200 and the operator is told the counts, without personal data
        #expect(asked.0 == 200, "\(String(describing: asked.1))")
        let notices = { alerts.requests.map { String(decoding: $0.body, as: UTF8.self) }.filter { $0.contains("Privacy data request") } }
        #expect(await BridgeProcess.wait { !notices().isEmpty })
        let notice = notices().joined()
        #expect(notice.contains("holds 1 event(s)") && notice.contains("9999") && notice.contains(Self.shopDomain), "\(notice)")
        #expect(!notice.contains("avery") && !notice.contains("7201934856249"), "no personal data in the notice")

        // When Shopify asks to redact Avery (by customer and by order)
        let redact = try await Self.post(Self.customer("customers/redact", orders: [5734981276472]), topic: "customers/redact", port: bridge.port, client: client)
        #expect(redact.0 == 200, "\(String(describing: redact.1))")
        // Then a second data request finds nothing
        _ = try await Self.post(request, topic: "customers/data_request", port: bridge.port, client: client)
        #expect(await BridgeProcess.wait { notices().count >= 2 })
        let second = notices().last ?? ""
        #expect(second.contains("holds 0 event(s)"), "\(second)")

        // When the shop is redacted, the guest's order goes too
        let shop = try await Self.post(Array(#"{"shop_id":954889,"shop_domain":"\#(Self.shopDomain)"}"#.utf8), topic: "shop/redact", port: bridge.port, client: client)
        #expect(shop.0 == 200, "\(String(describing: shop.1))")
        #expect(try await bridge.stop(signal: SIGTERM) == 0)
        let store = try SQLiteStore(path: bridge.storePath)
        #expect(try await store.storedEvents(source: nil, limit: 10).isEmpty)
        await store.close()

        // And every request is in the audit chain, which still verifies, with no personal data in clear
        let audit = bridge.directory.appendingPathComponent("audit")
        let files = try FileManager.default.contentsOfDirectory(atPath: audit.path).filter { $0.hasSuffix(".jsonl") }
        let text = try files.map { try String(contentsOf: audit.appendingPathComponent($0), encoding: .utf8) }.joined()
        let notes = text.split(separator: "\n").filter { $0.contains("privacy_request") }
        #expect(notes.count == 4, "data request, redact, data request, shop redact")
        for topic in ["customers/data_request", "customers/redact", "shop/redact"] { #expect(notes.contains { $0.contains(topic) }) }
        #expect(!text.contains("avery.jensen") && !text.contains("7201934856249"))
        let verify = try await BridgeCommand.run(["audit", "verify", audit.path], in: bridge.directory)
        #expect(verify.status == 0, "\(verify.output)")
        #expect(!bridge.logLines.contains { $0.contains("avery") })
        await alerts.stop()
    }
}
