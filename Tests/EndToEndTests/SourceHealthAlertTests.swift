import AsyncHTTPClient
import BridgeCore
import BridgeMocks
import Foundation
import NIOCore
import NIOHTTP1
import Testing

/// Source health alerts raised and resolved by the real `serve` process on
/// a mock Slack and a mock Teams sink at once.
@Suite("Source health alerts in the real process", .serialized)
struct SourceHealthAlertTests {
    static func config(sink: MockAlertSink) -> (URL, String) -> String {
        { _, storePath in
            """
            server: {host: 127.0.0.1, port: 0}
            store: {path: \(storePath), seal_key: "${CAPI_SEAL_KEY}"}
            sources:
              - {name: backend, kind: standard-webhooks, secrets: ["\(BridgeProcess.standardSecret)"], expect_events_within: 3s}
            alerts:
              instance_name: e2e
              check_interval_seconds: 0.2
              clear_after_minutes: 0
              signature_failure_threshold: 3
              signature_failure_window_minutes: 0.05
              sinks:
                - {name: ops-slack, kind: slack, url: "\(sink.slackURL)"}
                - {name: ops-teams, kind: teams, url: "${TEAMS_ALERT_URL}"}
            logging: {level: info}
            """
        }
    }

    /// Whether both sinks received a message about `condition` that says `raised` or resolved.
    static func bothSinks(_ sink: MockAlertSink, _ condition: AlertCondition, resolved: Bool) -> Bool {
        let slack = sink.received(at: "/slack/").contains { message in
            message.text.contains(condition.title) && message.text.contains("Resolved") == resolved
        }
        let teams = sink.received(at: "/teams/").contains { message in
            message.text.contains(condition.rawValue) && message.text.contains("Resolved") == resolved
        }
        return slack && teams
    }

    @Test("a silent source and a burst of bad signatures each raise one alert on Slack and Teams, resolved once clear")
    func silentSourceAndSignatureBurst() async throws {
        let sink = try await MockAlertSink.start()
        let bridge = try await BridgeProcess(environment: ["TEAMS_ALERT_URL": sink.teamsURL], config: Self.config(sink: sink))
        defer { bridge.cleanUp() }
        try await withHTTPClient { client in
            let base = "http://127.0.0.1:\(bridge.port)"
            // Given a source expected every 3 s that posts nothing: the silence alert is raised on both sinks
            #expect(await BridgeProcess.wait(seconds: 40) { Self.bothSinks(sink, .sourceSilent, resolved: false) })
            let raisedTeams = try #require(sink.received(at: "/teams/").first { $0.text.contains("source_silent") }?.json)
            #expect(raisedTeams["attachments"]?[0]?["contentType"]?.stringValue == "application/vnd.microsoft.card.adaptive")
            #expect(raisedTeams["attachments"]?[0]?["content"]?["type"]?.stringValue == "AdaptiveCard")
            // When it posts a verified webhook, the alert is resolved on both
            let posted = try await SignedWebhook.post(baseURL: base, eventID: "sale:health:1", client: client)
            #expect(posted.status == 202)
            #expect(await BridgeProcess.wait(seconds: 30) { Self.bothSinks(sink, .sourceSilent, resolved: true) })
            // Given three webhooks whose signature does not verify (a secret rotated on one side only)
            for index in 0..<3 {
                var request = SignedWebhook.request(baseURL: base, eventID: "sale:health:bad\(index)")
                request.headers.replaceOrAdd(name: "webhook-signature", value: "v1,bm90IHRoZSBzaWduYXR1cmUgb2YgdGhpcyBib2R5IGF0IGFsbA==")
                let response = try await client.execute(request, timeout: .seconds(10))
                _ = try await response.body.collect(upTo: 1 << 16)
                #expect(response.status.code == 401)
            }
            // Then the burst is raised on both sinks, and resolved once the window has passed
            #expect(await BridgeProcess.wait(seconds: 30) { Self.bothSinks(sink, .signatureFailureBurst, resolved: false) })
            #expect(await BridgeProcess.wait(seconds: 60) { Self.bothSinks(sink, .signatureFailureBurst, resolved: true) })
            // And one notification per change and sink: never one per failed request
            let burstRaises = sink.received(at: "/slack/").filter { $0.text.contains("Signature failures") && !$0.text.contains("Resolved") }
            #expect(burstRaises.count == 1)
            // And the sinks' URLs (their credentials) never reach the log
            #expect(!bridge.logLines.contains { $0.contains("/slack/hook") || $0.contains("/teams/workflow") })
        }
        // The bridge first: it keeps posting to the sink until it stops.
        _ = try await bridge.stop(signal: SIGTERM)
        await sink.stop()
    }
}
