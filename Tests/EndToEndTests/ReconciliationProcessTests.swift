import AsyncHTTPClient
import BridgeCore
import BridgeMocks
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// Reconciliation in the real process: `capi-bridge reconcile` against a
/// running mock of Shopify's GraphQL Admin API and a backend's CSV export,
/// and `POST /v1/reconciliations` on `capi-bridge serve`.
@Suite("Reconciliation in the real process", .serialized)
struct ReconciliationProcessTests {
    static let adminToken = String(repeating: "r", count: 32)
    static let shopToken = "shpat_e2e_token"

    /// Five paid orders over the last hour.
    static func orders() -> [MockOrder] {
        let now = Int64(Date().timeIntervalSince1970)
        return (1...5).map { n in
            MockOrder(
                id: Int64(910_000 + n), paidAt: Timestamp(secondsSinceEpoch: now - 3600 + Int64(n) * 300), amount: "\(n)0.00",
                email: "e2e\(n)@example.com", country: "US")
        }
    }

    static func config(shopURL: String, directory: URL, storePath: String) -> String {
        """
        server: {host: 127.0.0.1, port: 0, admin_tokens: [\(adminToken)]}
        store: {path: \(storePath), seal_key: "${CAPI_SEAL_KEY}"}
        sources:
          - {name: shop, kind: shopify, secrets: ["shpss_e2e"]}
          - {name: backend, kind: standard-webhooks, secrets: ["\(BridgeProcess.standardSecret)"]}
        destinations:
          - {name: sandbox, kind: sandbox, path: \(directory.path)/sandbox.jsonl}
        audit: {dir: \(directory.path)/audit, digest_key: e2e-digest-key}
        reconciliation:
          sources:
            - {source: shop, api_url: "\(shopURL)", access_token: "${SHOPIFY_ADMIN_TOKEN}"}
        logging: {level: info}
        """
    }

    /// Runs `body` with an HTTP client that is shut down whatever happens.
    static func withClient(_ body: (HTTPClient) async throws -> Void) async throws {
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        do { try await body(client) } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }

    @Test("reconcile names the orders whose webhooks never came, --backfill stores them, and the next run finds nothing missing")
    func cliAgainstShopify() async throws {
        let server = try await MockSourceServer.start(MockShopifyAdminAPI(accessToken: Self.shopToken, orders: Self.orders()))
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("capi-e2e-rec-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let configPath = directory.appendingPathComponent("bridge.yaml").path
        try Self.config(shopURL: server.baseURL, directory: directory, storePath: directory.appendingPathComponent("outbox.sqlite").path)
            .write(toFile: configPath, atomically: true, encoding: .utf8)
        let environment = ["CAPI_SEAL_KEY": IdentifierSealer.generateKey(), "SHOPIFY_ADMIN_TOKEN": Self.shopToken]
        func reconcile(_ extra: [String]) async throws -> BridgeCommand {
            try await BridgeCommand.runBeside(
                ["reconcile", "--config", configPath, "--source", "shop", "--since", "2h"] + extra, environment: environment, in: directory)
        }
        // When a shop whose webhooks never reached the bridge is reconciled
        let first = try await reconcile(["--format", "json"])
        #expect(first.status == 0, "\(first.output)")
        let report = try JSONParser.parse(first.standardOutput)
        // Then all five are missing, with their value (10 + 20 + 30 + 40 + 50)
        #expect(report[path: "totals", "orders", "count"]?.numberText == "5")
        #expect(first.standardError.contains("5 missing (EUR 150.00)"), "\(first.standardError)")
        #expect(!first.output.contains("e2e1@example.com"), "no personal data in the report")
        // When it is reconciled with --backfill, the report written as CSV to a file
        let csvPath = directory.appendingPathComponent("report.csv").path
        let second = try await reconcile(["--backfill", "--format", "csv", "--out", csvPath])
        #expect(second.status == 0, "\(second.output)")
        #expect(second.standardError.contains("backfilled 5"), "\(second.standardError)")
        let csv = try String(contentsOfFile: csvPath, encoding: .utf8)
        #expect(csv.contains("910001") && csv.contains("910005"))
        // Then the next run finds nothing missing, and the run is listed in the store
        let third = try await reconcile(["--format", "table"])
        #expect(third.status == 0, "\(third.output)")
        #expect(third.standardError.contains("5 orders, 0 missing"), "\(third.standardError)")
        // And a wrong token fails the run with a clear message and status 1, without echoing the token
        let refused = try await BridgeCommand.runBeside(
            ["reconcile", "--config", configPath, "--source", "shop"], environment: environment.merging(["SHOPIFY_ADMIN_TOKEN": "shpat_wrong"]) { $1 },
            in: directory)
        #expect(refused.status == 1)
        #expect(refused.standardError.contains("unauthorized"), "\(refused.standardError)")
        #expect(!refused.output.contains("shpat_wrong"))
        await server.stop()
    }

    @Test("a custom backend is reconciled from a CSV export, joined on order_id, while serve runs")
    func cliCSV() async throws {
        let server = try await MockSourceServer.start(MockShopifyAdminAPI(accessToken: Self.shopToken, orders: []))
        let bridge = try await BridgeProcess(environment: ["SHOPIFY_ADMIN_TOKEN": Self.shopToken]) { directory, storePath in
            Self.config(shopURL: server.baseURL, directory: directory, storePath: storePath)
        }
        defer { bridge.cleanUp() }
        try await Self.withClient { client in
            // Given the backend posted order A-1 but not A-2
            let time = Timestamp.recent
            let body =
                #"{"type":"conversion.purchase","timestamp":"\#(time)","data":{"event_id":"evt-a1","event_name":"Purchase","event_time":"\#(time)","order_id":"A-1","value":"19.90","currency":"EUR","customer":{"email":"csv@example.com"}}}"#
            #expect(try await bridge.postSigned(body, id: "msg-a1", client: client) == 202)
            let csvPath = bridge.directory.appendingPathComponent("orders.csv").path
            try "order_id,paid_at,value,currency\r\n\"A-1\",\(time),19.90,EUR\r\nA-2,\(time),\"5.00\",EUR\r\n".write(
                toFile: csvPath, atomically: true, encoding: .utf8)
            // When the export is reconciled
            let result = try await BridgeCommand.runBeside(
                ["reconcile", "--config", bridge.directory.appendingPathComponent("bridge.yaml").path, "--source", "backend", "--orders", csvPath,
                 "--since", "1h", "--format", "json"],
                environment: ["CAPI_SEAL_KEY": bridge.sealKey, "SHOPIFY_ADMIN_TOKEN": Self.shopToken], in: bridge.directory)
            // Then A-2 is missing, A-1 is not
            #expect(result.status == 0, "\(result.output)")
            let report = try JSONParser.parse(result.standardOutput)
            let lines = report["lines"]?.arrayValue ?? []
            let orderIDs: [String] = lines.compactMap { $0["order_id"]?.stringValue }
            #expect(orderIDs.contains("A-2"))
            #expect(lines.first { $0["order_id"]?.stringValue == "A-2" }?["category"]?.stringValue == "missing")
            #expect(!lines.contains { $0["order_id"]?.stringValue == "A-1" && $0["category"]?.stringValue == "missing" })
            // And backfill is refused for a custom backend, with why
            let refused = try await BridgeCommand.runBeside(
                ["reconcile", "--config", bridge.directory.appendingPathComponent("bridge.yaml").path, "--source", "backend", "--orders", csvPath,
                 "--backfill"],
                environment: ["CAPI_SEAL_KEY": bridge.sealKey, "SHOPIFY_ADMIN_TOKEN": Self.shopToken], in: bridge.directory)
            #expect(refused.status != 0)
            #expect(refused.standardError.contains("cannot be backfilled"), "\(refused.standardError)")
        }
        await server.stop()
    }

    @Test("POST /v1/reconciliations answers 202 with a Location whose run completes with the report; bad requests are problems")
    func adminRoute() async throws {
        let server = try await MockSourceServer.start(MockShopifyAdminAPI(accessToken: Self.shopToken, orders: Self.orders()))
        let bridge = try await BridgeProcess(environment: ["SHOPIFY_ADMIN_TOKEN": Self.shopToken]) { directory, storePath in
            Self.config(shopURL: server.baseURL, directory: directory, storePath: storePath)
        }
        defer { bridge.cleanUp() }
        try await Self.withClient { client in
            func send(_ method: HTTPMethod, _ path: String, body: String? = nil, token: String? = Self.adminToken) async throws
                -> (status: UInt, headers: [String: String], body: String)
            {
                var request = HTTPClientRequest(url: "http://127.0.0.1:\(bridge.port)\(path)")
                request.method = method
                if let token { request.headers.add(name: "authorization", value: "Bearer \(token)") }
                if let body {
                    request.headers.add(name: "content-type", value: "application/json")
                    request.body = .bytes(ByteBuffer(string: body))
                }
                let response = try await client.execute(request, timeout: .seconds(10))
                let bytes = try await response.body.collect(upTo: 1 << 22)
                var headers: [String: String] = [:]
                for header in response.headers { headers[header.name.lowercased()] = header.value }
                return (response.status.code, headers, String(buffer: bytes))
            }
            // When a reconciliation is asked for
            let started = try await send(.POST, "/v1/reconciliations", body: #"{"source": "shop", "since": "2h"}"#)
            #expect(started.status == 202, "\(started.body)")
            let location = try #require(started.headers["location"])
            #expect(location.hasPrefix("/v1/reconciliations/rec_"))
            // Then it completes within a few seconds, with all five orders missing
            var run = JSONValue.null
            _ = try await BridgeProcess.wait(seconds: 20) {
                run = try JSONParser.parse(try await send(.GET, location).body)
                return run["state"]?.stringValue == "completed" || run["state"]?.stringValue == "failed"
            }
            #expect(run["state"]?.stringValue == "completed", "\(run)")
            #expect(run[path: "summary", "missing"]?.numberText == "5")
            #expect(run[path: "report", "source"]?.stringValue == "shop")
            // And it is listed, and renders as CSV
            let list = try await send(.GET, "/v1/reconciliations")
            #expect(list.status == 200 && list.body.contains(String(location.dropFirst("/v1/reconciliations/".count))))
            let csv = try await send(.GET, location + "?format=csv")
            #expect(csv.status == 200 && csv.headers["content-type"]?.contains("text/csv") == true)
            // And bad requests are problems
            let unauthorized = try await send(.POST, "/v1/reconciliations", body: #"{"source": "shop"}"#, token: nil)
            #expect(unauthorized.status == 401)
            let unknown = try await send(.POST, "/v1/reconciliations", body: #"{"source": "nope"}"#)
            #expect(unknown.status == 404 && unknown.headers["content-type"]?.hasPrefix("application/problem+json") == true)
            #expect(unknown.body.contains("unknown-source"))
            let badWindow = try await send(.POST, "/v1/reconciliations", body: #"{"source": "shop", "since": "soon"}"#)
            #expect(badWindow.status == 400 && badWindow.body.contains("/since"))
            let noBackfill = try await send(.POST, "/v1/reconciliations", body: #"{"source": "backend", "backfill": true}"#)
            #expect(noBackfill.status == 400, "\(noBackfill.body)")
            #expect(try await send(.GET, "/v1/reconciliations/rec_unknown").status == 404)
        }
        await server.stop()
    }
}
