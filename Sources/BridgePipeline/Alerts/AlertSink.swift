import BridgeCore

/// One place alerts are posted to: a Slack-compatible incoming webhook, a
/// Microsoft Teams Workflows webhook (Adaptive Card), or a generic JSON
/// webhook signed per Standard Webhooks. Its URL and signing key are
/// secrets (a Slack or Teams URL is itself the credential): they are never
/// logged, and `description` names only the sink.
public struct AlertSink: Sendable, CustomStringConvertible {
    /// The message format and signing.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// `SlackAlertMessage` (`text` + Block Kit blocks).
        case slack
        /// `TeamsAlertMessage` (a `message` with one Adaptive Card).
        case teams
        /// `AlertWebhookMessage`, signed (`webhook-id`, `webhook-timestamp`, `webhook-signature`).
        case webhook
    }

    /// The configured name (a metrics label and log field).
    public let name: String
    public let kind: Kind
    let url: String
    /// The decoded signing secret (`whsec_…`) of a `webhook` sink.
    let signingKey: [UInt8]?
    /// The deadline of one request.
    public let timeout: Duration

    /// - Parameters:
    ///   - url: checked by the caller against `OutboundURLPolicy`.
    ///   - signingKey: required for `.webhook`, ignored otherwise.
    public init(name: String, kind: Kind, url: String, signingKey: [UInt8]? = nil, timeout: Duration = .seconds(10)) {
        self.name = name
        self.kind = kind
        self.url = url
        self.signingKey = signingKey
        self.timeout = timeout
    }

    public var description: String { "\(kind.rawValue) alert sink \(name)" }

    /// The body and headers to post for `action`, at `at` (the signature's timestamp).
    func message(for action: AlertAction, instance: String?, at: Timestamp) -> (body: [UInt8], headers: [(name: String, value: String)]) {
        switch kind {
        case .slack:
            return (SlackAlertMessage(action, instance: instance).body, [])
        case .teams:
            return (TeamsAlertMessage(action, instance: instance).body, [])
        case .webhook:
            let message = AlertWebhookMessage(action, instance: instance)
            return (message.body, message.signatureHeaders(key: signingKey ?? [], timestamp: at))
        }
    }
}
