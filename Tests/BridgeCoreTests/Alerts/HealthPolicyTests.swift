import BridgeCore
import Testing

/// The pure judges of source health, delivery SLOs and the prepare backlog,
/// and the alert messages and sink retries.
@Suite("Source health, delivery SLOs and alert sinks (pure)")
struct HealthPolicyTests {
    let t0 = Timestamp(secondsSinceEpoch: 1_767_300_000)

    func at(_ seconds: Int64) -> Timestamp { t0.advanced(by: .seconds(seconds)) }

    func observation(expect: Duration?, last: Timestamp?, failures: Int = 0) -> SourceHealthPolicy.Observation {
        SourceHealthPolicy.Observation(source: "shop", expectEventsWithin: expect, lastEventAt: last, watchingSince: t0, signatureFailures: failures)
    }

    @Test("a source is silent strictly after expect_events_within, from its last request or from when monitoring began; unset never")
    func silence() {
        let policy = SourceHealthPolicy.standard
        func silent(_ observation: SourceHealthPolicy.Observation, now: Timestamp) -> Bool {
            policy.findings(observation, now: now).first { $0.condition == .sourceSilent }?.holds ?? false
        }
        #expect(!silent(observation(expect: .seconds(3600), last: at(0)), now: at(3600)))
        #expect(silent(observation(expect: .seconds(3600), last: at(0)), now: at(3601)))
        #expect(silent(observation(expect: .seconds(60), last: nil), now: at(61)))
        #expect(!silent(observation(expect: .seconds(60), last: nil), now: at(59)))
        #expect(!silent(observation(expect: nil, last: nil), now: at(1_000_000)))
        let detail = policy.findings(observation(expect: .seconds(6 * 3600), last: at(0)), now: at(7 * 3600)).first?.detail ?? ""
        #expect(detail.contains("expected within 6 h"))
    }

    @Test("signature failures raise at the threshold, not below")
    func signatureBurst() throws {
        let policy = try SourceHealthPolicy(signatureFailureThreshold: 3, signatureFailureWindow: .seconds(300))
        func burst(_ failures: Int) -> AlertFinding? {
            policy.findings(observation(expect: nil, last: nil, failures: failures), now: at(1)).first { $0.condition == .signatureFailureBurst }
        }
        #expect(burst(2)?.holds == false)
        #expect(burst(3)?.holds == true)
        #expect(burst(3)?.subject == .source("shop"))
        #expect(throws: DeliveryPolicyError.self) { try SourceHealthPolicy(signatureFailureThreshold: 0) }
    }

    @Test("the SLO counts final outcomes over a minimum; the spike counts every attempt")
    func deliverySLO() throws {
        let policy = try DeliverySLOPolicy(targets: ["tiktok": 0.9], minOutcomes: 20, spikeErrorRate: 0.25, spikeMinAttempts: 20)
        func holds(_ findings: [AlertFinding], _ condition: AlertCondition) -> Bool { findings.first { $0.condition == condition }?.holds ?? false }
        // 199 of 200 delivered is exactly 99.5 %: met
        let met = policy.findings(destination: "meta", slo: .init(delivered: 199, deadLettered: 1), recent: .init())
        #expect(!holds(met, .deliverySLOBreached))
        // 198 of 200 is below
        let breached = policy.findings(destination: "meta", slo: .init(delivered: 198, deadLettered: 2), recent: .init())
        #expect(holds(breached, .deliverySLOBreached))
        #expect(breached.first?.detail?.hasPrefix("99 % of 200 events") == true)
        // Too few outcomes to judge, however bad
        #expect(!holds(policy.findings(destination: "meta", slo: .init(delivered: 0, deadLettered: 19), recent: .init()), .deliverySLOBreached))
        // Retries are not final outcomes
        #expect(!holds(policy.findings(destination: "meta", slo: .init(delivered: 30, retried: 500), recent: .init()), .deliverySLOBreached))
        // A destination with its own target
        #expect(!holds(policy.findings(destination: "tiktok", slo: .init(delivered: 95, deadLettered: 5), recent: .init()), .deliverySLOBreached))
        // The spike: 5 failed of 20 attempts is 25 %
        #expect(holds(policy.findings(destination: "meta", slo: .init(), recent: .init(delivered: 15, retried: 5)), .errorRateSpike))
        #expect(!holds(policy.findings(destination: "meta", slo: .init(), recent: .init(delivered: 16, retried: 4)), .errorRateSpike))
        #expect(!holds(policy.findings(destination: "meta", slo: .init(), recent: .init(retried: 19)), .errorRateSpike))
        #expect(throws: DeliveryPolicyError.self) { try DeliverySLOPolicy(successTarget: 1.2) }
    }

    @Test("the prepare backlog alerts when old and not shrinking over the threshold, not while it is worked off")
    func prepareBacklog() throws {
        var growing = try PrepareBacklogWatch(threshold: .seconds(600))
        #expect(!growing.observe(unprepared: 40, oldestReceivedAt: at(-60), now: at(0)).holds)
        // Not yet judged: no sample threshold-old
        #expect(!growing.observe(unprepared: 90, oldestReceivedAt: at(-60), now: at(300)).holds)
        let grew = growing.observe(unprepared: 90, oldestReceivedAt: at(-120), now: at(600))
        #expect(grew.holds)
        #expect(grew.subject == .pipeline)
        #expect(grew.detail?.contains("it grew from 40 to 90") == true)
        var shrinking = try PrepareBacklogWatch(threshold: .seconds(600))
        _ = shrinking.observe(unprepared: 900, oldestReceivedAt: at(-1200), now: at(0))
        #expect(!shrinking.observe(unprepared: 300, oldestReceivedAt: at(-1200), now: at(600)).holds)
        var keepingUp = try PrepareBacklogWatch(threshold: .seconds(600))
        _ = keepingUp.observe(unprepared: 50, oldestReceivedAt: at(-5), now: at(0))
        #expect(!keepingUp.observe(unprepared: 60, oldestReceivedAt: at(580), now: at(600)).holds)
    }

    @Test("findings raise once, stay quiet while they hold, and resolve when clear, per subject")
    func findingsThroughPolicy() throws {
        var policy = AlertPolicy(configuration: try AlertPolicy.Configuration(deadLetterThreshold: 100, clearAfter: .zero))
        let silent = AlertFinding(subject: .source("shop"), condition: .sourceSilent, detail: "no verified webhook for 7 h")
        let other = AlertFinding(subject: .source("stripe"), condition: .sourceSilent, detail: nil)
        #expect(policy.observe([silent, other], now: at(0)).count == 1)
        #expect(policy.observe([silent, other], now: at(5)).isEmpty)
        #expect(policy.isActive(.sourceSilent, about: .source("shop")))
        #expect(!policy.isActive(.sourceSilent, about: .source("stripe")))
        let cleared = policy.observe([AlertFinding(subject: .source("shop"), condition: .sourceSilent, detail: nil)], now: at(10))
        guard case .resolve(let alert, let resolvedAt)? = cleared.first else {
            Issue.record("expected a resolve, got \(cleared)")
            return
        }
        #expect(alert.subject == .source("shop") && resolvedAt == at(10))
        #expect(!policy.isActive(.sourceSilent, about: .source("shop")))
    }

    @Test("Teams gets a message with one Adaptive Card; the signed webhook's id is stable across retries and its signature is Standard Webhooks")
    func messages() throws {
        let alert = Alert(subject: .source("shop"), condition: .signatureFailureBurst, startedAt: at(0), detail: "12 requests failed")
        let teams = TeamsAlertMessage(.raise(alert), instance: "prod-eu").json
        #expect(teams["type"]?.stringValue == "message")
        let attachment = try #require(teams["attachments"]?.arrayValue?.first)
        #expect(attachment["contentType"]?.stringValue == "application/vnd.microsoft.card.adaptive")
        #expect(attachment["content"]?["type"]?.stringValue == "AdaptiveCard")
        #expect(attachment["content"]?["version"]?.stringValue == TeamsAlertMessage.cardVersion)
        #expect(JSONWriter.string(teams).contains("prod-eu"))
        let resolved = TeamsAlertMessage(.resolve(alert, at: at(600))).json
        #expect(JSONWriter.string(resolved).contains("Resolved"))

        let raised = AlertWebhookMessage(.raise(alert))
        #expect(raised.id == AlertWebhookMessage(.raise(alert)).id)
        #expect(raised.id != AlertWebhookMessage(.resolve(alert, at: at(600))).id)
        #expect(raised.json["data"]?["subject"]?["kind"]?.stringValue == "source")
        let key = Array("0123456789abcdef0123".utf8)
        let headers = raised.signatureHeaders(key: key, timestamp: at(30))
        #expect(headers.map(\.name) == ["webhook-id", "webhook-timestamp", "webhook-signature"])
        #expect(headers[2].value == StandardWebhooksSigner.sign(key: key, id: raised.id, timestamp: at(30).secondsSinceEpoch, body: raised.body))
    }

    @Test("a sink is retried on no answer, 429 and 5xx, honouring Retry-After up to its cap; other answers give up at once")
    func sinkRetries() {
        let policy = AlertSinkRetryPolicy()
        #expect(policy.verdict(afterAttempt: 1, status: 200) == .sent)
        #expect(policy.verdict(afterAttempt: 1, status: 503) == .retry(after: .seconds(2)))
        #expect(policy.verdict(afterAttempt: 2, status: nil) == .retry(after: .seconds(10)))
        #expect(policy.verdict(afterAttempt: 1, status: 429, retryAfterSeconds: 30) == .retry(after: .seconds(30)))
        #expect(policy.verdict(afterAttempt: 1, status: 429, retryAfterSeconds: 9999) == .retry(after: .seconds(120)))
        #expect(policy.verdict(afterAttempt: 4, status: 503) == .giveUp(reason: "HTTP 503 after 4 attempts"))
        #expect(policy.verdict(afterAttempt: 1, status: 404) == .giveUp(reason: "HTTP 404"))
        #expect(policy.verdict(afterAttempt: 1, status: 302) == .giveUp(reason: "HTTP 302"))
    }

    @Test("the attempt log reads back what was written, and skips a line cut by the stored limit")
    func attemptLog() {
        let retry = DeliveryAttemptLog.Entry(at: at(0), outcome: .retry, status: 503, nextAttemptAt: at(20), detail: "HTTP 503\nupstream")
        let delivered = DeliveryAttemptLog.Entry(at: at(20), outcome: .delivered, status: 200, detail: "batch b-1")
        let text = DeliveryAttemptLog.line(retry) + DeliveryAttemptLog.line(delivered)
        let read = DeliveryAttemptLog.entries(text)
        #expect(read.count == 2)
        #expect(read[0].detail == "HTTP 503 upstream")
        #expect(read[0].nextAttemptAt == at(20))
        #expect(read[1] == delivered)
        #expect(DeliveryAttemptLog.entries(String(text.dropFirst(5))) == [delivered])
    }
}
