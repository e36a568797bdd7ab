import BridgeCore

/// Reads a Conversions API answer (`docs/destinations.md`). Meta
/// accepts or refuses a batch whole and signals throttling with Graph error
/// codes whatever the HTTP status, so the body's `error` envelope is read
/// first and the status only when there is none.
///
/// | answer | verdict |
/// |---|---|
/// | 2xx, `events_received` ≥ items | `delivered` |
/// | 2xx, `events_received` < items, or no `events_received` | `retry` (the whole batch again; Meta deduplicates on `event_id`, so nothing is counted twice) |
/// | code 190 (any subcode), 102, 104; subcodes 458–467 | `authFailure`: dead letter `auth_failed`, destination paused |
/// | code 10, 200–299, or 100 with subcode 33 | `authFailure` too: a permission or wrong-pixel problem only an operator can fix; pausing avoids bisecting and dead-lettering every event one by one |
/// | code 4, 17, 32, 613, 80004 | `throttled(after:)` |
/// | code 341, 368 | `throttled(after:)`, at least 15 min ("retry with long backoff") |
/// | code 1, 2, or `is_transient: true` | `retry(reason: .platformTransient)` |
/// | code 100, subcode 2804003 | `deadLetter(event_too_old)` (bisected when the batch has several events) |
/// | code 100, other subcodes (2804xxx …) | `deadLetter(invalid_parameters)`: the pipeline bisects a batch of several events to isolate the bad one |
/// | other code, HTTP 5xx | `retry` |
/// | other code, HTTP 4xx | `deadLetter(invalid_parameters)` |
/// | no envelope | `DeliveryVerdict.classify(status:…)`: 429 throttled, 5xx/408 retry, 401/403 auth, other 4xx dead letter |
///
/// `after` is the later of `Retry-After` and the largest
/// `estimated_time_to_regain_access` (minutes) in `X-Business-Use-Case-Usage`
/// or `X-App-Usage`. Messages are built from Meta's `message`,
/// `error_user_title` and `error_user_msg`, passed through `ResponseSummary`
/// (personal data redacted, at most 300 characters).
extension MetaDestination {
    /// The shortest hold for codes 341 and 368, which Meta documents as
    /// "retry with long backoff".
    static let longBackoff: Duration = .seconds(15 * 60)
    /// The longest message a verdict carries.
    static let messageLimit = 300

    public func classify(_ reply: HTTPReply, itemCount: Int, now: Timestamp) -> DeliveryVerdict {
        let json = try? JSONParser.parse(reply.body)
        let after = Self.holdUntil(reply.headers, now: now)
        if let error = json?["error"], case .object = error {
            return Self.classify(GraphError(error), status: reply.status, after: after, now: now)
        }
        switch reply.status {
        case 200..<300:
            guard let text = json?["events_received"]?.scalarText, let received = Int(text) else {
                return .retry(after: after, reason: .platformTransient(code: "unexpected_response", message: "HTTP \(reply.status) without events_received"))
            }
            if received >= itemCount { return .delivered }
            return .retry(
                after: after, reason: .platformTransient(code: "events_received", message: "Meta acknowledged \(received) of \(itemCount) events"))
        case 429:
            return .throttled(after: after)
        case 500..<600:
            return .retry(after: after, reason: .httpStatus(reply.status))
        default:
            let summary = ResponseSummary.make(body: reply.body, limit: Self.messageLimit)
            return DeliveryVerdict.classify(status: reply.status, retryAfter: reply.headers["retry-after"], bodySummary: summary, now: now)
        }
    }

    /// The fields of a Graph API error envelope the verdict depends on.
    struct GraphError {
        var code: Int?
        var subcode: Int?
        var isTransient: Bool
        /// `code/subcode`, `code`, or `unknown`.
        var platformCode: String
        /// Type, message, title and user message, summarized.
        var message: String

        init(_ json: JSONValue) {
            code = json["code"]?.scalarText.flatMap { Int($0) }
            subcode = json["error_subcode"]?.scalarText.flatMap { Int($0) }
            isTransient = json["is_transient"]?.boolValue ?? false
            switch (code, subcode) {
            case (let code?, let subcode?): platformCode = "\(code)/\(subcode)"
            case (let code?, nil): platformCode = String(code)
            default: platformCode = "unknown"
            }
            let parts = ["type", "message", "error_user_title", "error_user_msg"].compactMap { json[$0]?.nonBlankString }
            var seen: Set<String> = []
            let text = parts.filter { seen.insert($0).inserted }.joined(separator: " | ")
            message = ResponseSummary.make(body: Array("Meta \(platformCode): \(text)".utf8), limit: MetaDestination.messageLimit)
        }
    }

    static func classify(_ error: GraphError, status: Int, after: Timestamp?, now: Timestamp) -> DeliveryVerdict {
        let code = error.code ?? -1
        let subcode = error.subcode ?? -1
        if [190, 102, 104].contains(code) || (458...467).contains(subcode) {
            return .authFailure(message: error.message)
        }
        if code == 10 || (200...299).contains(code) || (code == 100 && subcode == 33) {
            return .authFailure(message: error.message)
        }
        if [4, 17, 32, 613, 80004].contains(code) {
            return .throttled(after: after)
        }
        if [341, 368].contains(code) {
            let floor = now.advanced(by: longBackoff)
            return .throttled(after: max(after ?? floor, floor))
        }
        if [1, 2].contains(code) || error.isTransient {
            return .retry(after: after, reason: .platformTransient(code: error.platformCode, message: error.message))
        }
        if code == 100 {
            let reason: DeadLetterReason.Code = subcode == 2_804_003 ? .eventTooOld : .invalidParameters
            return .deadLetter(DeadLetterReason(code: reason, message: error.message, platformCode: error.platformCode))
        }
        if (500..<600).contains(status) || status == 429 {
            return .retry(after: after, reason: .platformTransient(code: error.platformCode, message: error.message))
        }
        return .deadLetter(DeadLetterReason(code: .invalidParameters, message: error.message, platformCode: error.platformCode))
    }

    /// The later of `Retry-After` and the usage headers' estimated time to
    /// regain access; `nil` when neither says anything.
    static func holdUntil(_ headers: [String: String], now: Timestamp) -> Timestamp? {
        var hold = headers["retry-after"].flatMap { RetryAfter.parse($0, now: now) }
        var minutes: Int64 = 0
        for name in ["x-business-use-case-usage", "x-app-usage", "x-ad-account-usage"] {
            guard let text = headers[name], let json = try? JSONParser.parse(text) else { continue }
            minutes = max(minutes, largestRegainEstimate(in: json))
        }
        if minutes > 0 {
            let usageHold = now.advanced(by: .seconds(min(minutes, 24 * 60) * 60))
            hold = max(hold ?? usageHold, usageHold)
        }
        return hold
    }

    /// The largest `estimated_time_to_regain_access` anywhere in a usage header.
    static func largestRegainEstimate(in json: JSONValue, depth: Int = 0) -> Int64 {
        guard depth < 8 else { return 0 }
        switch json {
        case .object(let members):
            var largest = members["estimated_time_to_regain_access"]?.scalarText.flatMap { Int64($0) } ?? 0
            for (_, value) in members { largest = max(largest, largestRegainEstimate(in: value, depth: depth + 1)) }
            return largest
        case .array(let elements):
            return elements.map { largestRegainEstimate(in: $0, depth: depth + 1) }.max() ?? 0
        default:
            return 0
        }
    }
}
