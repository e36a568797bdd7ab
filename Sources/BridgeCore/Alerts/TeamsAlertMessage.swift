/// The body posted to a Microsoft Teams Workflows webhook ("Post to a
/// channel when a webhook request is received") for one alert: a `message`
/// whose one attachment is an Adaptive Card, the only format Workflows
/// accepts (the legacy `MessageCard` of Office 365 connectors is refused):
///
/// ```json
/// {"type": "message",
///  "attachments": [{"contentType": "application/vnd.microsoft.card.adaptive",
///                   "contentUrl": null,
///                   "content": {"$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
///                               "type": "AdaptiveCard", "version": "1.4", "body": [...]}}]}
/// ```
///
/// The card holds a headline (red while raised, green once resolved), the
/// detail, and a fact set (condition, subject, since, instance): only
/// configured names, counts, durations and thresholds, never personal data.
public struct TeamsAlertMessage: Sendable, Hashable {
    /// The JSON document to post.
    public let json: JSONValue

    /// The Adaptive Card schema version used: 1.4 renders in every Teams
    /// client (desktop, web, mobile).
    public static let cardVersion = "1.4"

    /// - Parameters:
    ///   - action: The alert to announce or resolve.
    ///   - instance: An optional name for this bridge, shown as a fact.
    public init(_ action: AlertAction, instance: String? = nil) {
        let alert = action.alert
        let subject = alert.subject
        var headline: String
        var color: String
        var text: String
        var facts: [(String, String)] = [
            ("Condition", alert.condition.rawValue),
            (Self.factTitle(subject.kind), subject.name),
            ("Since", alert.startedAt.rfc3339),
        ]
        switch action {
        case .raise:
            headline = "\u{1F6A8} \(alert.condition.title): \(subject.name)"
            color = "Attention"
            text = alert.detail
        case .resolve(_, let at):
            headline = "\u{2705} Resolved: \(alert.condition.title): \(subject.name)"
            color = "Good"
            text = "Cleared after \(AlertText.roughAge(at.duration(since: alert.startedAt))). Was: \(alert.detail)"
            facts.append(("Resolved", at.rfc3339))
        }
        if let instance { facts.append(("Instance", instance)) }
        headline = String(headline.prefix(200))
        let card: JSONValue = .object([
            "$schema": .string("http://adaptivecards.io/schemas/adaptive-card.json"),
            "type": .string("AdaptiveCard"),
            "version": .string(Self.cardVersion),
            "msteams": .object(["width": .string("Full")]),
            "body": .array([
                .object([
                    "type": .string("TextBlock"), "size": .string("Large"), "weight": .string("Bolder"), "color": .string(color),
                    "wrap": .bool(true), "text": .string(headline),
                ]),
                .object(["type": .string("TextBlock"), "wrap": .bool(true), "text": .string(text)]),
                .object([
                    "type": .string("FactSet"),
                    "facts": .array(facts.map { .object(["title": .string($0.0), "value": .string($0.1)]) }),
                ]),
                .object([
                    "type": .string("TextBlock"), "isSubtle": .bool(true), "size": .string("Small"), "wrap": .bool(true),
                    "text": .string("capi-bridge"),
                ]),
            ]),
        ])
        json = .object([
            "type": .string("message"),
            "attachments": .array([
                .object([
                    "contentType": .string("application/vnd.microsoft.card.adaptive"),
                    "contentUrl": .null,
                    "content": card,
                ])
            ]),
        ])
    }

    static func factTitle(_ kind: AlertSubject.Kind) -> String {
        switch kind {
        case .destination: return "Destination"
        case .source: return "Source"
        case .pipeline: return "Scope"
        }
    }

    /// The UTF-8 body to post with `Content-Type: application/json`.
    public var body: [UInt8] { JSONWriter.bytes(json) }
}
