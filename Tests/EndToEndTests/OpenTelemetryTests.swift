import AsyncHTTPClient
import BridgeCore
import BridgeMocks
import Foundation
import Testing

/// `telemetry.otlp.endpoint` against a capture server standing in for an
/// OTLP collector: a default build says it does not export and sends
/// nothing; a build with `--traits OpenTelemetry` posts the spans to `/v1/traces`.
@Suite("The real process: OpenTelemetry export", .serialized)
struct OpenTelemetryTests {
    @Test("the configured collector gets spans only from a build with the OpenTelemetry trait; a default build warns")
    func export() async throws {
        let collector = try await MockRedirectServer.start()
        let bridge = try await BridgeProcess { _, storePath in
            """
            server: {host: 127.0.0.1, port: 0}
            store: {path: \(storePath), seal_key: "${CAPI_SEAL_KEY}"}
            sources:
              - {name: backend, kind: standard-webhooks, secrets: ["\(BridgeProcess.standardSecret)"]}
            telemetry: {otlp: {endpoint: "\(collector.baseURL)"}}
            logging: {level: info}
            """
        }
        defer { bridge.cleanUp() }
        let status = try await withHTTPClient { client in
            try await bridge.postSigned(BridgeProcess.purchase("sale:otel:1", email: "otel.buyer@example.com", ip: "198.51.100.7"), id: "msg_otel_1", client: client)
        }
        #expect(status == 202)
        #if OpenTelemetry
        let exported = await BridgeProcess.wait(seconds: 20) { collector.requests.contains { $0.path == "/v1/traces" } }
        #expect(exported, "the collector saw \(collector.requests.map(\.path))")
        #expect(!collector.requests.contains { String(decoding: $0.body, as: UTF8.self).contains("otel.buyer@example.com") })
        #else
        #expect(bridge.logLines.contains { $0.contains("telemetry.otlp.endpoint is set, but this build has no OpenTelemetry export") })
        try await Task.sleep(for: .milliseconds(500))
        #expect(collector.requests.isEmpty)
        #endif
        try await bridge.stop(signal: SIGTERM)
        await collector.stop()
    }
}
