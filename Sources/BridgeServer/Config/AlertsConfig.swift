import BridgeCore

/// `alerts:` — where operator alerts go and when they fire.
public struct AlertsConfig: Sendable, Decodable {
    /// Slack-compatible incoming webhook; no alerts are posted without one.
    public var webhookURL: String?
    /// Dead letters per destination above which an alert fires (default 100).
    public var deadLetterThreshold = 100
    /// Age of the oldest undelivered event above which an alert fires (default 60 min).
    public var oldestUndeliveredMinutes: Double = 60
    /// How long a condition must stay clear before it is resolved (default 5 min).
    public var clearAfterMinutes: Double = 5

    enum CodingKeys: String, CodingKey, CaseIterable {
        case webhookURL = "webhook_url"
        case deadLetterThreshold = "dead_letter_threshold"
        case oldestUndeliveredMinutes = "oldest_undelivered_minutes"
        case clearAfterMinutes = "clear_after_minutes"
    }

    public init() {}

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        webhookURL = try c.decodeIfPresent(String.self, forKey: .webhookURL).flatMap { $0.isEmpty ? nil : $0 }
        deadLetterThreshold = try c.decodeIfPresent(Int.self, forKey: .deadLetterThreshold) ?? deadLetterThreshold
        oldestUndeliveredMinutes = try c.decodeIfPresent(Double.self, forKey: .oldestUndeliveredMinutes) ?? oldestUndeliveredMinutes
        clearAfterMinutes = try c.decodeIfPresent(Double.self, forKey: .clearAfterMinutes) ?? clearAfterMinutes
    }

    /// The alert policy these settings describe (validated by the config loader).
    public var policy: AlertPolicy {
        let configuration = (try? AlertPolicy.Configuration(
            deadLetterThreshold: deadLetterThreshold, oldestUndeliveredThreshold: .seconds(Int64(oldestUndeliveredMinutes * 60)),
            clearAfter: .seconds(Int64(clearAfterMinutes * 60)))) ?? .standard
        return AlertPolicy(configuration: configuration)
    }
}
