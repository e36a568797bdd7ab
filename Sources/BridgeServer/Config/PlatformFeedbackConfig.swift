import BridgeCore

/// `platform_feedback:` — confirmed delivery and the platforms' own scores
/// (`docs/platform-feedback.md`).
public struct PlatformFeedbackConfig: Sendable {
    /// How often due status lookups are made (default 60 s).
    public var confirmationCheckSeconds: Double = 60
    /// The first lookup of a request, after it was accepted (default 30 min, as Google suggests).
    public var confirmationFirstPollMinutes: Double = 30
    /// The longest wait between lookups (default 6 h).
    public var confirmationMaxIntervalMinutes: Double = 360
    /// A request without a final status this long after it was sent is left unconfirmed (default 72 h).
    public var confirmationGiveUpHours: Double = 72
    /// How often the platforms' scores are fetched (default 24 h; 0 turns the scheduled fetch off).
    public var scoresIntervalHours: Double = 24

    public init() {}

    init(_ reader: ConfigReader, problems: inout [ConfigProblem]) {
        var reader = reader
        func positive(_ key: String, _ current: Double, allowZero: Bool = false) -> Double {
            guard let value = reader.number(key, problems: &problems) else { return current }
            guard value > 0 || (allowZero && value == 0) else {
                problems.append(ConfigProblem(reader.keyPath(key), allowZero ? "must be 0 (off) or a positive number" : "must be a positive number"))
                return current
            }
            return value
        }
        confirmationCheckSeconds = positive("confirmation_check_seconds", confirmationCheckSeconds)
        confirmationFirstPollMinutes = positive("confirmation_first_poll_minutes", confirmationFirstPollMinutes)
        confirmationMaxIntervalMinutes = positive("confirmation_max_interval_minutes", confirmationMaxIntervalMinutes)
        confirmationGiveUpHours = positive("confirmation_give_up_hours", confirmationGiveUpHours)
        scoresIntervalHours = positive("scores_interval_hours", scoresIntervalHours, allowZero: true)
        if confirmationGiveUpHours * 60 < confirmationFirstPollMinutes {
            problems.append(ConfigProblem(reader.keyPath("confirmation_give_up_hours"), "must be at least confirmation_first_poll_minutes"))
        }
        reader.rejectUnknown(problems: &problems)
    }

    /// The lookup schedule every confirming destination uses.
    public var schedule: ConfirmationSchedule {
        ConfirmationSchedule(
            firstPollAfter: .milliseconds(Int64(confirmationFirstPollMinutes * 60_000)),
            maxInterval: .milliseconds(Int64(confirmationMaxIntervalMinutes * 60_000)),
            giveUpAfter: .milliseconds(Int64(confirmationGiveUpHours * 3_600_000)))
    }
}
