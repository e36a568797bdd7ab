import BridgeCore
import BridgeMocks
@testable import BridgePipeline
import BridgeServer
import BridgeStore
import Foundation
import Hummingbird
import Logging
import NIOCore
import Prometheus
import Synchronization
import Testing

/// A Slack-compatible webhook receiver on loopback that records what it gets.
final class AlertReceiver: Sendable {
    let port: Int
    private let task: Task<Void, Never>
    private let lines: Received

    private init(port: Int, task: Task<Void, Never>, lines: Received) {
        self.port = port
        self.task = task
        self.lines = lines
    }

    static func start() async throws -> AlertReceiver {
        let lines = Received()
        let router = Router()
        router.post("/hook") { request, _ -> HTTPResponse.Status in
            let body = try await request.body.collect(upTo: 1 << 20)
            lines.append(String(buffer: body))
            return .ok
        }
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { continuation.yield($0.localAddress?.port ?? 0) })
        let task = Task { _ = try? await app.run() }
        var iterator = ports.makeAsyncIterator()
        return AlertReceiver(port: await iterator.next() ?? 0, task: task, lines: lines)
    }

    var received: [String] { lines.all }

    func stop() async {
        task.cancel()
        await task.value
    }

    final class Received: Sendable {
        private let lines = Mutex<[String]>([])
        func append(_ line: String) { lines.withLock { $0.append(line) } }
        var all: [String] { lines.withLock { $0 } }
    }
}

@Suite("Alerts and metrics", .serialized)
struct AlertsAndMetricsTests {
    @Test("an auth failure raises one alert, not one per event, and resolves once the destination is resumed")
    func oneAlertPerCondition() async throws {
        let receiver = try await AlertReceiver.start()
        let harness = try await PipelineHarness()
        harness.mock.script(.graphError(code: 190, subcode: 463, status: 400))
        let policy = AlertPolicy(configuration: try AlertPolicy.Configuration(deadLetterThreshold: 100, clearAfter: .zero))
        let notifier = AlertNotifier(url: "http://127.0.0.1:\(receiver.port)/hook", client: harness.runtime.httpClient, logger: Logger(label: "t"))
        let monitor = QueueMonitor(
            store: harness.store, workers: harness.runtime.pipeline.workers, metrics: harness.runtime.components.metrics,
            notifier: notifier,
            alertPolicy: policy, logger: Logger(label: "t"), now: { Timestamp.now() })
        // Given many events refused for a bad token
        try await harness.post((1...5).map { PipelineHarness.purchase("sale:al:\($0)") })
        try await harness.prepareAll()
        _ = try await harness.deliverUntil { try await harness.states()["dead"] == 5 }
        // When the monitor looks three times
        let first = await monitor.check()
        let second = await monitor.check()
        _ = await monitor.check()
        await notifier.deliverPending()
        // Then exactly one alert was posted, naming the condition and no personal data
        #expect(first.count == 1)
        #expect(second.isEmpty)
        #expect(receiver.received.count == 1)
        let alert = try #require(receiver.received.first)
        #expect(alert.contains("Authentication failed"))
        #expect(!alert.contains("buyer@example.com") && !alert.contains(PipelineHarness.token))
        // And resuming the destination resolves it once
        harness.workers.resume()
        let resolved = await monitor.check()
        #expect(resolved.count == 1)
        await notifier.deliverPending()
        #expect(receiver.received.count == 2)
        await harness.close()
        await receiver.stop()
    }

    @Test("metrics show deliveries by outcome, queue depth, latency and consent decisions, without personal data")
    func metricsExposition() async throws {
        let harness = try await PipelineHarness()
        try await harness.post((1...3).map { PipelineHarness.purchase("sale:m:\($0)") })
        try await harness.prepareAll()
        _ = try await harness.deliverUntil { try await harness.states()["delivered"] == 3 }
        await harness.runtime.pipeline.monitor.check()
        let text = harness.registry.emitToString()
        #expect(text.contains(#"capi_bridge_deliveries_total{destination="meta",outcome="delivered"} 3"#))
        #expect(text.contains(#"capi_bridge_consent_decisions_total{destination="meta",action="send",reason="granted_consent_mode"} 3"#))
        #expect(text.contains(#"capi_bridge_outbox_pending_events{destination="meta"} 0"#))
        #expect(text.contains("capi_bridge_end_to_end_seconds_bucket"))
        #expect(text.contains("capi_bridge_delivery_request_seconds_bucket"))
        #expect(text.contains(#"capi_bridge_ingest_requests_total{source="events-api",outcome="accepted"} 1"#))
        #expect(!text.contains("buyer@example.com") && !text.contains("203.0.113.42"))
        await harness.close()
    }
}
