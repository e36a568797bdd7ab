/// An `OperatorNotice` in the formats of the other alert sinks: a Teams
/// Adaptive Card and a Standard Webhooks JSON event (`operator.notice`),
/// laid out like the alerts they sit beside. Counts and names only.
extension OperatorNotice {
    /// `{"type": "message", "attachments": [Adaptive Card]}` (like `TeamsAlertMessage`).
    public func teamsJSON(instance: String?) -> JSONValue {
        var facts: [(String, String)] = [("Concerns", subject), ("At", at.rfc3339)]
        if let instance { facts.append(("Instance", instance)) }
        let card: JSONValue = .object([
            "$schema": .string("http://adaptivecards.io/schemas/adaptive-card.json"),
            "type": .string("AdaptiveCard"),
            "version": .string(TeamsAlertMessage.cardVersion),
            "msteams": .object(["width": .string("Full")]),
            "body": .array([
                .object([
                    "type": .string("TextBlock"), "size": .string("Large"), "weight": .string("Bolder"), "wrap": .bool(true),
                    "text": .string(String("\u{1F4E8} \(title): \(subject)".prefix(200))),
                ]),
                .object(["type": .string("TextBlock"), "wrap": .bool(true), "text": .string(detail)]),
                .object([
                    "type": .string("FactSet"),
                    "facts": .array(facts.map { .object(["title": .string($0.0), "value": .string($0.1)]) }),
                ]),
            ]),
        ])
        return .object([
            "type": .string("message"),
            "attachments": .array([
                .object(["contentType": .string("application/vnd.microsoft.card.adaptive"), "contentUrl": .null, "content": card])
            ]),
        ])
    }

    /// `{"type": "operator.notice", "timestamp", "data": {title, subject, detail, instance?}}`
    /// and its `webhook-id` (`notice_` and 32 hex digits of its content, the
    /// same for every retry).
    public func webhookMessage(instance: String?) -> (json: JSONValue, id: String) {
        var data: [String: JSONValue] = ["title": .string(title), "subject": .string(subject), "detail": .string(detail)]
        if let instance { data["instance"] = .string(instance) }
        let json: JSONValue = .object(["type": .string("operator.notice"), "timestamp": .string(at.rfc3339), "data": .object(data)])
        let identity = "notice|\(title)|\(subject)|\(at.millisecondsSinceEpoch)"
        return (json, "notice_" + String(SignatureSupport.sha256Hex(Array(identity.utf8)).prefix(32)))
    }
}
