import AsyncHTTPClient
import BridgeCore
import BridgeMocks
import BridgeServer
import Prometheus
@testable import BridgePipeline
@testable import BridgeStore
import Foundation
import Logging
import Testing

/// Data Manager's asynchronous status through the pipeline: events are
/// delivered to the mock, `ConfirmationService` looks the request up at
/// the mock's `requestStatus:retrieve`, and the store records the result.
@Suite("Confirmed delivery through the pipeline", .serialized)
struct ConfirmationPipelineTests {
    static let reason = "PROCESSING_ERROR_REASON_INVALID_GCLID"

    /// A harness whose first lookup is due 10 ms after sending and whose
    /// age bound is `giveUp`.
    static func harness(_ status: MockDataManagerRequestStatus, giveUp: Duration = .seconds(3600)) async throws -> GooglePipelineHarness {
        try await GooglePipelineHarness.start(
            MockGoogleDataManagerAPI(), kind: "google", destination: GooglePipelineHarness.dataManagerEntry(), sideEndpoints: [status],
            tune: { $0.confirmation = ConfirmationSchedule(firstPollAfter: .milliseconds(10), maxInterval: .milliseconds(20), giveUpAfter: giveUp) })
    }

    static func service(_ harness: GooglePipelineHarness) -> ConfirmationService {
        let runtime = harness.pipeline.runtime
        return ConfirmationService(
            store: harness.pipeline.store, workers: runtime.pipeline.workers, transport: DefaultTransport(client: runtime.httpClient),
            audit: runtime.audit, metrics: runtime.components.metrics, logger: Logger(label: "test"), owner: "confirm-a",
            now: { Timestamp.now() })
    }

    static func statusLookups(_ mock: MockPlatformServer) -> Int {
        mock.exchanges.filter { $0.request.path == MockDataManagerRequestStatus.path }.count
    }

    @Test("partial failure: the documented count is rejected later, the rest confirmed, the request listed with its reasons")
    func partialFailure() async throws {
        let status = MockDataManagerRequestStatus(.partialSuccess(records: 5, failed: [Self.reason: 2]))
        let harness = try await Self.harness(status)
        try await harness.postAndPrepare((1...5).map { "sale:c:\($0)" })
        #expect(try await harness.pipeline.deliverUntil { try await harness.pipeline.states()["delivered"] == 5 })
        let window = (Timestamp.now().advanced(by: .seconds(-3600)), Timestamp.now().advanced(by: .seconds(60)))
        #expect(try await harness.pipeline.store.confirmationCounts(since: window.0, until: window.1, destination: nil)["google"]?.awaiting == 5)
        try await Task.sleep(for: .milliseconds(30))
        #expect(await Self.service(harness).pollOnce() == 1)

        let counts = try #require(try await harness.pipeline.store.confirmationCounts(since: window.0, until: window.1, destination: nil)["google"])
        #expect(counts == ConfirmationCounts(sent: 5, confirmed: 3, rejectedLater: 2, inPartlyRejectedRequests: 5))
        let requests = try await harness.pipeline.store.rejectedRequests(destination: "google", limit: 10)
        #expect(requests.count == 1)
        #expect(requests.first?.rejectedCount == 2)
        #expect(requests.first?.reasons == "\(Self.reason) 2")
        #expect(requests.first?.deliveryIDs.count == 5)
        // No delivery was made a dead letter: the platform does not say which rows failed.
        #expect(try await harness.pipeline.states() == ["delivered": 5])
        let metrics = harness.pipeline.registry.emitToString()
        #expect(metrics.contains(#"capi_bridge_deliveries_rejected_later_total{destination="google",reason="\#(Self.reason)"} 2"#))
        let audit = try harness.pipeline.auditFiles().flatMap(\.lines).joined(separator: "\n")
        #expect(audit.contains("\"confirmation\""))
        #expect(!audit.contains("mock-access-token"), "no credential in the audit log")

        // Replaying the request sends its five events again.
        #expect(try await harness.pipeline.store.replayRejectedRequests(ids: [requests[0].id], destination: nil, now: Timestamp.now()) == 5)
        #expect(try await harness.pipeline.store.rejectedRequests(destination: "google", limit: 10).isEmpty)
        #expect(try await harness.pipeline.deliverUntil { try await harness.pipeline.states()["delivered"] == 5 })
        #expect(harness.mock.acceptedEventIDs.count == 10)
        await harness.close()
    }

    @Test("a failed request turns every row into a dead letter carrying the platform's reason")
    func failedRequest() async throws {
        let status = MockDataManagerRequestStatus(.failed(records: 3, failed: ["PROCESSING_ERROR_REASON_EVENT_TOO_OLD": 3]))
        let harness = try await Self.harness(status)
        try await harness.postAndPrepare((1...3).map { "sale:f:\($0)" })
        #expect(try await harness.pipeline.deliverUntil { try await harness.pipeline.states()["delivered"] == 3 })
        try await Task.sleep(for: .milliseconds(30))
        #expect(await Self.service(harness).pollOnce() == 1)
        #expect(try await harness.pipeline.states() == ["dead": 3])
        let letters = try await harness.pipeline.store.deadLetters(DeadLetterFilter(destination: "google"), limit: 10)
        #expect(letters.count == 3)
        #expect(letters.allSatisfy { $0.code == "rejected_later" && $0.message.contains("PROCESSING_ERROR_REASON_EVENT_TOO_OLD 3") })
        let window = (Timestamp.now().advanced(by: .seconds(-3600)), Timestamp.now().advanced(by: .seconds(60)))
        let counts = try await harness.pipeline.store.confirmationCounts(since: window.0, until: window.1, destination: "google")["google"]
        #expect(counts == ConfirmationCounts(sent: 3, rejectedLater: 3))
        await harness.close()
    }

    @Test("polling stops at a final state: one SUCCESS confirms, later rounds look nothing up")
    func stopsWhenFinal() async throws {
        let status = MockDataManagerRequestStatus(.success(records: 2))
        status.script.enqueue(.processing, .throttled)
        let harness = try await Self.harness(status)
        try await harness.postAndPrepare(["sale:s:1", "sale:s:2"])
        #expect(try await harness.pipeline.deliverUntil { try await harness.pipeline.states()["delivered"] == 2 })
        let service = Self.service(harness)
        var rounds = 0
        while Self.statusLookups(harness.mock) < 3, rounds < 100 {
            try await Task.sleep(for: .milliseconds(25))
            await service.pollOnce()
            rounds += 1
        }
        #expect(Self.statusLookups(harness.mock) == 3, "processing, throttled, then success")
        try await Task.sleep(for: .milliseconds(50))
        #expect(await service.pollOnce() == 0)
        #expect(Self.statusLookups(harness.mock) == 3)
        let window = (Timestamp.now().advanced(by: .seconds(-3600)), Timestamp.now().advanced(by: .seconds(60)))
        #expect(try await harness.pipeline.store.confirmationCounts(since: window.0, until: window.1, destination: nil)["google"]?.confirmed == 2)
        #expect(harness.pipeline.registry.emitToString().contains(#"capi_bridge_deliveries_confirmed_total{destination="google"} 2"#))
        await harness.close()
    }

    @Test("polling stops at the age bound: a request still processing is left unconfirmed")
    func stopsAtAgeBound() async throws {
        let status = MockDataManagerRequestStatus(.processing)
        let harness = try await Self.harness(status, giveUp: .milliseconds(200))
        try await harness.postAndPrepare(["sale:p:1"])
        #expect(try await harness.pipeline.deliverUntil { try await harness.pipeline.states()["delivered"] == 1 })
        let service = Self.service(harness)
        let deadline = ContinuousClock.now + .seconds(5)
        let window = (Timestamp.now().advanced(by: .seconds(-3600)), Timestamp.now().advanced(by: .seconds(60)))
        while ContinuousClock.now < deadline {
            await service.pollOnce()
            if try await harness.pipeline.store.confirmationCounts(since: window.0, until: window.1, destination: nil)["google"]?.unconfirmed == 1 { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(try await harness.pipeline.store.confirmationCounts(since: window.0, until: window.1, destination: nil)["google"]?.unconfirmed == 1)
        let lookups = Self.statusLookups(harness.mock)
        #expect(lookups >= 1, "looked up (PROCESSING) until the bound")
        try await Task.sleep(for: .milliseconds(60))
        #expect(await service.pollOnce() == 0)
        #expect(Self.statusLookups(harness.mock) == lookups, "no lookup after the age bound")
        await harness.close()
    }
}
