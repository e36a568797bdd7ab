import BridgeCore

/// `alerts:` — where operator alerts go and when they fire (`docs/alerts.md`).
public struct AlertsConfig: Sendable {
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

    public init() {}

    init(_ reader: ConfigReader, problems: inout [ConfigProblem]) {
        var reader = reader
        webhookURL = reader.text("webhook_url", problems: &problems).flatMap { $0.isEmpty ? nil : $0 }
        sinks = reader.entries("sinks", problems: &problems)?.map { AlertSinkConfig($0, problems: &problems) } ?? []
        instanceName = reader.text("instance_name", problems: &problems).flatMap { $0.isEmpty ? nil : $0 }
        checkIntervalSeconds = reader.number("check_interval_seconds", problems: &problems) ?? checkIntervalSeconds
        deadLetterThreshold = reader.integer("dead_letter_threshold", problems: &problems) ?? deadLetterThreshold
        oldestUndeliveredMinutes = reader.number("oldest_undelivered_minutes", problems: &problems) ?? oldestUndeliveredMinutes
        clearAfterMinutes = reader.number("clear_after_minutes", problems: &problems) ?? clearAfterMinutes
        signatureFailureThreshold = reader.integer("signature_failure_threshold", problems: &problems) ?? signatureFailureThreshold
        signatureFailureWindowMinutes = reader.number("signature_failure_window_minutes", problems: &problems) ?? signatureFailureWindowMinutes
        prepareBacklogMinutes = reader.number("prepare_backlog_minutes", problems: &problems) ?? prepareBacklogMinutes
        deliverySLO = reader.section("delivery_slo", problems: &problems).map { DeliverySLOConfig($0, problems: &problems) } ?? deliverySLO
        errorSpike = reader.section("error_spike", problems: &problems).map { ErrorSpikeConfig($0, problems: &problems) } ?? errorSpike
        reader.rejectUnknown(problems: &problems)
    }

    /// The alert policy these settings describe (validated by the config loader).
    public var policy: AlertPolicy {
        let configuration = (try? AlertPolicy.Configuration(
            deadLetterThreshold: deadLetterThreshold, oldestUndeliveredThreshold: .seconds(Int64(oldestUndeliveredMinutes * 60)),
            clearAfter: .milliseconds(Int64(clearAfterMinutes * 60_000)))) ?? .standard
        return AlertPolicy(configuration: configuration)
    }
}
