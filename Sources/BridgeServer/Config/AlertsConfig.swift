import BridgeCore

/// `alerts:` — where operator alerts go and when they fire.
public struct AlertsConfig: Sendable, Decodable {
    /// Slack-compatible incoming webhook: shorthand for one `slack` sink
    /// named `slack`, kept working beside `sinks`.
    public var webhookURL: String?
    /// Where alerts are posted (Slack, Teams, signed webhook), each on its own.
    public var sinks: [AlertSinkConfig] = []
    /// A name for this bridge shown in every message (environment, region).
    public var instanceName: String?
    /// How often the monitor looks (default 5 s).
    public var checkIntervalSeconds: Double = 5
    /// Dead letters per destination above which an alert fires (default 100).
    public var deadLetterThreshold = 100
    /// Age of the oldest undelivered event above which an alert fires (default 60 min).
    public var oldestUndeliveredMinutes: Double = 60
    /// How long a condition must stay clear before it is resolved (default 5 min).
    public var clearAfterMinutes: Double = 5
    /// Signature failures on one source within the window that raise an alert (default 10).
    public var signatureFailureThreshold = 10
    /// The signature-failure window (default 5 min).
    public var signatureFailureWindowMinutes: Double = 5
    /// How long events may wait to be prepared, the backlog not shrinking, before an alert (default 10 min).
    public var prepareBacklogMinutes: Double = 10
    /// Delivery success targets.
    public var deliverySLO = DeliverySLOConfig()
    /// Error-rate spikes.
    public var errorSpike = ErrorSpikeConfig()

    enum CodingKeys: String, CodingKey, CaseIterable {
        case webhookURL = "webhook_url"
        case sinks
        case instanceName = "instance_name"
        case checkIntervalSeconds = "check_interval_seconds"
        case deadLetterThreshold = "dead_letter_threshold"
        case oldestUndeliveredMinutes = "oldest_undelivered_minutes"
        case clearAfterMinutes = "clear_after_minutes"
        case signatureFailureThreshold = "signature_failure_threshold"
        case signatureFailureWindowMinutes = "signature_failure_window_minutes"
        case prepareBacklogMinutes = "prepare_backlog_minutes"
        case deliverySLO = "delivery_slo"
        case errorSpike = "error_spike"
    }

    public init() {}

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        webhookURL = try c.decodeIfPresent(String.self, forKey: .webhookURL).flatMap { $0.isEmpty ? nil : $0 }
        sinks = try c.decodeIfPresent([AlertSinkConfig].self, forKey: .sinks) ?? []
        instanceName = try c.decodeIfPresent(String.self, forKey: .instanceName).flatMap { $0.isEmpty ? nil : $0 }
        checkIntervalSeconds = try c.decodeIfPresent(Double.self, forKey: .checkIntervalSeconds) ?? checkIntervalSeconds
        deadLetterThreshold = try c.decodeIfPresent(Int.self, forKey: .deadLetterThreshold) ?? deadLetterThreshold
        oldestUndeliveredMinutes = try c.decodeIfPresent(Double.self, forKey: .oldestUndeliveredMinutes) ?? oldestUndeliveredMinutes
        clearAfterMinutes = try c.decodeIfPresent(Double.self, forKey: .clearAfterMinutes) ?? clearAfterMinutes
        signatureFailureThreshold = try c.decodeIfPresent(Int.self, forKey: .signatureFailureThreshold) ?? signatureFailureThreshold
        signatureFailureWindowMinutes =
            try c.decodeIfPresent(Double.self, forKey: .signatureFailureWindowMinutes) ?? signatureFailureWindowMinutes
        prepareBacklogMinutes = try c.decodeIfPresent(Double.self, forKey: .prepareBacklogMinutes) ?? prepareBacklogMinutes
        deliverySLO = try c.decodeIfPresent(DeliverySLOConfig.self, forKey: .deliverySLO) ?? deliverySLO
        errorSpike = try c.decodeIfPresent(ErrorSpikeConfig.self, forKey: .errorSpike) ?? errorSpike
    }

    /// The alert policy these settings describe (validated by the config loader).
    public var policy: AlertPolicy {
        let configuration = (try? AlertPolicy.Configuration(
            deadLetterThreshold: deadLetterThreshold, oldestUndeliveredThreshold: .seconds(Int64(oldestUndeliveredMinutes * 60)),
            clearAfter: .milliseconds(Int64(clearAfterMinutes * 60_000)))) ?? .standard
        return AlertPolicy(configuration: configuration)
    }
}
