import BridgeCore

/// Reads a Reddit Conversions API v3 answer (`docs/destinations/reddit.md`;
/// Reddit's v3 error table). Reddit takes or refuses a request whole: one
/// invalid event and "None were processed", with the bad events echoed in
/// `invalid_events` (`[{"error_message": "…", "event": {…}}]`). Other
/// errors come as `{"error": {"code", "message"}}`,
/// `{"error": {"reason", "explanation"}}`, `{"message": "…"}` or plain text.
///
/// | answer | verdict |
/// |---|---|
/// | 2xx without `invalid_events` (`{"data": {"message": "Successfully processed N conversion events."}}`) | `delivered` |
/// | 400 (or a 2xx) with `invalid_events` | `deadLetter(invalid_parameters)` with the first `error_message`; `event_too_old` when it says `must be less than 168h0m0s old`. `suspectIndex` when the answer names an index (`"index": 3`, `events[3]`): the pipeline resends the others and isolates the suspect; otherwise (Reddit's documented answer echoes the event without its position) the batch is bisected |
/// | 400 `Bad Request` (more than 1,000 events), other 400s | `deadLetter(invalid_parameters)` (bisected) |
/// | 401 (`No bearer token provided`, `UNAUTHORIZED`, `Authorization Required`), 403 (`not authorized to post conversions to Pixel ID`, missing `adsconversions` scope) | `authFailure`: dead letter `auth_failed`, destination paused |
/// | 429 (rate limit, or "your user agent was automatically ratelimited") | `throttled(after: Retry-After)` |
/// | 500 ("The service is currently unavailable. No conversion events were processed."), other 5xx, 408 | `retry(after: Retry-After)` |
/// | 413 | `deadLetter(payload_too_large)` |
/// | other 4xx | `deadLetter(invalid_parameters)` |
///
/// Messages are Reddit's texts passed through `ResponseSummary` (personal
/// data redacted, at most 300 characters): the echoed events are never
/// copied into a message.
extension RedditDestination {
    /// The longest message a verdict carries.
    static let messageLimit = 300

    public func classify(_ reply: HTTPReply, itemCount: Int, now: Timestamp) -> DeliveryVerdict {
        let json = try? JSONParser.parse(reply.body)
        let after = reply.headers["retry-after"].flatMap { RetryAfter.parse($0, now: now) }
        let invalidEvents = json?["invalid_events"]?.arrayValue ?? json?["data"]?["invalid_events"]?.arrayValue ?? []
        if !invalidEvents.isEmpty, (200..<300).contains(reply.status) || reply.status == 400 || reply.status == 422 {
            return .deadLetter(Self.invalidEventsReason(invalidEvents, json: json, status: reply.status, itemCount: itemCount))
        }
        let message = Self.message(json, body: reply.body, status: reply.status)
        switch reply.status {
        case 200..<300:
            return .delivered
        case 401, 403:
            return .authFailure(message: message)
        case 429:
            return .throttled(after: after)
        case 408, 500..<600:
            return .retry(after: after, reason: .httpStatus(reply.status))
        case 413:
            return .deadLetter(DeadLetterReason(code: .payloadTooLarge, message: message, platformCode: String(reply.status)))
        case 400..<500:
            let suspect = Self.namedIndex(in: message).flatMap { (0..<itemCount).contains($0) ? $0 : nil }
            let code: DeadLetterReason.Code = message.contains("168h") ? .eventTooOld : .invalidParameters
            return .deadLetter(DeadLetterReason(code: code, message: message, platformCode: String(reply.status), suspectIndex: suspect))
        default:
            return .retry(after: after, reason: .httpStatus(reply.status))
        }
    }

    /// The reason for a request refused for its `invalid_events`: the first
    /// error message, and the first index the answer names, if any.
    static func invalidEventsReason(_ invalidEvents: [JSONValue], json: JSONValue?, status: Int, itemCount: Int) -> DeadLetterReason {
        let first = invalidEvents[0]
        let errorText = first["error_message"]?.nonBlankString ?? first["message"]?.nonBlankString ?? "invalid event"
        let headline = json?["message"]?.nonBlankString ?? json?["data"]?["message"]?.nonBlankString
        let text = ["Reddit", headline, errorText].compactMap { $0 }.joined(separator: ": ")
        var suspect: Int?
        for entry in invalidEvents {
            let explicit = ["index", "event_index"].lazy.compactMap { entry[$0]?.scalarText.flatMap { Int($0) } }.first
            let named = explicit ?? (entry["error_message"]?.stringValue).flatMap { namedIndex(in: $0) }
            if let named, (0..<itemCount).contains(named) {
                suspect = named
                break
            }
        }
        let code: DeadLetterReason.Code = errorText.contains("168h") ? .eventTooOld : .invalidParameters
        return DeadLetterReason(
            code: code, message: ResponseSummary.make(body: Array(text.utf8), limit: messageLimit), platformCode: String(status),
            suspectIndex: suspect)
    }

    /// Reddit's explanation from any of its error shapes, or the body as
    /// text, summarized: `Reddit HTTP <status>: <text>`.
    static func message(_ json: JSONValue?, body: [UInt8], status: Int) -> String {
        var parts: [String] = []
        if let error = json?["error"] {
            if let text = error.nonBlankString { parts.append(text) }
            for key in ["reason", "message", "explanation"] {
                if let text = error[key]?.nonBlankString { parts.append(text) }
            }
        }
        if let text = json?["message"]?.nonBlankString ?? json?["data"]?["message"]?.nonBlankString { parts.append(text) }
        let detail: String
        if !parts.isEmpty {
            detail = parts.joined(separator: " | ")
        } else if json == nil {
            detail = String(decoding: body.prefix(1024), as: UTF8.self)
        } else {
            detail = ""
        }
        let text = detail.isEmpty ? "Reddit HTTP \(status)" : "Reddit HTTP \(status): \(detail)"
        return ResponseSummary.make(body: Array(text.utf8), limit: messageLimit)
    }

    /// An event index named in an error text: `events[3]`, `events.3`,
    /// `"index": 3`, `index 3` (the leftmost one), or `nil`.
    static func namedIndex(in text: String) -> Int? {
        NamedIndex.first(in: text, after: ["events[", "events.", "index\":", "index:", "index "])
    }
}
