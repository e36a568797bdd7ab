/// The body posted to a Slack-compatible incoming webhook for one alert:
/// `{"text": …, "blocks": [header, section, context]}`. `text` is the
/// notification fallback; the blocks are what Slack shows.
///
/// Holds only the subject's configured name, the condition, counts,
/// durations, thresholds and timestamps: `Alert.detail` is built without
/// personal data, and `&`, `<`, `>` are escaped as Slack requires.
public struct SlackAlertMessage: Sendable, Hashable {
    /// The JSON document to post.
    public let json: JSONValue

    /// - Parameters:
    ///   - action: The alert to announce or resolve.
    ///   - instance: An optional name for this bridge (host, environment),
    ///     shown in the context line.
    public init(_ action: AlertAction, instance: String? = nil) {
        let alert: Alert
        let headline: String
        let lines: [String]
        switch action {
        case .raise(let raised):
            alert = raised
            headline = ":rotating_light: \(alert.condition.title): \(alert.destination)"
            lines = ["*\(alert.condition.title)* for \(Self.subjectText(alert.subject))", Self.escape(alert.detail)]
        case .resolve(let resolved, let at):
            alert = resolved
            headline = ":white_check_mark: Resolved: \(alert.condition.title): \(alert.destination)"
            lines = [
                "*Resolved:* \(alert.condition.title) for \(Self.subjectText(alert.subject))",
                "lasted \(AlertText.roughAge(at.duration(since: alert.startedAt)))",
            ]
        }
        var context = "capi-bridge · `\(alert.condition.rawValue)` · since \(alert.startedAt.rfc3339)"
        if let instance { context += " · \(Self.escape(instance))" }
        let text = "capi-bridge: " + Self.escape(headline) + " — " + Self.escape(alert.detail)
        json = .object([
            "text": .string(text),
            "blocks": .array([
                .object([
                    "type": .string("header"),
                    "text": .object(["type": .string("plain_text"), "text": .string(String(headline.prefix(150)))]),
                ]),
                .object([
                    "type": .string("section"),
                    "text": .object(["type": .string("mrkdwn"), "text": .string(lines.joined(separator: "\n"))]),
                ]),
                .object([
                    "type": .string("context"),
                    "elements": .array([.object(["type": .string("mrkdwn"), "text": .string(context)])]),
                ]),
            ]),
        ])
    }

    /// The UTF-8 body to post with `Content-Type: application/json`.
    public var body: [UInt8] { JSONWriter.bytes(json) }

    /// `destination *meta*`, `source *shop*`, `the pipeline`, escaped.
    static func subjectText(_ subject: AlertSubject) -> String {
        switch subject {
        case .destination(let name): return "destination *\(escape(name))*"
        case .source(let name): return "source *\(escape(name))*"
        case .pipeline: return "the pipeline"
        }
    }

    /// Slack's three control characters in mrkdwn and text.
    static func escape(_ text: String) -> String {
        var out = ""
        for ch in text {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            default: out.append(ch)
            }
        }
        return out
    }
}
