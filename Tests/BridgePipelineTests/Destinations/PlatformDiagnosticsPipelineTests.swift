import BridgeCore
import BridgeMocks
import BridgeServer
import Prometheus
@testable import BridgePipeline
@testable import BridgeStore
import Foundation
import Testing

/// What platforms say beyond their verdicts, through the pipeline: GA4
/// validation samples and Meta's `events_received`.
@Suite("Platform diagnostics through the pipeline", .serialized)
struct PlatformDiagnosticsPipelineTests {
    static func window() -> (Timestamp, Timestamp) { (Timestamp.now().advanced(by: .seconds(-3600)), Timestamp.now().advanced(by: .seconds(60))) }

    @Test("a GA4 validation message from a sampled copy raises the metric and the alert; /mp/collect still records the event")
    func ga4ValidationMessage() async throws {
        let mock = try await MockPlatformServer.start(MockGA4API(), options: .init(expectedToken: GA4PipelineTests.secret))
        let harness = try await GA4PipelineTests.harness(mock, extra: "validation_sample_rate: 1")
        mock.rejectEvents(message: "events[0].params.currency :: VALUE_INVALID :: currency must be ISO 4217") { $0 == "sale:v:2" }
        try await harness.post((1...3).map { PipelineHarness.purchase("sale:v:\($0)") })
        try await harness.prepareAll()
        #expect(try await harness.deliverUntil { try await harness.states()["delivered"] == 3 })
        let debug = mock.exchanges.filter { $0.request.path == MockGA4API.debugPath }
        #expect(debug.count == 3, "every request sampled at rate 1")
        #expect(mock.exchanges.filter { $0.request.path == MockGA4API.collectPath }.count == 3)
        let metrics = harness.registry.emitToString()
        #expect(metrics.contains(#"capi_bridge_validation_messages_total{destination="ga4",code="VALUE_INVALID"} 1"#))
        #expect(metrics.contains(#"capi_bridge_validation_samples_total{destination="ga4",outcome="valid"} 2"#))
        let tallies = try await harness.store.diagnosticTallies(since: Self.window().0, until: Self.window().1, destination: "ga4")
        #expect(tallies.map(\.code) == ["VALUE_INVALID"])
        #expect(tallies.first?.lastDetail.contains("events[0].params.currency") == true)
        // The alert: raised while the latest sample had messages.
        let worker = harness.runtime.pipeline.workers[0]
        let actions = await harness.runtime.pipeline.monitor.check()
        let raised = actions.filter { $0.isRaise && $0.alert.condition == .validationMessages }
        #expect(raised.count == (worker.validationFinding()?.holds == true ? 1 : 0))
        let audit = try harness.auditFiles().flatMap(\.lines).joined(separator: "\n")
        #expect(!audit.contains(GA4PipelineTests.secret), "the API secret never reaches the audit log")
        #expect(audit.components(separatedBy: "/validation").count - 1 >= 6, "each sampled copy audited: attempt and outcome")
        #expect(audit.contains("validation_sample"))
        #expect(!harness.logs.captured.joined(separator: "\n").contains(GA4PipelineTests.secret), "nor the logs")
        await harness.close()
        await mock.stop()
    }

    @Test("the validation alert is raised when the latest sample has messages")
    func validationAlert() async throws {
        let mock = try await MockPlatformServer.start(MockGA4API(), options: .init(expectedToken: GA4PipelineTests.secret))
        let harness = try await GA4PipelineTests.harness(mock, extra: "validation_sample_rate: 1")
        mock.rejectEvents(message: "events[0].name :: NAME_INVALID :: bad name") { _ in true }
        try await harness.post([PipelineHarness.purchase("sale:w:1")])
        try await harness.prepareAll()
        #expect(try await harness.deliverUntil { try await harness.states()["delivered"] == 1 })
        #expect(harness.runtime.pipeline.workers[0].validationFinding()?.holds == true)
        let actions = await harness.runtime.pipeline.monitor.check()
        #expect(actions.contains { $0.isRaise && $0.alert.condition == .validationMessages && $0.alert.detail.contains("NAME_INVALID") })
        await harness.close()
        await mock.stop()
    }

    @Test("without validation_sample_rate nothing goes to /debug/mp/collect")
    func noSamplingByDefault() async throws {
        let mock = try await MockPlatformServer.start(MockGA4API(), options: .init(expectedToken: GA4PipelineTests.secret))
        let harness = try await GA4PipelineTests.harness(mock)
        try await harness.post([PipelineHarness.purchase("sale:n:1")])
        try await harness.prepareAll()
        #expect(try await harness.deliverUntil { try await harness.states()["delivered"] == 1 })
        #expect(mock.exchanges.allSatisfy { $0.request.path == MockGA4API.collectPath })
        #expect(harness.runtime.pipeline.workers[0].validationFinding() == nil)
        await harness.close()
        await mock.stop()
    }

    @Test("Meta acknowledging fewer events than sent is recorded per request: metric, audit note, diagnostics")
    func metaMismatch() async throws {
        let harness = try await PipelineHarness()
        harness.mock.script(.eventsReceived(1))
        try await harness.post([PipelineHarness.purchase("sale:m:1"), PipelineHarness.purchase("sale:m:2")])
        try await harness.prepareAll()
        #expect(try await harness.deliverUntil { try await harness.states()["delivered"] == 2 })
        #expect(harness.registry.emitToString().contains(#"capi_bridge_events_received_mismatch_total{destination="meta"} 1"#))
        let tallies = try await harness.store.diagnosticTallies(since: Self.window().0, until: Self.window().1, destination: nil)
        #expect(tallies.map(\.kind) == [.eventsReceivedMismatch])
        #expect(tallies.first?.lastDetail == "Meta acknowledged 1 of 2 events sent")
        let notes = try harness.auditFiles().flatMap(\.lines).filter { $0.contains("platform_diagnostic") }
        #expect(notes.count == 1)
        #expect(notes.first?.contains("sale:m:1") == true)
        #expect(!notes.joined().contains(PipelineHarness.token))
        await harness.close()
    }
}
