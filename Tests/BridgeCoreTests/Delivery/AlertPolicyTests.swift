import BridgeCore
import Testing

@Suite("Alerts: one per condition, raised once, resolved once")
struct AlertPolicyTests {
    func healthy(_ destination: String = "meta", deadLetters: Int = 0, oldest: Timestamp? = nil) -> AlertObservation {
        AlertObservation(destination: destination, authFailure: nil, circuitOpen: false, deadLetters: deadLetters, oldestUndeliveredAt: oldest)
    }

    @Test("a circuit that opens raises one alert, however long it stays open, and resolves once after 5 min clear")
    func circuitOpenOnce() throws {
        var policy = AlertPolicy()
        var open = healthy()
        open.circuitOpen = true
        let raised = policy.observe(open, now: t0)
        #expect(raised.count == 1)
        guard case .raise(let alert) = try #require(raised.first) else {
            Issue.record("expected a raise")
            return
        }
        #expect(alert.condition == .circuitOpen)
        #expect(alert.destination == "meta")
        #expect(alert.startedAt == t0)
        for minute in 1...60 { #expect(policy.observe(open, now: t0.plus(seconds: Double(minute * 60))).isEmpty) }
        #expect(policy.active == [alert])
        #expect(policy.observe(healthy(), now: t0.plus(seconds: 3700)).isEmpty)
        #expect(policy.observe(healthy(), now: t0.plus(seconds: 3999)).isEmpty)
        #expect(policy.observe(healthy(), now: t0.plus(seconds: 4000)) == [.resolve(alert, at: t0.plus(seconds: 4000))])
        #expect(policy.observe(healthy(), now: t0.plus(seconds: 4100)).isEmpty)
        #expect(policy.active.isEmpty)
    }

    @Test("a flapping condition stays one alert")
    func flapping() {
        var policy = AlertPolicy()
        var open = healthy()
        open.circuitOpen = true
        #expect(policy.observe(open, now: t0).count == 1)
        for i in 1...10 {
            let now = t0.plus(seconds: Double(i * 120))
            #expect(policy.observe(i.isMultiple(of: 2) ? open : healthy(), now: now).isEmpty)
        }
        #expect(policy.active.count == 1)
    }

    @Test("dead letters raise strictly above the threshold (100)")
    func deadLetters() {
        var policy = AlertPolicy()
        #expect(policy.observe(healthy(deadLetters: 100), now: t0).isEmpty)
        let actions = policy.observe(healthy(deadLetters: 101), now: t0.plus(seconds: 60))
        #expect(actions == [.raise(Alert(destination: "meta", condition: .deadLettersAboveThreshold, startedAt: t0.plus(seconds: 60),
                                          detail: "101 dead letters (threshold 100)"))])
        #expect(policy.observe(healthy(deadLetters: 5000), now: t0.plus(seconds: 120)).isEmpty)
    }

    @Test("the oldest undelivered event raises past 1 hour")
    func oldestUndelivered() {
        var policy = AlertPolicy()
        #expect(policy.observe(healthy(oldest: t0), now: t0.advanced(by: .hours(1))).isEmpty)
        let actions = policy.observe(healthy(oldest: t0), now: t0.advanced(by: .hours(2)).plus(seconds: 300))
        #expect(actions.count == 1)
        if case .raise(let alert) = actions.first {
            #expect(alert.condition == .oldestUndeliveredTooOld)
            #expect(alert.detail == "oldest undelivered event is 2 h 5 min old (threshold 1 h)")
        }
    }

    @Test("an auth failure from the breaker raises auth_failed, not circuit_open, and redacts the message")
    func authFromBreaker() {
        var policy = AlertPolicy()
        let observation = AlertObservation(destination: "tiktok", breaker: .paused(reason: "HTTP 401: token of ops@example.com revoked"),
                                           deadLetters: 0, oldestUndeliveredAt: nil)
        let actions = policy.observe(observation, now: t0)
        #expect(actions.count == 1)
        guard case .raise(let alert) = actions.first else { return }
        #expect(alert.condition == .authFailed)
        #expect(!alert.detail.contains("ops@example.com"))
        #expect(alert.detail.contains("[email]"))
        #expect(AlertObservation(destination: "x", breaker: .halfOpen, deadLetters: 0, oldestUndeliveredAt: nil).circuitOpen)
    }

    @Test("several conditions and destinations are tracked independently, in a fixed order")
    func independent() {
        var policy = AlertPolicy()
        let bad = AlertObservation(destination: "meta", authFailure: "denied", circuitOpen: true, deadLetters: 500, oldestUndeliveredAt: t0)
        let actions = policy.observe(bad, now: t0.advanced(by: .hours(3)))
        #expect(actions.map(\.condition) == [.authFailed, .circuitOpen, .deadLettersAboveThreshold, .oldestUndeliveredTooOld])
        #expect(policy.observe(healthy("snap"), now: t0.advanced(by: .hours(3))).isEmpty)
        #expect(policy.active.count == 4)
    }

    @Test("with clearAfter 0 a condition resolves on the first clear observation")
    func immediateResolve() throws {
        var policy = AlertPolicy(configuration: try .init(clearAfter: .zero))
        var open = healthy()
        open.circuitOpen = true
        _ = policy.observe(open, now: t0)
        #expect(policy.observe(healthy(), now: t0.plus(seconds: 1)).count == 1)
    }

    @Test("Slack message: text and blocks, destination escaped, no personal data")
    func slackMessage() throws {
        let alert = Alert(destination: "meta<&>", condition: .circuitOpen, startedAt: t0, detail: "requests keep failing")
        let raise = SlackAlertMessage(.raise(alert), instance: "prod-eu")
        let text = try #require(raise.json["text"]?.stringValue)
        #expect(text == "capi-bridge: :rotating_light: Circuit open: meta&lt;&amp;&gt; — requests keep failing")
        let blocks = try #require(raise.json["blocks"]?.arrayValue)
        #expect(blocks.map { $0["type"]?.stringValue } == ["header", "section", "context"])
        #expect(blocks[1][path: "text", "type"] == .string("mrkdwn"))
        #expect(blocks[1][path: "text", "text"]?.stringValue == "*Circuit open* for destination *meta&lt;&amp;&gt;*\nrequests keep failing")
        #expect(blocks[2]["elements"]?[0]?["text"]?.stringValue
            == "capi-bridge · `circuit_open` · since 2026-03-14T12:00:00Z · prod-eu")
        let parsed = try JSONParser.parse(raise.body)
        #expect(parsed == raise.json)
        #expect(PersonalDataScanner().scan(parsed).isEmpty)

        let resolved = SlackAlertMessage(.resolve(alert, at: t0.plus(seconds: 1500)))
        #expect(resolved.json["text"]?.stringValue?.hasPrefix("capi-bridge: :white_check_mark: Resolved: Circuit open") == true)
        #expect(resolved.json["blocks"]?[1]?[path: "text", "text"]?.stringValue?.hasSuffix("lasted 25 min") == true)
    }
}

extension AlertAction {
    var condition: AlertCondition {
        switch self {
        case .raise(let alert), .resolve(let alert, _): return alert.condition
        }
    }
}
