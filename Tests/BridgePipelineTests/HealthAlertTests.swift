import AsyncHTTPClient
import BridgeCore
import BridgeMocks
@testable import BridgePipeline
import BridgeServer
import BridgeSources
import BridgeStore
import Foundation
import Logging
import Prometheus
import Synchronization
import Testing

/// Delivery SLOs and alert sinks, with the real monitor, store and mock
/// sinks over loopback HTTP.
@Suite("Health alerts and sinks", .serialized)
struct HealthAlertTests {
    static let sinkSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"

    @Test("a destination refusing every event breaches its SLO: one alert on Slack, Teams and a signed webhook, each verifiable")
    func sloBreachOnEverySink() async throws {
        let sink = try await MockAlertSink.start()
        let harness = try await PipelineHarness()
        let key = try #require(SignatureSupport.decodeBase64(String(Self.sinkSecret.dropFirst(6))))
        let notifier = AlertNotifier(
            sinks: [
                AlertSink(name: "ops-slack", kind: .slack, url: sink.slackURL),
                AlertSink(name: "ops-teams", kind: .teams, url: sink.teamsURL),
                AlertSink(name: "pager", kind: .webhook, url: sink.webhookURL, signingKey: key),
            ], client: harness.runtime.httpClient, logger: Logger(label: "t"), metrics: harness.runtime.components.metrics,
            retry: AlertSinkRetryPolicy(delays: [.milliseconds(10)]), instance: "test-eu")
        let health = HealthWatch(
            store: harness.store, metrics: harness.runtime.components.metrics,
            configuration: HealthWatch.Configuration(
                sources: [], destinations: ["meta"],
                deliveryPolicy: try DeliverySLOPolicy(minOutcomes: 4, spikeMinAttempts: 4), prepareBacklog: try PrepareBacklogWatch()),
            instance: "worker-a", logger: Logger(label: "t"), startedAt: Timestamp.now())
        let monitor = QueueMonitor(
            store: harness.store, workers: harness.runtime.pipeline.workers, metrics: harness.runtime.components.metrics, notifier: notifier,
            alertPolicy: AlertPolicy(configuration: try AlertPolicy.Configuration(deadLetterThreshold: 100, clearAfter: .zero)),
            logger: Logger(label: "t"), health: health, now: { Timestamp.now() })
        // Given a platform refusing the credentials (every event of the batch is dead-lettered)
        harness.mock.script(.graphError(code: 190, subcode: 463, status: 400))
        try await harness.post((1...5).map { PipelineHarness.purchase("sale:slo:\($0)") })
        try await harness.prepareAll()
        _ = try await harness.deliverUntil { try await harness.states()["dead"] == 5 }
        // When the monitor looks
        let actions = await monitor.check()
        await notifier.deliverPending()
        // Then the SLO breach and the error spike are raised for meta
        let raised = actions.compactMap { action -> AlertCondition? in
            if case .raise(let alert) = action, alert.subject == .destination("meta") { return alert.condition }
            return nil
        }
        #expect(raised.contains(.deliverySLOBreached))
        #expect(raised.contains(.errorRateSpike))
        // And every sink got it in its own format
        let slack = sink.received(at: "/slack/")
        let teams = sink.received(at: "/teams/")
        let webhook = sink.received(at: "/webhook/")
        #expect(slack.contains { $0.text.contains("Delivery SLO breached") && $0.text.contains("0 % of 5 events") })
        let card = try #require(teams.first { $0.text.contains("delivery_slo_breached") }?.json)
        #expect(card["type"]?.stringValue == "message")
        #expect(card["attachments"]?.arrayValue?.first?["contentType"]?.stringValue == "application/vnd.microsoft.card.adaptive")
        #expect(card["attachments"]?.arrayValue?.first?["content"]?["type"]?.stringValue == "AdaptiveCard")
        // And the webhook's signature verifies with the Standard Webhooks verifier
        let signed = try #require(webhook.first { $0.json?["data"]?["condition"]?.stringValue == "delivery_slo_breached" })
        let verifier = try #require(StandardWebhooksSignature(secrets: [Self.sinkSecret]))
        let verified = try verifier.verify(
            headers: HeaderFields(signed.headers.map { ($0.key, $0.value) }), body: signed.body, now: Timestamp.now())
        #expect(verified.messageID.hasPrefix("alert_"))
        #expect(signed.json?["type"]?.stringValue == "alert.raised")
        #expect(signed.json?["data"]?["subject"]?["name"]?.stringValue == "meta")
        #expect(signed.json?["data"]?["instance"]?.stringValue == "test-eu")
        #expect(signed.json?["data"]?["detail"]?.stringValue?.hasPrefix("0 % of 5 events were delivered in the last 1 h (SLO 99.5 %)") == true)
        // And a tampered body does not verify
        var tampered = signed.body
        tampered[tampered.count - 2] ^= 1
        #expect(throws: SignatureError.self) {
            try verifier.verify(headers: HeaderFields(signed.headers.map { ($0.key, $0.value) }), body: tampered, now: Timestamp.now())
        }
        // And nothing the sinks received holds personal data
        for received in sink.received {
            #expect(!received.text.contains("buyer@example.com") && !received.text.contains("203.0.113.42") && !received.text.contains("Avery"))
        }
        // And the gauges say which alert is raised, with HELP text
        let text = harness.registry.emitToString()
        #expect(text.contains("# HELP capi_bridge_alert_active"))
        #expect(text.contains(#"capi_bridge_alert_active{condition="delivery_slo_breached",subject_kind="destination",subject="meta"} 1"#))
        #expect(text.contains(#"capi_bridge_destination_success_ratio{destination="meta"} 0"#))
        #expect(text.contains(#"capi_bridge_alert_notifications_total{sink="pager",outcome="sent"}"#))
        await harness.close()
        await sink.stop()
    }

    @Test("consent suppressions do not count against the SLO; delivered events keep it met")
    func suppressionsDoNotCount() async throws {
        let harness = try await PipelineHarness()
        let health = HealthWatch(
            store: harness.store, metrics: harness.runtime.components.metrics,
            configuration: HealthWatch.Configuration(
                sources: [], destinations: ["meta"], deliveryPolicy: try DeliverySLOPolicy(minOutcomes: 3, spikeMinAttempts: 3),
                prepareBacklog: try PrepareBacklogWatch()),
            instance: "worker-a", logger: Logger(label: "t"), startedAt: Timestamp.now())
        // Given three delivered events and two whose consent suppresses them
        try await harness.post((1...3).map { PipelineHarness.purchase("sale:ok:\($0)") })
        for index in 1...2 {
            guard case .object(var fields) = PipelineHarness.purchase("sale:denied:\(index)") else { Issue.record("not an object"); return }
            fields["consent"] = .object(["ad_user_data": .string("denied"), "ad_personalization": .string("denied")])
            try await harness.post([.object(fields)])
        }
        try await harness.prepareAll()
        _ = try await harness.deliverUntil { try await harness.states()["delivered"] == 3 }
        // When health is checked
        let findings = await health.check(at: Timestamp.now())
        // Then the suppressed events reached no worker, and no delivery condition holds
        #expect(try await harness.states()["suppressed"] == 2)
        let meta = findings.filter { $0.subject == .destination("meta") }
        #expect(meta.count == 2)
        #expect(meta.allSatisfy { !$0.holds })
        await harness.close()
    }

    @Test("two instances on one store judge together: a source heard by one is not silent to the other; failures add up")
    func instancesShareCounts() async throws {
        let harness = try await PipelineHarness()
        let start = Timestamp.now()
        let clock = Mutex(start)
        let now: @Sendable () -> Timestamp = { clock.withLock { $0 } }
        let configuration = HealthWatch.Configuration(
            sources: [(name: "shop", expectEventsWithin: .seconds(60))], destinations: [],
            sourcePolicy: try SourceHealthPolicy(signatureFailureThreshold: 4, signatureFailureWindow: .seconds(300)),
            prepareBacklog: try PrepareBacklogWatch())
        let metricsA = BridgeMetrics(factory: PrometheusMetricsFactory(registry: PrometheusCollectorRegistry()), now: now)
        let metricsB = BridgeMetrics(factory: PrometheusMetricsFactory(registry: PrometheusCollectorRegistry()), now: now)
        let watchA = HealthWatch(store: harness.store, metrics: metricsA, configuration: configuration, instance: "a/1", logger: Logger(label: "t"), startedAt: start)
        let watchB = HealthWatch(store: harness.store, metrics: metricsB, configuration: configuration, instance: "b/2", logger: Logger(label: "t"), startedAt: start)
        func holds(_ findings: [AlertFinding], _ condition: AlertCondition) -> Bool { findings.first { $0.condition == condition }?.holds ?? false }
        // Given instance A hears from the source 50 s in, and each instance sees two signature failures
        clock.withLock { $0 = start.advanced(by: .seconds(50)) }
        metricsA.ingestRequest(source: "shop", outcome: .accepted)
        metricsA.ingestRequest(source: "shop", outcome: .badSignature)
        metricsA.ingestRequest(source: "shop", outcome: .badSignature)
        metricsB.ingestRequest(source: "shop", outcome: .badSignature)
        metricsB.ingestRequest(source: "shop", outcome: .staleTimestamp)
        _ = await watchA.check(at: now())
        // When instance B judges 90 s in (silent for B alone, but not for the pair)
        clock.withLock { $0 = start.advanced(by: .seconds(90)) }
        let seenByB = await watchB.check(at: now())
        // Then the source is not silent, and the four failures make a burst
        #expect(!holds(seenByB, .sourceSilent))
        #expect(holds(seenByB, .signatureFailureBurst))
        // And once nobody has heard from it for longer than 60 s, it is silent for both
        clock.withLock { $0 = start.advanced(by: .seconds(111)) }
        #expect(holds(await watchA.check(at: now()), .sourceSilent))
        #expect(holds(await watchB.check(at: now()), .sourceSilent))
        await harness.close()
    }

    @Test("a sink that answers 503 is retried and then reached; one answering 404 is given up at once; both are counted")
    func sinkRetries() async throws {
        let sink = try await MockAlertSink.start()
        let registry = PrometheusCollectorRegistry()
        let metrics = BridgeMetrics(factory: PrometheusMetricsFactory(registry: registry), registry: registry)
        let client = BridgeRuntime.makeHTTPClient()
        let notifier = AlertNotifier(
            sinks: [AlertSink(name: "ops", kind: .slack, url: sink.slackURL)], client: client, logger: Logger(label: "t"), metrics: metrics,
            retry: AlertSinkRetryPolicy(delays: [.milliseconds(10), .milliseconds(10)]))
        let alert = Alert(subject: .source("shop"), condition: .sourceSilent, startedAt: Timestamp.now(), detail: "no verified webhook for 7 h")
        // Given a sink failing twice, then answering
        sink.fail(times: 2, status: 503)
        await notifier.post(.raise(alert))
        await notifier.deliverPending()
        #expect(sink.received.count == 3)
        // Given a sink answering 404
        sink.fail(times: 1, status: 404)
        await notifier.post(.resolve(alert, at: Timestamp.now()))
        await notifier.deliverPending()
        #expect(sink.received.count == 4)
        let text = registry.emitToString()
        #expect(text.contains(#"capi_bridge_alert_notifications_total{sink="ops",outcome="retried"} 2"#))
        #expect(text.contains(#"capi_bridge_alert_notifications_total{sink="ops",outcome="sent"} 1"#))
        #expect(text.contains(#"capi_bridge_alert_notifications_total{sink="ops",outcome="failed"} 1"#))
        #expect(!text.contains(sink.slackURL))
        try await client.shutdown()
        await sink.stop()
    }
}
