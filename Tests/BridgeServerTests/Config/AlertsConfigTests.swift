import BridgeCore
import BridgePipeline
import BridgeServer
import Testing

@Suite("Alert sinks, source health and SLO settings in the configuration")
struct AlertsConfigTests {
    static let source = "whsec_iq8V8DDGvRY0GdNy110G+bqXJv3hMq7xvkeY/JcD/+A="

    static func problems(_ yaml: String, environment: [String: String] = [:]) -> [String] {
        do {
            _ = try ConfigLoader.parse(yaml, environment: environment)
            return []
        } catch {
            return error.problems.map(\.description)
        }
    }

    @Test("sinks of every kind and the old webhook_url load together; secrets come from the environment")
    func sinksLoad() throws {
        let config = try ConfigLoader.parse(
            """
            store: {ephemeral_seal_key: true}
            sources: [{name: shop, kind: standard-webhooks, secrets: ["\(Self.source)"], expect_events_within: 6h}]
            alerts:
              webhook_url: "${SLACK_URL}"
              sinks:
                - {name: ops-teams, kind: teams, url: "${TEAMS_URL}"}
                - {kind: webhook, url: "https://hooks.example.com/capi", secret: "${SINK_SECRET}"}
            """,
            environment: [
                "SLACK_URL": "https://hooks.slack.com/services/T/B/x", "TEAMS_URL": "https://prod.example.logic.azure.com/workflows/1",
                "SINK_SECRET": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            ])
        let sinks = config.alerts.alertSinks
        #expect(sinks.map(\.name) == ["ops-teams", "webhook", "slack"])
        #expect(sinks.map(\.kind) == [.teams, .webhook, .slack])
        #expect(config.sources[0].expectEventsWithin == .seconds(6 * 3600))
        // The description names the sink, never its URL
        #expect(!sinks.map(\.description).joined().contains("hooks.slack.com"))
        // Defaults
        #expect(config.alerts.deliverySLOPolicy == DeliverySLOPolicy.standard)
        #expect(config.alerts.sourceHealthPolicy == SourceHealthPolicy.standard)
    }

    @Test("bad sinks and thresholds are refused with their key paths")
    func badSettings() {
        let found = Self.problems(
            """
            sources: [{name: shop, kind: standard-webhooks, secrets: ["\(Self.source)"], expect_events_within: soon}]
            destinations: [{name: meta, kind: sandbox}]
            alerts:
              sinks:
                - {name: a, kind: pagerduty, url: "https://example.com"}
                - {name: b, kind: webhook, url: "https://example.com"}
                - {name: c, kind: teams, url: "http://teams.example.com/hook"}
                - {name: c, kind: slack, url: "https://hooks.slack.com/x", secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"}
              signature_failure_threshold: 0
              delivery_slo: {success_percent: 120, destinations: {tiktok: 99}}
              error_spike: {window_minutes: 0}
            """)
        let expected = [
            "sources[0].expect_events_within", "alerts.sinks[0].kind", "alerts.sinks[1].secret", "alerts.sinks[2].url", "alerts.sinks[3].name",
            "alerts.sinks[3].secret", "alerts.signature_failure_threshold", "alerts.delivery_slo.success_percent",
            "alerts.delivery_slo.destinations.tiktok", "alerts.error_spike.window_minutes",
        ]
        for path in expected {
            #expect(found.contains { $0.hasPrefix(path + ":") }, "\(path) in \(found)")
        }
        #expect(found.contains { $0.contains("unknown sink kind 'pagerduty'") })
    }

    @Test("an unknown key under a sink is refused")
    func unknownKey() {
        let found = Self.problems(
            """
            sources: [{name: shop, kind: standard-webhooks, secrets: ["\(Self.source)"]}]
            alerts: {sinks: [{kind: slack, url: "https://hooks.slack.com/x", channel: "#ops"}]}
            """)
        #expect(found.contains { $0.contains("channel") }, "\(found)")
    }
}
