extension DeliveryVerdict {
    /// The verdict for an endpoint whose HTTP status says everything: no
    /// per-event results and no platform error codes worth reading.
    ///
    /// | status                 | verdict                                         |
    /// |------------------------|-------------------------------------------------|
    /// | 2xx                    | `delivered`                                     |
    /// | 429                    | `throttled(after: Retry-After)`                 |
    /// | 408, 425, 5xx          | `retry(after: Retry-After, reason: .httpStatus)`|
    /// | 401, 403               | `authFailure`                                   |
    /// | 413                    | `deadLetter(payload_too_large)` (bisect first)  |
    /// | other 4xx              | `deadLetter(invalid_parameters)`                |
    /// | 1xx, 3xx, other        | `retry` (a proxy misbehaving; the breaker and the retry horizon bound it) |
    ///
    /// Platforms that signal throttling or transient errors inside the body
    /// (Meta's Graph error codes, TikTok's `code: 40100` in a 200) must look at
    /// the body first and fall back to this.
    ///
    /// - Parameters:
    ///   - status: The HTTP status code.
    ///   - retryAfter: The raw `Retry-After` header value, if any.
    ///   - bodySummary: A summary of the body (`ResponseSummary.make`), used as
    ///     the dead-letter and auth messages; never the raw body.
    ///   - now: When the answer arrived, the base of a relative Retry-After.
    public static func classify(status: Int, retryAfter: String? = nil, bodySummary: String, now: Timestamp) -> DeliveryVerdict {
        let after = retryAfter.flatMap { RetryAfter.parse($0, now: now) }
        let message = bodySummary.isEmpty ? "HTTP \(status)" : "HTTP \(status): \(bodySummary)"
        switch status {
        case 200..<300:
            return .delivered
        case 429:
            return .throttled(after: after)
        case 408, 425, 500..<600:
            return .retry(after: after, reason: .httpStatus(status))
        case 401, 403:
            return .authFailure(message: message)
        case 413:
            return .deadLetter(DeadLetterReason(code: .payloadTooLarge, message: message, platformCode: String(status)))
        case 400..<500:
            return .deadLetter(DeadLetterReason(code: .invalidParameters, message: message, platformCode: String(status)))
        default:
            return .retry(after: after, reason: .httpStatus(status))
        }
    }
}
