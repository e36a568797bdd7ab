import AsyncHTTPClient
import BridgeCore
import BridgeMocks
import BridgeSources
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// Two shops in one `serve` process, each with its own Meta pixel; events
/// that grew a property the bridge does not know yet; custom properties and
/// campaign attribution from the post to the platform, the metrics and the
/// report.
@Suite("Many shops and growing events in the real process", .serialized)
struct ManyShopsTests {
    static let adminToken = "admin-token-for-shops"

    static func config(meta: MockMetaServer) -> (URL, String) -> String {
        { directory, storePath in
            """
            server: {host: 127.0.0.1, port: 0, admin_token: \(adminToken)}
            store: {path: \(storePath), seal_key: "${CAPI_SEAL_KEY}"}
            sources:
              - {name: shop-a, kind: standard-webhooks, secrets: ["\(BridgeProcess.standardSecret)"]}
              - {name: shop-b, kind: standard-webhooks, secrets: ["\(BridgeProcess.standardSecret)"], strict: true}
            destinations:
              - {name: meta-a, kind: meta, pixel_id: "1111111111", access_token: meta-token, base_url: "\(meta.baseURL)", max_wait_ms: 20, sources: [shop-a]}
              - {name: meta-b, kind: meta, pixel_id: "2222222222", access_token: meta-token, base_url: "\(meta.baseURL)", max_wait_ms: 20, sources: [shop-b]}
            audit: {dir: \(directory.path)/audit}
            logging: {level: info}
            """
        }
    }

    /// A purchase with a property the schema does not declare (`loyalty_tier`),
    /// custom properties and a landing URL carrying a campaign.
    static func purchase(_ id: String, unknown: Bool) -> String {
        let extra = unknown ? #","loyalty_tier":"gold""# : ""
        return #"""
            {"type":"conversion.purchase","timestamp":"2026-01-01T11:59:58Z","data":{"event_id":"\#(id)","event_name":"Purchase","event_time":"\#(Timestamp.recent)","value":"19.90","currency":"EUR","customer":{"email":"shopper@example.com","external_id":"cust-\#(id)"},"client":{"ip_address":"203.0.113.7","user_agent":"Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0","landing_url":"https://shop.example/p?utm_source=newsletter&utm_campaign=spring-sale"},"consent":{"ad_user_data":"granted","ad_personalization":"granted"},"custom_properties":{"coupon":"SPRING10","first_order":true},"test":false\#(extra)}}
            """#
    }

    /// Posts `body` to source `source`, signed; returns status, content type and body.
    static func post(_ body: String, to source: String, id: String, port: Int, client: HTTPClient) async throws -> (UInt, String, JSONValue?) {
        let now = Int64(Date().timeIntervalSince1970)
        let key = SignatureSupport.decodeBase64(String(BridgeProcess.standardSecret.dropFirst(6))) ?? []
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/v1/webhooks/\(source)")
        request.method = .POST
        request.headers.add(name: "content-type", value: "application/json")
        request.headers.add(name: "webhook-id", value: id)
        request.headers.add(name: "webhook-timestamp", value: String(now))
        request.headers.add(name: "webhook-signature", value: StandardWebhooksSigner.sign(key: key, id: id, timestamp: now, body: Array(body.utf8)))
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await client.execute(request, timeout: .seconds(10))
        let bytes = try await response.body.collect(upTo: 1 << 20)
        return (response.status.code, response.headers.first(name: "content-type") ?? "", try? JSONParser.parse(Array(buffer: bytes)))
    }

    static func get(_ path: String, port: Int, token: String? = nil, client: HTTPClient) async throws -> (UInt, String) {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        if let token { request.headers.add(name: "authorization", value: "Bearer \(token)") }
        let response = try await client.execute(request, timeout: .seconds(10))
        return (response.status.code, String(buffer: try await response.body.collect(upTo: 1 << 22)))
    }

    @Test("each shop reaches its own pixel with its custom properties; unknown properties are listed, or refused by the strict shop; metrics and the report filter by source")
    func twoShops() async throws {
        let meta = try await MockMetaServer.start()
        let bridge = try await BridgeProcess(config: Self.config(meta: meta))
        defer { bridge.cleanUp() }
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        defer { _ = client.shutdown() }

        // Given shop A posts an event with a property the bridge does not know
        let a = try await Self.post(Self.purchase("sale:a:1", unknown: true), to: "shop-a", id: "msg_a1", port: bridge.port, client: client)
        // Then it is accepted and the property is listed as ignored
        #expect(a.0 == 202)
        #expect(a.2?["ignored"] == .array([.string("/data/loyalty_tier")]), "\(String(describing: a.2))")

        // Given the strict shop B posts the same shape, it is refused, naming the pointer
        let refused = try await Self.post(Self.purchase("sale:b:1", unknown: true), to: "shop-b", id: "msg_b1", port: bridge.port, client: client)
        #expect(refused.0 == 400)
        #expect(refused.1.hasPrefix("application/problem+json"))
        #expect(refused.2?["type"]?.stringValue?.hasSuffix("unknown-properties") == true, "\(String(describing: refused.2))")
        #expect(refused.2?["errors"]?[0]?["pointer"] == .string("/data/loyalty_tier"), "\(String(describing: refused.2))")
        // and the event without it is accepted
        let b = try await Self.post(Self.purchase("sale:b:2", unknown: false), to: "shop-b", id: "msg_b2", port: bridge.port, client: client)
        #expect(b.0 == 202)
        #expect(b.2?["ignored"] == nil)

        // Then each shop's sale reaches its own pixel only, with its custom properties in custom_data
        let delivered = await BridgeProcess.wait { Set(meta.acceptedEventIDs) == ["sale:a:1", "sale:b:2"] }
        #expect(
            delivered,
            "\(meta.received.map { "\($0.answerStatus) \(String(decoding: $0.body, as: UTF8.self))" }) \(bridge.logLines.filter { !$0.contains("\"info\"") })")
        var pixels: [String: String] = [:]
        for request in meta.received where request.wasAccepted {
            for event in request.events {
                pixels[event["event_id"]?.stringValue ?? ""] = request.pixelID
                #expect(event["custom_data"]?["coupon"] == .string("SPRING10"))
                #expect(event["custom_data"]?["first_order"] == .bool(true))
                #expect(event["custom_data"]?["loyalty_tier"] == nil, "an ignored property is never forwarded")
            }
        }
        #expect(pixels == ["sale:a:1": "1111111111", "sale:b:2": "2222222222"])

        // And /metrics filtered by source shows that source's series only
        let metrics = try await Self.get("/metrics?source=shop-a", port: bridge.port, client: client)
        #expect(metrics.0 == 200)
        #expect(metrics.1.contains(#"capi_bridge_ingest_ignored_properties_total{source="shop-a"} 1"#), "\(metrics.1)")
        #expect(metrics.1.contains(#"source="shop-a""#) && !metrics.1.contains(#"source="shop-b""#))
        #expect(try await Self.get("/metrics?source=shop-z", port: bridge.port, client: client).0 == 404)

        // And the match-quality report breaks down by campaign, for one source
        let path = "/v1/reports/match-quality?since=1d&by=campaign&source=shop-a"
        let report = try await Self.get(path, port: bridge.port, token: Self.adminToken, client: client)
        #expect(report.0 == 200, "\(report.1)")
        let json = try JSONParser.parse(report.1)
        let series = json["series"]?.arrayValue ?? []
        #expect(series.map { $0["destination"]?.stringValue } == ["meta-a"], "\(report.1)")
        #expect(series.first?["campaign"] == .string("spring-sale"), "\(report.1)")
        #expect(try await Self.get("/v1/reports/match-quality?by=weekday", port: bridge.port, token: Self.adminToken, client: client).0 == 400)
        #expect(!bridge.logLines.contains { $0.contains("shopper@example.com") || $0.contains("203.0.113.7") })
        #expect(try await bridge.stop(signal: SIGTERM) == 0)
        await meta.stop()
    }

    @Test("check-config refuses a destination routed to a source that does not exist, by key path")
    func checkConfigUnknownSource() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("capi-shops-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let yaml = """
            server: {host: 127.0.0.1, port: 0}
            store: {path: \(directory.path)/outbox.sqlite, ephemeral_seal_key: true}
            sources:
              - {name: shop-a, kind: standard-webhooks, secrets: ["\(BridgeProcess.standardSecret)"]}
            destinations:
              - {name: meta-a, kind: meta, pixel_id: "1111111111", access_token: meta-token, sources: [shop-a, shop-c]}
            """
        try yaml.write(to: directory.appendingPathComponent("bridge.yaml"), atomically: true, encoding: .utf8)
        let run = try await BridgeCommand.run(["check-config", directory.appendingPathComponent("bridge.yaml").path], in: directory)
        #expect(run.status != 0)
        #expect(run.output.contains("destinations[0].sources[1]") && run.output.contains("no source named 'shop-c'"), "\(run.output)")
    }

    @Test("events validate prints one verdict per file, ignored pointers included, and exits 1 when one is invalid")
    func validateCommand() async throws {
        let corpus = BridgeCommand.repositoryRoot.appendingPathComponent("fixtures/schema-corpus")
        let files = ["valid/minimal.json", "strict-invalid/top-level-unknown.json", "invalid/custom-email.json"].map { corpus.appendingPathComponent($0).path }
        let run = try await BridgeCommand.run(["events", "validate"] + files, in: corpus)
        #expect(run.status == 1)
        let lines = run.standardOutput.split(separator: "\n").map(String.init)
        #expect(lines.count == 3, "\(run.output)")
        #expect(lines[0].hasPrefix("valid") && lines[0].hasSuffix("minimal.json"))
        #expect(lines[1].hasPrefix("valid") && lines[1].contains("ignored: /loyalty_tier"), "\(lines[1])")
        #expect(lines[2].hasPrefix("invalid") && lines[2].contains("/custom_properties/"), "\(lines[2])")
        #expect(!run.output.contains("@example"), "no value is printed")
        let strict = try await BridgeCommand.run(["events", "validate", "--strict", "--json", files[1]], in: corpus)
        #expect(strict.status == 1)
        let verdict = try JSONParser.parse(strict.standardOutput)
        #expect(verdict["verdict"] == .string("invalid") && verdict["errors"]?[0]?["pointer"] == .string("/loyalty_tier"), "\(strict.output)")
        let valid = try await BridgeCommand.run(["events", "validate", files[0]], in: corpus)
        #expect(valid.status == 0, "\(valid.output)")
    }
}
