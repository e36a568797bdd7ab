import BridgeCore

/// One entry of `alerts.sinks:` — a place alerts are posted to.
///
/// ```yaml
/// sinks:
///   - {name: ops-slack, kind: slack, url: "${SLACK_ALERT_WEBHOOK_URL}"}
///   - {name: ops-teams, kind: teams, url: "${TEAMS_ALERT_WORKFLOW_URL}"}
///   - {name: pager, kind: webhook, url: "https://hooks.example.com/capi", secret: "${ALERT_WEBHOOK_SECRET}"}
/// ```
public struct AlertSinkConfig: Sendable, Decodable {
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

    enum CodingKeys: String, CodingKey, CaseIterable {
        case name, kind, url, secret
        case allowInsecure = "allow_insecure"
        case timeoutSeconds = "timeout_seconds"
    }

    public init(name: String? = nil, kind: String, url: String, secret: String? = nil) {
        self.name = name
        self.kind = kind
        self.url = url
        self.secret = secret
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decodeIfPresent(String.self, forKey: .name).flatMap { $0.isEmpty ? nil : $0 }
        kind = try c.decode(String.self, forKey: .kind)
        url = try c.decode(String.self, forKey: .url)
        secret = try c.decodeIfPresent(String.self, forKey: .secret).flatMap { $0.isEmpty ? nil : $0 }
        allowInsecure = try c.decodeIfPresent(Bool.self, forKey: .allowInsecure) ?? false
        timeoutSeconds = try c.decodeIfPresent(Double.self, forKey: .timeoutSeconds) ?? timeoutSeconds
    }

    /// The decoded key of a `whsec_` secret; `nil` when absent or malformed.
    var signingKey: [UInt8]? {
        guard let secret, secret.hasPrefix("whsec_") else { return nil }
        return SignatureSupport.decodeBase64(String(secret.dropFirst(6))).flatMap { $0.isEmpty ? nil : $0 }
    }
}
