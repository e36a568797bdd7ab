/// A one-off message for the operator (a privacy request to answer), as
/// opposed to an `Alert`, which starts and clears with a condition. Posted to
/// the same Slack-compatible webhook. Its detail is made of counts,
/// configured names and platform request ids, never personal data.
public struct OperatorNotice: Sendable, Hashable {
    /// A short title (`Privacy data request`).
    public var title: String
    /// What it concerns, by configured name (`source shop-eu`).
    public var subject: String
    public var detail: String
    public var at: Timestamp

    public init(title: String, subject: String, detail: String, at: Timestamp) {
        self.title = title
        self.subject = subject
        self.detail = detail
        self.at = at
    }

    /// The body to post: `{"text", "blocks": [header, section, context]}`,
    /// laid out like `SlackAlertMessage` (and escaped the same way).
    public var slackJSON: JSONValue {
        let headline = ":envelope_with_arrow: \(title): \(subject)"
        return .object([
            "text": .string("capi-bridge: " + SlackAlertMessage.escape(headline) + " — " + SlackAlertMessage.escape(detail)),
            "blocks": .array([
                .object([
                    "type": .string("header"),
                    "text": .object(["type": .string("plain_text"), "text": .string(String(headline.prefix(150)))]),
                ]),
                .object([
                    "type": .string("section"),
                    "text": .object([
                        "type": .string("mrkdwn"), "text": .string("*\(title)* for *\(SlackAlertMessage.escape(subject))*\n\(SlackAlertMessage.escape(detail))"),
                    ]),
                ]),
                .object([
                    "type": .string("context"),
                    "elements": .array([.object(["type": .string("mrkdwn"), "text": .string("capi-bridge · \(at.rfc3339)")])]),
                ]),
            ]),
        ])
    }
}
