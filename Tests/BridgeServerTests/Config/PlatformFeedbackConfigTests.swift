import BridgeCore
import BridgeServer
import Testing

@Suite("Platform feedback settings in the configuration")
struct PlatformFeedbackConfigTests {
    @Test("the schedule comes from platform_feedback; defaults follow Google's advice")
    func schedule() throws {
        let defaults = try ConfigLoader.parse("store: {ephemeral_seal_key: true}\ndestinations: [{name: s, kind: sandbox, path: out.jsonl}]", environment: [:])
        #expect(defaults.platformFeedback.schedule == ConfirmationSchedule())
        #expect(defaults.platformFeedback.schedule.firstPollAfter == .seconds(1800))
        let config = try ConfigLoader.parse(
            """
            store: {ephemeral_seal_key: true}
            destinations: [{name: s, kind: sandbox, path: out.jsonl}]
            platform_feedback:
              confirmation_check_seconds: 5
              confirmation_first_poll_minutes: 10
              confirmation_max_interval_minutes: 120
              confirmation_give_up_hours: 24
              scores_interval_hours: 0
            """, environment: [:])
        #expect(config.platformFeedback.schedule == ConfirmationSchedule(firstPollAfter: .seconds(600), maxInterval: .seconds(7200), giveUpAfter: .seconds(86_400)))
        #expect(config.platformFeedback.scoresIntervalHours == 0)
        #expect(config.platformFeedback.confirmationCheckSeconds == 5)
    }

    @Test("bad values and unknown keys are refused with their key paths")
    func badValues() {
        var found: [String] = []
        do {
            _ = try ConfigLoader.parse(
                """
                store: {ephemeral_seal_key: true}
                destinations: [{name: s, kind: sandbox, path: out.jsonl}]
                platform_feedback:
                  confirmation_check_seconds: 0
                  confirmation_first_poll_minutes: soon
                  scores_interval_hours: -1
                  confirmation_give_up_hours: 0.1
                  poll_everything: true
                """, environment: [:])
        } catch {
            found = error.problems.map(\.description)
        }
        for path in [
            "platform_feedback.confirmation_check_seconds", "platform_feedback.confirmation_first_poll_minutes",
            "platform_feedback.scores_interval_hours", "platform_feedback.confirmation_give_up_hours", "platform_feedback.poll_everything",
        ] {
            #expect(found.contains { $0.hasPrefix(path + ":") }, "\(path) in \(found)")
        }
    }
}
