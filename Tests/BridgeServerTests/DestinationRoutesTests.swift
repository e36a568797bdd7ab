import BridgeCore
import BridgeServer
import BridgeStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Prometheus
import Testing

@Suite("Destination admin routes")
struct DestinationRoutesTests {
    static let adminToken = "admin-token-of-the-destination-route-tests"

    func components(_ directory: URL) throws -> BridgeComponents {
        let config = try ConfigLoader.parse(
            """
            server: {admin_token: "\(Self.adminToken)"}
            store: {path: \(directory.appendingPathComponent("outbox.sqlite").path), ephemeral_seal_key: true}
            destinations:
              - {name: meta, kind: meta, pixel_id: "1234567890", access_token: "t", base_url: "http://127.0.0.1:9"}
              - {name: sandbox, kind: sandbox, path: \(directory.appendingPathComponent("sandbox.jsonl").path)}
            """, environment: [:])
        return BridgeComponents(
            config: config, store: try SQLiteStore(path: config.store.path), sealer: .ephemeral(), metricsFactory: PrometheusMetricsFactory(registry: PrometheusCollectorRegistry()),
            registry: nil, now: { TestBridge.now })
    }

    @Test("list shows every configured destination; resume records the request for every instance; unknown names are 404 problems")
    func listAndResume() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("capi-destinations-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let components = try components(directory)
        let app = Application(router: buildRouter(components))
        let bearer: HTTPFields = [.authorization: "Bearer \(Self.adminToken)"]
        try await app.test(.router) { client in
            try await client.execute(uri: "/v1/destinations", method: .get) { response in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(uri: "/v1/destinations", method: .get, headers: bearer) { response in
                #expect(response.status == .ok)
                let json = try JSONParser.parse(Array(response.body.readableBytesView))
                #expect(json["destinations"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["meta", "sandbox"])
                #expect(json["destinations"]?[0]?["state"]?.stringValue == "unknown")
            }
            try await client.execute(uri: "/v1/destinations/meta/resume", method: .post, headers: bearer) { response in
                #expect(response.status == .ok)
                let json = try JSONParser.parse(Array(response.body.readableBytesView))
                #expect(json["destination"]?.stringValue == "meta")
            }
            try await client.execute(uri: "/v1/destinations/tiktok/resume", method: .post, headers: bearer) { response in
                #expect(response.status == .notFound)
                #expect(response.headers[.contentType] == "application/problem+json")
            }
        }
        let requests = try await components.store.resumeRequests()
        #expect(requests == ["meta": TestBridge.now])
        await components.store.close()
    }
}
