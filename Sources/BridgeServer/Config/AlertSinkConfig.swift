import BridgeCore

/// One entry of `alerts.sinks:` — a place alerts are posted to.
///
/// ```yaml
/// sinks:
///   - {name: ops-slack, kind: slack, url: "${SLACK_ALERT_WEBHOOK_URL}"}
///   - {name: ops-teams, kind: teams, url: "${TEAMS_ALERT_WORKFLOW_URL}"}
///   - {name: pager, kind: webhook, url: "https://hooks.example.com/capi", secret: "${ALERT_WEBHOOK_SECRET}"}
/// ```
public struct AlertSinkConfig: Sendable {
    /// A metrics label and log field (default `<kind>` or `<kind>-<n>`).
    public var name: String?
    /// `slack`, `teams` or `webhook`.
    public var kind: String
    /// The sink's URL: a secret for Slack and Teams (it is the credential).
    public var url: String
    /// `webhook` only: the Standard Webhooks signing secret (`whsec_` + base64).
    public var secret: String?
    /// Plain `http://` to a host other than loopback (off by default).
    public var allowInsecure = false
    /// Deadline of one request (default 10 s).
    public var timeoutSeconds: Double = 10

    public init(name: String? = nil, kind: String, url: String, secret: String? = nil) {
        self.name = name
        self.kind = kind
        self.url = url
        self.secret = secret
    }

    /// A missing `kind` or `url` is a problem and reads as empty (so later
    /// entries keep their indices; validation does not repeat it).
    init(_ reader: ConfigReader, problems: inout [ConfigProblem]) {
        var reader = reader
        name = reader.text("name", problems: &problems).flatMap { $0.isEmpty ? nil : $0 }
        kind = reader.string("kind", required: true, problems: &problems) ?? ""
        url = reader.string("url", required: true, problems: &problems) ?? ""
        secret = reader.text("secret", problems: &problems).flatMap { $0.isEmpty ? nil : $0 }
        allowInsecure = reader.bool("allow_insecure", problems: &problems) ?? false
        timeoutSeconds = reader.number("timeout_seconds", problems: &problems) ?? timeoutSeconds
        reader.rejectUnknown(problems: &problems)
    }

    /// The decoded key of a `whsec_` secret; `nil` when absent or malformed.
    var signingKey: [UInt8]? {
        guard let secret, secret.hasPrefix("whsec_") else { return nil }
        return SignatureSupport.decodeBase64(String(secret.dropFirst(6))).flatMap { $0.isEmpty ? nil : $0 }
    }
}
