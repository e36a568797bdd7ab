import AsyncHTTPClient
import BridgeCore
import BridgeDestinations
import BridgeMocks
@testable import BridgePipeline
import BridgeServer
import BridgeSources
@testable import BridgeStore
import Foundation
import Logging
import GRDB
import Prometheus

/// A bridge wired against an in-process mock of Meta's endpoint over real
/// loopback HTTP: a temporary SQLite store, the Meta destination, short
/// backoffs. Tests drive the stages step by step (`prepareAll`, `deliverUntil`).
final class PipelineHarness: Sendable {
    static let token = "test-meta-token"
    let directory: URL
    let store: SQLiteStore
    let mock: MockMetaServer
    let runtime: BridgeRuntime
    let logs: JSONLogHandler.LogSink
    let registry: PrometheusCollectorRegistry
    let sealer: IdentifierSealer
    let config: BridgeConfig

    var workers: DestinationWorkers { runtime.pipeline.workers[0] }

    /// Runs every destination's workers once.
    func deliverAllOnce() async throws {
        for worker in runtime.pipeline.workers { _ = try await worker.deliverOnce(force: true) }
    }
    var ingest: IngestService { runtime.components.ingest }
    var auditDirectory: URL { directory.appendingPathComponent("audit") }

    init(
        mockOptions: MockMetaServer.Options = MockMetaServer.Options(), extraDestinationYAML: String = "",
        yaml customYAML: (@Sendable (_ mockURL: String, _ directory: String) -> String)? = nil,
        tune: @escaping @Sendable (inout DeliverySettings) -> Void = { _ in }
    ) async throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("capi-pipeline-\(UUID().uuidString)")
        var options = mockOptions
        options.accessToken = PipelineHarness.token
        mock = try await MockMetaServer.start(options)
        let yaml = customYAML?(mock.baseURL, directory.path) ?? """
            store: {path: \(directory.path)/outbox.sqlite, ephemeral_seal_key: true}
            events_api: {tokens: [events-token]}
            destinations:
              - name: meta
                kind: meta
                pixel_id: "123456789"
                access_token: \(PipelineHarness.token)
                base_url: \(mock.baseURL)
                \(extraDestinationYAML)
            audit: {dir: \(directory.path)/audit, digest_key: test-digest-key}
            """
        let config = try ConfigLoader.parse(yaml, environment: [:])
        self.config = config
        store = try SQLiteStore(path: config.store.path)
        sealer = IdentifierSealer.ephemeral()
        logs = JSONLogHandler.LogSink(capture: true)
        registry = PrometheusCollectorRegistry()
        let sink = logs
        let logger = Logger(label: "test") { label in JSONLogHandler(label: label, level: .trace, sink: sink) }
        runtime = try BridgeRuntime.make(
            config: config, store: store, sealer: sealer, metricsFactory: PrometheusMetricsFactory(registry: registry), registry: registry,
            logger: logger, owner: "worker-a",
            tune: { settings in
                settings.retry.base = .milliseconds(20)
                settings.retry.cap = .milliseconds(200)
                settings.maxWait = .zero
                settings.idlePoll = .milliseconds(5)
                settings.lease = .lasting(.seconds(30))
                tune(&settings)
            })
    }

    /// Posts canonical events through the events API (as a backend would).
    @discardableResult
    func post(_ events: [JSONValue]) async throws -> IngestResponse {
        let body = JSONWriter.bytes(.object(["events": .array(events)]))
        return try await ingest.receiveEvents(
            authorization: "Bearer events-token", idempotencyKey: nil, contentType: "application/json", body: body)
    }

    /// Prepares everything waiting.
    func prepareAll() async throws {
        while try await runtime.pipeline.prepare.prepareOnce() > 0 {}
    }

    /// Delivers until `condition` holds or `timeout` passes; returns whether it held.
    @discardableResult
    func deliverUntil(timeout: Duration = .seconds(10), _ condition: @Sendable () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            if let pause = try await workers.deliverOnce(force: true) { try await Task.sleep(for: min(pause, .milliseconds(50))) }
        }
        return try await condition()
    }

    /// Deliveries of `destination` by state, straight from the database.
    func states() async throws -> [String: Int] {
        try await store.pool.read { db in
            var counts: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS n FROM deliveries GROUP BY state") {
                counts[row["state"]] = row["n"]
            }
            return counts
        }
    }

    /// The lines of every audit file, oldest first.
    func auditFiles() throws -> [(name: String, lines: [String])] {
        let names = AuditFileName.ordered(try FileManager.default.contentsOfDirectory(atPath: auditDirectory.path))
        return try names.map { name in
            let text = try String(contentsOf: auditDirectory.appendingPathComponent(name), encoding: .utf8)
            return (name, text.split(separator: "\n").map(String.init))
        }
    }

    func close() async {
        await mock.stop()
        await store.close()
        await runtime.shutdown()
        try? FileManager.default.removeItem(at: directory)
    }

    /// A canonical purchase `minutesAgo` minutes old.
    static func purchase(_ id: String, email: String = "buyer@example.com", minutesAgo: Int64 = 5) -> JSONValue {
        let time = Timestamp(millisecondsSinceEpoch: Int64(Date().timeIntervalSince1970 * 1000) - minutesAgo * 60_000)
        return .object([
            "event_id": .string(id), "event_name": .string("Purchase"), "event_time": .string(time.rfc3339),
            "value": .string("49.90"), "currency": .string("USD"), "order_id": .string(id),
            "customer": .object([
                "email": .string(email), "phone": .string("+1 650 555 1234"), "first_name": .string("Avery"), "country": .string("US"),
            ]),
            "client": .object([
                "ip_address": .string("203.0.113.42"), "user_agent": .string("Mozilla/5.0 (test)"),
                "landing_url": .string("https://shop.example.com/p?fbclid=AbC123"),
            ]),
            "consent": .object(["ad_user_data": .string("granted"), "ad_personalization": .string("granted")]),
        ])
    }
}
