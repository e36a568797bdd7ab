/// The body and identity of an alert posted to a generic JSON webhook, in
/// the shape Standard Webhooks recommends (`type`, `timestamp`, `data`):
///
/// ```json
/// {"type": "alert.raised",
///  "timestamp": "2026-03-14T12:00:00Z",
///  "data": {"condition": "source_silent", "title": "Source silent",
///           "subject": {"kind": "source", "name": "shop"},
///           "started_at": "2026-03-14T12:00:00Z", "resolved_at": null,
///           "detail": "no verified webhook for 7 h 2 min (expected within 6 h); …",
///           "instance": "prod-eu"}}
/// ```
///
/// `type` is `alert.raised` or `alert.resolved`; `timestamp` is when the
/// bridge raised or resolved it. The sender signs the body per Standard
/// Webhooks (`StandardWebhooksSigner`) with `webhook-id` = `id`, which is
/// the same for every retry of the same notification, so a receiver can
/// drop repeats.
public struct AlertWebhookMessage: Sendable, Hashable {
    /// `alert.raised` or `alert.resolved`.
    public let type: String
    /// The JSON document to post.
    public let json: JSONValue
    /// `webhook-id`: `alert_` and 32 hex digits derived from the condition,
    /// subject, start time and kind of notification.
    public let id: String

    /// - Parameters:
    ///   - action: The alert to announce or resolve.
    ///   - instance: An optional name for this bridge.
    public init(_ action: AlertAction, instance: String? = nil) {
        let alert = action.alert
        var data: [String: JSONValue] = [
            "condition": .string(alert.condition.rawValue),
            "title": .string(alert.condition.title),
            "subject": .object(["kind": .string(alert.subject.kind.rawValue), "name": .string(alert.subject.name)]),
            "started_at": .string(alert.startedAt.rfc3339),
            "resolved_at": .null,
            "detail": .string(alert.detail),
        ]
        if let instance { data["instance"] = .string(instance) }
        let at: Timestamp
        switch action {
        case .raise:
            type = "alert.raised"
            at = alert.startedAt
        case .resolve(_, let resolvedAt):
            type = "alert.resolved"
            at = resolvedAt
            data["resolved_at"] = .string(resolvedAt.rfc3339)
        }
        json = .object(["type": .string(type), "timestamp": .string(at.rfc3339), "data": .object(data)])
        let identity = "\(type)|\(alert.condition.rawValue)|\(alert.subject.kind.rawValue)|\(alert.subject.name)|\(alert.startedAt.millisecondsSinceEpoch)"
        id = "alert_" + String(SignatureSupport.sha256Hex(Array(identity.utf8)).prefix(32))
    }

    /// The UTF-8 body to post with `Content-Type: application/json`.
    public var body: [UInt8] { JSONWriter.bytes(json) }

    /// The three Standard Webhooks headers for sending `body` at `timestamp`.
    /// - Parameter key: the decoded signing secret (the bytes after `whsec_`).
    public func signatureHeaders(key: [UInt8], timestamp: Timestamp) -> [(name: String, value: String)] {
        let seconds = timestamp.secondsSinceEpoch
        return [
            ("webhook-id", id),
            ("webhook-timestamp", String(seconds)),
            ("webhook-signature", StandardWebhooksSigner.sign(key: key, id: id, timestamp: seconds, body: body)),
        ]
    }
}
