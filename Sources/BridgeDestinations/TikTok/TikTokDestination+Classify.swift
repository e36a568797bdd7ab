import BridgeCore

/// Reads an Events API answer (`docs/destinations/tiktok.md`). TikTok
/// answers HTTP 200 even for errors and puts its verdict in the body's
/// `code` (`{"code": 0, "message": "OK", "request_id": "…", "data": {}}`),
/// so the code is read first and the HTTP status only when there is none.
/// TikTok has no per-event results: one bad event refuses the whole request.
///
/// | answer | verdict |
/// |---|---|
/// | `code: 0` | `delivered` |
/// | `code: 20001` | `delivered` (partial success with warnings, as RudderStack treats it) |
/// | `code: 40001` (auth/authorization); `40104`, `40105` (access token empty / invalid) | `authFailure`: dead letter `auth_failed`, destination paused |
/// | `code: 40100` (too many requests), whatever the HTTP status | `throttled(after: Retry-After)` |
/// | `code: 40002` (parameter validation; the message names the failing path, `Batch.3.user.email: …` or `data[3]…`) | `deadLetter(invalid_parameters, suspectIndex: 3)`: the pipeline resends the others and isolates the named event |
/// | `code` 50000–59999 (server side) | `retry(platformTransient)` |
/// | other code with HTTP 429 / 5xx / 401 / 403 | `throttled` / `retry` / `authFailure` |
/// | other code 40000–49999 | `deadLetter(invalid_parameters)` (bisected when the batch has several events) |
/// | other code | `retry(platformTransient)` |
/// | no `code`, HTTP 2xx | `retry(unexpected_response)` (the whole batch again; TikTok deduplicates on `event` + `event_id`) |
/// | no `code`, other status | `DeliveryVerdict.classify(status:…)`: 429 throttled, 5xx/408 retry, 401/403 auth, other 4xx dead letter |
///
/// Messages are `TikTok <code>: <message>` passed through `ResponseSummary`
/// (personal data redacted, at most 300 characters).
extension TikTokDestination {
    /// The longest message a verdict carries.
    static let messageLimit = 300
    /// Codes TikTok uses for refused credentials.
    static let authCodes: Set<Int> = [40001, 40104, 40105]

    public func classify(_ reply: HTTPReply, itemCount: Int, now: Timestamp) -> DeliveryVerdict {
        let json = try? JSONParser.parse(reply.body)
        let after = reply.headers["retry-after"].flatMap { RetryAfter.parse($0, now: now) }
        guard let codeText = json?["code"]?.scalarText, let code = Int(codeText) else {
            if (200..<300).contains(reply.status) {
                return .retry(after: after, reason: .platformTransient(code: "unexpected_response", message: "HTTP \(reply.status) without code"))
            }
            let summary = ResponseSummary.make(body: reply.body, limit: Self.messageLimit)
            return DeliveryVerdict.classify(status: reply.status, retryAfter: reply.headers["retry-after"], bodySummary: summary, now: now)
        }
        let rawMessage = json?["message"]?.nonBlankString ?? ""
        let message = ResponseSummary.make(body: Array("TikTok \(code): \(rawMessage)".utf8), limit: Self.messageLimit)
        let platformCode = String(code)
        switch code {
        case 0, 20001:
            return .delivered
        case _ where Self.authCodes.contains(code):
            return .authFailure(message: message)
        case 40100:
            return .throttled(after: after)
        case 40002:
            let suspect = Self.failingIndex(in: rawMessage).flatMap { (0..<itemCount).contains($0) ? $0 : nil }
            return .deadLetter(DeadLetterReason(code: .invalidParameters, message: message, platformCode: platformCode, suspectIndex: suspect))
        case 50000..<60000:
            return .retry(after: after, reason: .platformTransient(code: platformCode, message: message))
        default:
            break
        }
        switch reply.status {
        case 429: return .throttled(after: after)
        case 500..<600: return .retry(after: after, reason: .platformTransient(code: platformCode, message: message))
        case 401, 403: return .authFailure(message: message)
        default: break
        }
        if (40000..<50000).contains(code) {
            return .deadLetter(DeadLetterReason(code: .invalidParameters, message: message, platformCode: platformCode))
        }
        return .retry(after: after, reason: .platformTransient(code: platformCode, message: message))
    }

    /// The event index a validation message names: the number after
    /// `data[`, `data.`, `batch[` or `batch.` (any case) at a word start,
    /// e.g. `Batch.3.user.email: …` or `data[3].properties.value: …` → 3.
    static func failingIndex(in message: String) -> Int? {
        NamedIndex.first(in: message, after: ["data[", "data.", "batch[", "batch."], atWordStart: true)
    }
}
