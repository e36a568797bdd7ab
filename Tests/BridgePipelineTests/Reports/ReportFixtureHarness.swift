import AsyncHTTPClient
import BridgeCore
import BridgeMocks
@testable import BridgePipeline
import BridgeServer
@testable import BridgeStore
import Foundation
import Logging
import Prometheus

/// A bridge with two destinations (the mock Meta endpoint and a sandbox
/// file), the three enrichment providers (click ids, identity graph, the mock
/// enrichment API) and a clock the test sets, so receipt and delivery times —
/// hence periods and latencies — are exact.
final class ReportFixtureHarness: Sendable {
    static let adminToken = "report-admin-token"
    let directory: URL
    let store: SQLiteStore
    let meta: MockMetaServer
    let enrichment: MockEnrichmentServer
    let runtime: BridgeRuntime
    let time: ManualTime
    let config: BridgeConfig
    /// The first hour of the fixture (UTC-aligned, three hours ago).
    let firstHour: Timestamp

    init() async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("capi-report-\(UUID().uuidString)")
        let realNow = Int64(Date().timeIntervalSince1970 * 1000)
        firstHour = Timestamp(millisecondsSinceEpoch: ReportPeriod.hour.start(of: realNow) - 3 * 3_600_000)
        time = ManualTime(firstHour)
        var options = MockMetaServer.Options()
        options.accessToken = "fixture-meta-token"
        meta = try await MockMetaServer.start(options)
        enrichment = try await MockEnrichmentServer.start()
        let yaml = """
            server: {admin_token: \(Self.adminToken)}
            store: {path: \(directory.path)/outbox.sqlite, ephemeral_seal_key: true}
            events_api: {tokens: [events-token]}
            consent:
              default: {default_region: US}
            destinations:
              - {name: meta, kind: meta, pixel_id: "123456789", access_token: fixture-meta-token, base_url: "\(meta.baseURL)"}
              - {name: sandbox, kind: sandbox, path: \(directory.path)/sandbox.jsonl}
            enrichment:
              budget_ms: 30000
              providers:
                - {name: clicks, kind: click_ids}
                - {name: graph, kind: identity_graph}
                - name: crm
                  kind: http
                  url: "\(enrichment.baseURL)/lookup"
                  auth: {kind: api_key, header: X-Api-Key, value: \(MockEnrichmentServer.apiKey)}
                  lookup_keys: [email_sha256]
                  timeout_ms: 10000
                  map: {phone: /phone, first_name: /first_name}
            audit: {dir: \(directory.path)/audit, digest_key: test-digest-key}
            """
        config = try ConfigLoader.parse(yaml, environment: [:])
        store = try SQLiteStore(path: config.store.path)
        var logger = Logger(label: "report-fixture")
        logger.logLevel = .critical
        let registry = PrometheusCollectorRegistry()
        runtime = try BridgeRuntime.make(
            config: config, store: store, sealer: IdentifierSealer.ephemeral(), metricsFactory: PrometheusMetricsFactory(registry: registry),
            registry: registry, logger: logger, owner: "worker-a",
            tune: { settings in
                settings.retry.base = .milliseconds(20)
                settings.retry.cap = .milliseconds(200)
                settings.maxWait = .zero
                settings.idlePoll = .milliseconds(5)
                settings.lease = .lasting(.seconds(30))
            },
            now: time.closure)
    }

    /// Posts canonical events through the events API at the current fixture time.
    func post(_ events: [JSONValue]) async throws {
        let body = JSONWriter.bytes(.object(["events": .array(events)]))
        _ = try await runtime.components.ingest.receiveEvents(
            authorization: "Bearer events-token", idempotencyKey: nil, contentType: "application/json", body: body)
    }

    /// Prepares everything waiting, one event per batch (so the identity graph
    /// has learned each event before the next is looked up).
    func prepareAll() async throws {
        while try await runtime.pipeline.prepare.prepareOnce() > 0 {}
    }

    /// Runs every destination's workers until none has anything due at the current fixture time.
    func deliverDue(only destination: String? = nil) async throws {
        for _ in 0..<50 {
            var progressed = false
            for worker in runtime.pipeline.workers where destination == nil || worker.name == destination {
                if try await worker.deliverOnce(force: true) == nil { progressed = true }
            }
            if !progressed { return }
        }
    }

    /// The fixture time `minutes`, `seconds` and `milliseconds` after the first hour began.
    func at(minutes: Int64, seconds: Int64 = 0, milliseconds: Int64 = 0) -> Timestamp {
        Timestamp(millisecondsSinceEpoch: firstHour.millisecondsSinceEpoch + minutes * 60_000 + seconds * 1000 + milliseconds)
    }

    func close() async {
        await meta.stop()
        await enrichment.stop()
        await store.close()
        await runtime.shutdown()
        try? FileManager.default.removeItem(at: directory)
    }

    /// A canonical purchase made ten minutes before the fixture's first hour
    /// (in the past for the fixture clock, inside Meta's window in real time).
    func purchase(
        _ id: String, customer: [String: String] = [:], client: [String: String] = [:], consent: [String: JSONValue]? = nil, test: Bool = false
    ) -> JSONValue {
        let time = firstHour.advanced(by: .seconds(-600))
        var object: [String: JSONValue] = [
            "event_id": .string(id), "event_name": .string("Purchase"), "event_time": .string(time.rfc3339), "value": .string("10.00"),
            "currency": .string("USD"), "order_id": .string(id), "customer": .object(customer.mapValues(JSONValue.string)),
            "client": .object(client.mapValues(JSONValue.string)),
            "consent": .object(consent ?? ["ad_user_data": .string("granted"), "ad_personalization": .string("granted")]),
        ]
        if test { object["test"] = .bool(true) }
        return .object(object)
    }
}
