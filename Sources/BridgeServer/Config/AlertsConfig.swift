import BridgeCore

/// `alerts:` — where operator alerts go and when they fire.
public struct AlertsConfig: Sendable {
    /// Slack-compatible incoming webhook; no alerts are posted without one.
    public var webhookURL: String?
    /// Dead letters per destination above which an alert fires (default 100).
    public var deadLetterThreshold = 100
    /// Age of the oldest undelivered event above which an alert fires (default 60 min).
    public var oldestUndeliveredMinutes: Double = 60
    /// How long a condition must stay clear before it is resolved (default 5 min).
    public var clearAfterMinutes: Double = 5

    public init() {}

    init(_ reader: ConfigReader, problems: inout [ConfigProblem]) {
        var reader = reader
        webhookURL = reader.text("webhook_url", problems: &problems).flatMap { $0.isEmpty ? nil : $0 }
        deadLetterThreshold = reader.integer("dead_letter_threshold", problems: &problems) ?? deadLetterThreshold
        oldestUndeliveredMinutes = reader.number("oldest_undelivered_minutes", problems: &problems) ?? oldestUndeliveredMinutes
        clearAfterMinutes = reader.number("clear_after_minutes", problems: &problems) ?? clearAfterMinutes
        reader.rejectUnknown(problems: &problems)
    }

    /// The alert policy these settings describe (validated by the config loader).
    public var policy: AlertPolicy {
        let configuration = (try? AlertPolicy.Configuration(
            deadLetterThreshold: deadLetterThreshold, oldestUndeliveredThreshold: .seconds(Int64(oldestUndeliveredMinutes * 60)),
            clearAfter: .seconds(Int64(clearAfterMinutes * 60)))) ?? .standard
        return AlertPolicy(configuration: configuration)
    }
}
