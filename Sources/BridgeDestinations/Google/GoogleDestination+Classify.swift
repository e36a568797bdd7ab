import BridgeCore

/// Reads a Data Manager `events:ingest` answer (`docs/destinations/google.md`
/// §A5). Ingestion is asynchronous: a 200 means accepted, not matched;
/// event-level processing problems only show up later in
/// `requestStatus:retrieve`. Synchronous errors use Google's error envelope
/// and refuse the whole request; a field violation names the bad event.
///
/// | answer | verdict |
/// |---|---|
/// | 2xx with a JSON body (`requestId`, optional `fieldWarnings`) | `delivered` |
/// | 2xx without a JSON body | `retry` (`unexpected_response`: not Google's answer) |
/// | 401 `UNAUTHENTICATED` | `authFailure` (the pipeline first drops the token and retries once with a fresh one) |
/// | 403 `PERMISSION_DENIED` (terms not signed, not allowlisted, no access) | `authFailure`: destination paused |
/// | 404 `NOT_FOUND` | `authFailure`: the account, conversion action or `base_url` is wrong; only an operator can fix it |
/// | 400 with reason `INVALID_CONVERSION_ACTION_ID`, `TERMS_AND_CONDITIONS_NOT_SIGNED`, `NOT_ALLOWLISTED`, or a violation in `destinations[…]` | `authFailure`: configuration, pausing avoids bisecting every event into the dead letters |
/// | 400 with reason `CONVERSION_ACTION_TOO_RECENTLY_CREATED` | `retry` no earlier than 6 h |
/// | 400 with reason `TOO_MANY_EVENTS` | `deadLetter(payload_too_large)`: the pipeline halves the batch |
/// | 400 `INVALID_ARGUMENT` (other), `FAILED_PRECONDITION`, `OUT_OF_RANGE`, other 4xx | `deadLetter(invalid_parameters)`, `suspectIndex` = the first `events[i]` of the field violations, `platformCode` = the reason |
/// | 429 `RESOURCE_EXHAUSTED` | `throttled(after:)` the later of `Retry-After` and `RetryInfo.retryDelay` |
/// | 500 `INTERNAL`, 503 `UNAVAILABLE`, 504 `DEADLINE_EXCEEDED`, 409 `ABORTED`, `UNKNOWN` | `retry(after:)` |
/// | no envelope | `DeliveryVerdict.classify(status:…)`: 429 throttled, 5xx/408 retry, 401/403 auth, other 4xx dead letter |
extension GoogleDestination {
    /// Reasons that say the destination's configuration, not an event, is wrong.
    static let configurationReasons: Set<String> = ["INVALID_CONVERSION_ACTION_ID", "TERMS_AND_CONDITIONS_NOT_SIGNED", "NOT_ALLOWLISTED"]
    /// Google asks to wait this long after creating a conversion action.
    static let newConversionActionWait: Duration = .seconds(6 * 3600)

    public func classify(_ reply: HTTPReply, itemCount: Int, now: Timestamp) -> DeliveryVerdict {
        let json = try? JSONParser.parse(reply.body)
        let retryAfter = reply.headers["retry-after"].flatMap { RetryAfter.parse($0, now: now) }
        if let envelope = json?["error"], case .object = envelope {
            return Self.classify(GoogleAPIError(envelope, itemsField: "events"), httpStatus: reply.status, retryAfter: retryAfter, now: now)
        }
        if (200..<300).contains(reply.status) {
            guard case .object? = json else {
                return .retry(
                    after: retryAfter, reason: .platformTransient(code: "unexpected_response", message: "HTTP \(reply.status) without a JSON body"))
            }
            return .delivered
        }
        let summary = ResponseSummary.make(body: reply.body, limit: GoogleAPIError.messageLimit)
        return DeliveryVerdict.classify(status: reply.status, retryAfter: reply.headers["retry-after"], bodySummary: summary, now: now)
    }

    /// The verdict for a Google error envelope.
    static func classify(_ error: GoogleAPIError, httpStatus: Int, retryAfter: Timestamp?, now: Timestamp) -> DeliveryVerdict {
        let after = GoogleDestination.later(retryAfter, error.retryDelay.map { now.advanced(by: $0) })
        switch error.status {
        case "UNAUTHENTICATED", "PERMISSION_DENIED", "NOT_FOUND":
            return .authFailure(message: error.message)
        case "RESOURCE_EXHAUSTED":
            return .throttled(after: after)
        case "INTERNAL", "UNAVAILABLE", "DEADLINE_EXCEEDED", "ABORTED", "UNKNOWN":
            return .retry(after: after, reason: .platformTransient(code: error.platformCode, message: error.message))
        default:
            break
        }
        let codes = error.codes
        if !codes.isDisjoint(with: configurationReasons) || error.fieldPaths.contains(where: { $0.hasPrefix("destinations") }) {
            return .authFailure(message: error.message)
        }
        if codes.contains("CONVERSION_ACTION_TOO_RECENTLY_CREATED") {
            let floor = now.advanced(by: newConversionActionWait)
            return .retry(after: max(after ?? floor, floor), reason: .platformTransient(code: error.platformCode, message: error.message))
        }
        if codes.contains("TOO_MANY_EVENTS") {
            return .deadLetter(DeadLetterReason(code: .payloadTooLarge, message: error.message, platformCode: error.platformCode))
        }
        switch httpStatus {
        case 429:
            return .throttled(after: after)
        case 401, 403:
            return .authFailure(message: error.message)
        case 400..<500:
            return .deadLetter(
                DeadLetterReason(
                    code: .invalidParameters, message: error.message, platformCode: error.platformCode, suspectIndex: error.eventIndices.first))
        default:
            return .retry(after: after, reason: .platformTransient(code: error.platformCode, message: error.message))
        }
    }

    /// The later of two optional instants.
    static func later(_ a: Timestamp?, _ b: Timestamp?) -> Timestamp? {
        switch (a, b) {
        case (let a?, let b?): return max(a, b)
        case (let a?, nil): return a
        case (nil, let b): return b
        }
    }
}
