import BridgeCore

/// Reads a Pinterest Conversions API answer (`docs/destinations/pinterest.md`
/// §5, OpenAPI `events/create`). Pinterest judges each event: the 200 answer
/// (`ConversionApiResponse`) lists one `{status, error_message,
/// warning_message}` per event, in request order; errors use the envelope
/// `{"code": n, "message": "…"}` (`DetailedError` adds `details`).
///
/// | answer | verdict |
/// |---|---|
/// | 2xx, every `events[i].status` `processed` | `delivered` |
/// | 2xx, some `events[i].status` `failed` | `partial`: `processed` delivered, `failed` dead-lettered (`invalid_parameters`) with its `error_message` |
/// | 2xx, no `events` list but `num_events_processed` ≥ items | `delivered` |
/// | 2xx, otherwise unreadable | `retry` (`unexpected_response`; Pinterest deduplicates on `event_id`) |
/// | 422 `DetailedError` whose `details` holds the per-event list | `partial`: `processed` delivered; `failed` with an `error_message` dead-lettered; `failed` without one (refused only because of another event) retried |
/// | 422 whose `details` or `message` names an event (`data[3]`, `events[3]`, `index: 3`) | `deadLetter(invalid_parameters, suspectIndex: 3)`: the pipeline resends the rest and isolates the suspect |
/// | 422 otherwise | `deadLetter(invalid_parameters)` (bisected when the batch has several events) |
/// | any status with `code: 8` (rate limit), HTTP 429 | `throttled(after: Retry-After)` |
/// | 401 (`code: 2`), 403 (`code: 29`) | `authFailure`: dead letter `auth_failed`, destination paused |
/// | 400 (`code: 4196`), other 4xx | `deadLetter(invalid_parameters)`, platform code = `code` (413: `payload_too_large`) |
/// | 503 (`code: 4197`, endpoint ramped down), other 5xx, 408 | `retry(after: Retry-After)` |
///
/// Messages are built from Pinterest's `code` and `message` (and each
/// event's `error_message`), passed through `ResponseSummary` (personal data
/// redacted, at most 300 characters). `warning_message`s do not change the
/// verdict.
extension PinterestDestination {
    /// The longest message a verdict carries.
    static let messageLimit = 300
    /// Pinterest's rate-limit error code.
    static let rateLimitCode = 8

    public func classify(_ reply: HTTPReply, itemCount: Int, now: Timestamp) -> DeliveryVerdict {
        let json = try? JSONParser.parse(reply.body)
        let after = reply.headers["retry-after"].flatMap { RetryAfter.parse($0, now: now) }
        let code = json?["code"]?.scalarText.flatMap { Int($0) }
        let platformCode = code.map(String.init) ?? String(reply.status)
        let message = Self.summary(code: code, status: reply.status, message: json?["message"]?.nonBlankString)
        if reply.status == 429 || code == Self.rateLimitCode { return .throttled(after: after) }
        switch reply.status {
        case 200..<300:
            if let events = json?["events"]?.arrayValue {
                return Self.perEvent(events, itemCount: itemCount, collateralIsRetried: false)
            }
            if let processed = json?["num_events_processed"]?.scalarText.flatMap({ Int($0) }), processed >= itemCount {
                return .delivered
            }
            return .retry(
                after: after, reason: .platformTransient(code: "unexpected_response", message: "HTTP \(reply.status) without per-event results"))
        case 401, 403:
            return .authFailure(message: message)
        case 422:
            let details = json?["details"]
            if let events = details?["events"]?.arrayValue ?? details?["data"]?.arrayValue, !events.isEmpty {
                return Self.perEvent(events, itemCount: itemCount, collateralIsRetried: true)
            }
            let named = details.flatMap { Self.namedIndex(in: JSONWriter.string($0)) }
                ?? json?["message"]?.stringValue.flatMap { Self.namedIndex(in: $0) }
            let suspect = named.flatMap { (0..<itemCount).contains($0) ? $0 : nil }
            return .deadLetter(DeadLetterReason(code: .invalidParameters, message: message, platformCode: platformCode, suspectIndex: suspect))
        case 408, 500..<600:
            return .retry(after: after, reason: code.map { .platformTransient(code: String($0), message: message) } ?? .httpStatus(reply.status))
        case 413:
            return .deadLetter(DeadLetterReason(code: .payloadTooLarge, message: message, platformCode: platformCode))
        case 400..<500:
            return .deadLetter(DeadLetterReason(code: .invalidParameters, message: message, platformCode: platformCode))
        default:
            return .retry(after: after, reason: .httpStatus(reply.status))
        }
    }

    /// One verdict per event from Pinterest's `events` list (request order).
    /// - Parameter collateralIsRetried: In a 422, a `failed` event without
    ///   an `error_message` was refused only because another event was bad:
    ///   retry it alone. In a 2xx every `failed` event is final.
    static func perEvent(_ events: [JSONValue], itemCount: Int, collateralIsRetried: Bool) -> DeliveryVerdict {
        var failures: [Int: ItemVerdict] = [:]
        for index in 0..<itemCount {
            guard let result = events.indices.contains(index) ? events[index] : nil else {
                // Pinterest answered for fewer events than sent: try the rest again.
                failures[index] = .retry(.platformTransient(code: "missing_event_result", message: "Pinterest returned no result for this event"))
                continue
            }
            let status = result["status"]?.stringValue?.lowercased()
            if status == "processed" { continue }
            let errorText = result["error_message"]?.nonBlankString
            if errorText == nil, collateralIsRetried {
                failures[index] = .retry(.platformTransient(code: "not_processed", message: "Pinterest did not process this event because of another event"))
                continue
            }
            let text = errorText ?? "event \(status ?? "not processed") without an error message"
            let message = ResponseSummary.make(body: Array("Pinterest: \(text)".utf8), limit: messageLimit)
            failures[index] = .deadLetter(DeadLetterReason(code: .invalidParameters, message: message, platformCode: status ?? "failed"))
        }
        return .partial(itemCount: itemCount, failures: failures)
    }

    /// `Pinterest <code>: <message>`, summarized.
    static func summary(code: Int?, status: Int, message: String?) -> String {
        let label = code.map { "Pinterest \($0)" } ?? "Pinterest HTTP \(status)"
        let text = message.map { "\(label): \($0)" } ?? label
        return ResponseSummary.make(body: Array(text.utf8), limit: messageLimit)
    }

    /// An event index named in an error text: `data[3]`, `events[3]`,
    /// `data.3`, `"index": 3`, `index 3` (the leftmost one), or `nil`.
    static func namedIndex(in text: String) -> Int? {
        NamedIndex.first(in: text, after: ["data[", "events[", "data.", "events.", "index\":", "index:", "index "])
    }
}
