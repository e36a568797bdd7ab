import BridgeCore
import BridgeServer
import BridgeSources
import BridgeStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Prometheus

/// A bridge wired for route tests: a temporary SQLite store, a fixed clock,
/// a Prometheus registry of its own and captured JSON logs.
struct TestBridge {
    static let standardSecret = "whsec_iq8V8DDGvRY0GdNy110G+bqXJv3hMq7xvkeY/JcD/+A="
    static let eventsToken = "test-events-token"
    /// 2026-01-01T12:00:30Z: 30 s after the test vectors' signing time.
    static let now = Timestamp(secondsSinceEpoch: 1_767_268_830)

    let components: BridgeComponents
    let registry: PrometheusCollectorRegistry
    let logs: JSONLogHandler.LogSink
    let directory: URL

    static let yaml = """
        server:
          max_body_bytes: 4096
        store:
          path: PLACEHOLDER
          ephemeral_seal_key: true
          ingest_wait_seconds: INGEST_WAIT
        sources:
          - {name: backend, kind: standard-webhooks, secrets: ["\(standardSecret)"]}
          - {name: shop, kind: shopify, secrets: ["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"]}
          - {name: woo, kind: woocommerce, secrets: ["K}q8(Zv#2mR^x@L4!pW]tN7*eB0$yH~cJ6)uF9[gD1-sA3_oT5"]}
        events_api:
          tokens: ["\(eventsToken)"]
        """

    /// - Parameters:
    ///   - store: a replacement store (e.g. one that fails); a temporary SQLite store by default.
    ///   - server: more `server:` keys, one per line (e.g. `admin_tokens: [a, b]`).
    ///   - ingestWaitSeconds: how long ingest waits for the store; patient by
    ///     default, since hundreds of tests share two cores (the deadline's own
    ///     test sets a short one).
    init(store: (any StoreBackend)? = nil, server: [String] = [], ingestWaitSeconds: Double = 60) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("capi-server-\(UUID().uuidString)")
        let yaml = TestBridge.yaml
            .replacingOccurrences(of: "PLACEHOLDER", with: directory.appendingPathComponent("outbox.sqlite").path)
            .replacingOccurrences(of: "INGEST_WAIT", with: String(ingestWaitSeconds))
            .replacingOccurrences(of: "  max_body_bytes: 4096\n", with: (["max_body_bytes: 4096"] + server).map { "  \($0)\n" }.joined())
        let config = try ConfigLoader.parse(yaml, environment: [:])
        let store = try store ?? SQLiteStore(path: config.store.path)
        registry = PrometheusCollectorRegistry()
        logs = JSONLogHandler.LogSink(capture: true)
        components = BridgeComponents(
            config: config, store: store, sealer: IdentifierSealer.ephemeral(),
            metricsFactory: PrometheusMetricsFactory(registry: registry), registry: registry, now: { TestBridge.now })
    }

    var logger: Logger {
        let sink = logs
        return Logger(label: "test") { label in JSONLogHandler(label: label, level: .trace, sink: sink) }
    }

    /// Runs `body` against the router serving `routes`, then closes the store and removes the files.
    func test(routes: RouteSet = .all, _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let app = Application(router: buildRouter(components, routes: routes), logger: logger)
        try await app.test(.router, body)
        await components.store.close()
        try? FileManager.default.removeItem(at: directory)
    }

    /// Headers of a Standard Webhooks delivery signed at `TestBridge.now - 30 s`.
    static func signedHeaders(body: String, id: String = "msg_1", timestamp: Int64 = 1_767_268_800, contentType: String = "application/json") -> HTTPFields {
        let key = SignatureSupport.decodeBase64(String(standardSecret.dropFirst(6)))!
        return [
            .contentType: contentType,
            HTTPField.Name("webhook-id")!: id,
            HTTPField.Name("webhook-timestamp")!: String(timestamp),
            HTTPField.Name("webhook-signature")!: StandardWebhooksSigner.sign(key: key, id: id, timestamp: timestamp, body: Array(body.utf8)),
        ]
    }

    /// A canonical purchase wrapped in the Standard Webhooks envelope.
    static func purchaseBody(eventID: String = "sale:test:1", email: String = "zoe@example.com") -> String {
        #"{"type":"conversion.purchase","timestamp":"2026-01-01T11:59:58.120Z","data":{"event_id":"\#(eventID)","event_name":"Purchase","event_time":"2026-01-01T11:59:50Z","order_id":"1001","value":"19.90","currency":"EUR","customer":{"email":"\#(email)","first_name":"Zoë","phone":"+4915123456789"},"client":{"ip_address":"203.0.113.9"},"test":false}}"#
    }
}

/// A store whose every call fails as an unreachable database would.
struct FailingStore: StoreBackend {
    static let failure = StoreError(.unavailable, "disk I/O error")
    /// Ingest waits (until cancelled) instead of failing, as a PostgreSQL
    /// pool waits for a connection while the server is unreachable.
    var ingestWaits = false
    func matchQualityTally(_ query: ReportQuery) async throws(StoreError) -> ReportTally { throw Self.failure }
    func matchQualityScanTally(_ query: ReportQuery) async throws(StoreError) -> ReportTally { throw Self.failure }
    func compactReportRollups(limit: Int) async throws(StoreError) -> Int { throw Self.failure }
    func reportRollupBacklog() async throws(StoreError) -> Int { throw Self.failure }
    func identityProfile(for keys: [IdentityLinkKey]) async throws(StoreError) -> IdentityProfile? { throw Self.failure }
    func learnIdentities(_ observations: [IdentityObservation]) async throws(StoreError) { throw Self.failure }
    func eraseIdentityGraph(digests: [String]) async throws(StoreError) -> Int { throw Self.failure }
    func requestResume(destination: String, at: Timestamp) async throws(StoreError) { throw Self.failure }
    func resumeRequests() async throws(StoreError) -> [String: Timestamp] { throw Self.failure }
    func publishDestinationStatus(_ statuses: [DestinationStatus], instance: String, forgetBefore: Timestamp) async throws(StoreError) { throw Self.failure }
    func destinationStatuses() async throws(StoreError) -> [DestinationStatus] { throw Self.failure }
    func renewLeases(_ kind: LeaseKind, ids: [Int64], owner: String, until: Timestamp) async throws(StoreError) -> Int { throw Self.failure }
    func releaseLeases(ownedBy match: LeaseOwnerMatch) async throws(StoreError) -> ReleasedLeases { throw Self.failure }
    func erase(keys: [ErasureKeys.Key]) async throws(StoreError) -> ErasureResult { throw Self.failure }
    func erase(source: String, matching match: SourceEventMatch) async throws(StoreError) -> ErasureResult { throw Self.failure }
    func eraseSource(_ source: String) async throws(StoreError) -> SourceHoldings { throw Self.failure }
    func holdings(source: String, matching match: SourceEventMatch) async throws(StoreError) -> SourceHoldings { throw Self.failure }
    func applyRetention(_ policy: RetentionPolicy, now: Timestamp) async throws(StoreError) -> RetentionResult { throw Self.failure }
    func auditHead() async throws(StoreError) -> AuditChainHead? { throw Self.failure }
    func recordAuditHead(_ head: AuditChainHead) async throws(StoreError) { throw Self.failure }
    func claimForPreparation(limit: Int, owner: String, leaseUntil: Timestamp, now: Timestamp) async throws(StoreError) -> [StoredEvent] { throw Self.failure }
    func recordPreparation(_ prepared: [PreparedEvent], owner: String, now: Timestamp) async throws(StoreError) { throw Self.failure }
    func claim(_ request: DeliveryClaimRequest) async throws(StoreError) -> DeliveryClaim { throw Self.failure }
    func dueDeliveries(destination: String, now: Timestamp, limit: Int) async throws(StoreError) -> (count: Int, oldestReadyAt: Timestamp?) { throw Self.failure }
    func complete(_ outcomes: [DeliveryOutcome], owner: String, now: Timestamp) async throws(StoreError) { throw Self.failure }
    func deadLetters(_ filter: DeadLetterFilter, limit: Int) async throws(StoreError) -> [DeadLetter] { throw Self.failure }
    func replayDeadLetters(_ filter: DeadLetterFilter, now: Timestamp) async throws(StoreError) -> Int { throw Self.failure }
    func purgeDeadLetters(_ filter: DeadLetterFilter) async throws(StoreError) -> Int { throw Self.failure }
    func queueStats(now: Timestamp) async throws(StoreError) -> [String: QueueStats] { throw Self.failure }
    func ingest(_ request: IngestRequest) async throws(StoreError) -> IngestResult {
        if ingestWaits { try? await Task.sleep(for: .seconds(3600)) }
        throw StoreError(.unavailable, "disk I/O error")
    }
    func checkReachable() async throws(StoreError) { throw StoreError(.unavailable, "disk I/O error") }
    func close() async {}
    func countEvents() async throws(StoreError) -> [String: Int] { throw StoreError(.unavailable, "disk I/O error") }
    func storedEvents(source: String?, limit: Int) async throws(StoreError) -> [StoredEvent] { throw StoreError(.unavailable, "disk I/O error") }
    func recordHealth(_ report: HealthReport, instance: String, forgetBefore: Timestamp) async throws(StoreError) { throw Self.failure }
    func healthSnapshot(since: Timestamp) async throws(StoreError) -> HealthSnapshot { throw Self.failure }
    func journeyRecords(eventID: String, source: String?) async throws(StoreError) -> [JourneyRecord] { throw Self.failure }
    func journeyRecords(order lookup: OrderLookup) async throws(StoreError) -> [JourneyRecord] { throw Self.failure }
}

extension TestResponse {
    /// The body parsed as JSON.
    var json: JSONValue? { try? JSONParser.parse(Array(body.readableBytesView)) }
    var text: String { String(buffer: body) }
}

extension EventStore {
    /// Untyped-throwing form: `#expect(try await …)` does not yet handle typed throws.
    func countEventsUntyped() async throws -> [String: Int] { try await countEvents() }
}
