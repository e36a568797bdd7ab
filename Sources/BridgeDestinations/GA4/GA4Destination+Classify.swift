import BridgeCore

/// Reads a Measurement Protocol answer (`docs/destinations/ga4.md`).
/// `/mp/collect` answers 2xx with an empty body for well-formed and
/// malformed events alike and never reports errors, so only the status can
/// say anything; the validation server `/debug/mp/collect`
/// (`validate_only: true`) answers `{"validationMessages": [{"fieldPath",
/// "description", "validationCode"}]}`, empty when the event is valid.
///
/// | answer | verdict |
/// |---|---|
/// | 2xx from `/mp/collect` | `delivered` (GA4 may still have dropped a malformed event: use `validate_only` while setting up) |
/// | 2xx from `/debug/mp/collect`, `validationMessages` empty | `delivered` (nothing is recorded by the validation server) |
/// | 2xx from `/debug/mp/collect`, messages present | `deadLetter(invalid_parameters)`, `platformCode` the first `validationCode`; `suspectIndex` from a `fieldPath` `events[n]` when a request held several items |
/// | 2xx from `/debug/mp/collect`, body unreadable | `retry(platformTransient("unexpected_response"))` |
/// | 429 | `throttled(after: Retry-After)` |
/// | 408, 425, 5xx | `retry(after: Retry-After, reason: .httpStatus)` |
/// | 413 | `deadLetter(payload_too_large)` |
/// | other 4xx (401 and 403 included: GA4 signals no auth error; a 4xx comes from a proxy or a malformed request) | `deadLetter(invalid_parameters)` |
/// | 1xx, 3xx, other | `retry` |
///
/// Messages are built from the validation messages' `fieldPath`,
/// `description` and `validationCode`, passed through `ResponseSummary`
/// (personal data redacted, at most 300 characters). The API secret travels
/// in the request URL, which proxies and error pages may echo: it is
/// replaced by `<redacted>` (as sent and percent-encoded) before a body
/// becomes a verdict message.
extension GA4Destination {
    /// The longest message a verdict carries.
    static let messageLimit = 300

    public func classify(_ reply: HTTPReply, itemCount: Int, now: Timestamp) -> DeliveryVerdict {
        let after = reply.headers["retry-after"].flatMap { RetryAfter.parse($0, now: now) }
        switch reply.status {
        case 200..<300:
            return validateOnly ? Self.validationVerdict(reply, itemCount: itemCount, redacting: secretForms) : .delivered
        case 429:
            return .throttled(after: after)
        case 408, 425, 500..<600:
            return .retry(after: after, reason: .httpStatus(reply.status))
        case 400..<500:
            let summary = ResponseSummary.make(body: Self.redacting(secretForms, in: reply.body), limit: Self.messageLimit)
            let message = summary.isEmpty ? "GA4 HTTP \(reply.status)" : "GA4 HTTP \(reply.status): \(summary)"
            let code: DeadLetterReason.Code = reply.status == 413 ? .payloadTooLarge : .invalidParameters
            return .deadLetter(DeadLetterReason(code: code, message: message, platformCode: String(reply.status)))
        default:
            return .retry(after: after, reason: .httpStatus(reply.status))
        }
    }

    /// The API secret as configured and as it appears in the URL.
    var secretForms: [String] { [apiSecret.value, QueryText.encode(apiSecret.value)] }

    /// `body` with every occurrence of the `secrets` replaced by `<redacted>`.
    static func redacting(_ secrets: [String], in body: [UInt8]) -> [UInt8] {
        let text = String(decoding: body, as: UTF8.self)
        var redacted = text
        for secret in secrets where !secret.isEmpty {
            redacted = redacted.replacing(secret, with: "<redacted>")
        }
        return redacted == text ? body : Array(redacted.utf8)
    }

    /// The validation server's verdict.
    static func validationVerdict(_ reply: HTTPReply, itemCount: Int, redacting secrets: [String] = []) -> DeliveryVerdict {
        guard let json = try? JSONParser.parse(redacting(secrets, in: reply.body)), let messages = json["validationMessages"]?.arrayValue else {
            return .retry(
                after: nil, reason: .platformTransient(code: "unexpected_response", message: "GA4 validation answer without validationMessages"))
        }
        guard let first = messages.first else { return .delivered }
        let parts = messages.prefix(5).map { message -> String in
            let path = message["fieldPath"]?.nonBlankString.map { $0 + ": " } ?? ""
            let text = message["description"]?.nonBlankString ?? "invalid"
            let code = message["validationCode"]?.nonBlankString.map { " (\($0))" } ?? ""
            return path + text + code
        }
        let text = "GA4 validation: " + parts.joined(separator: " | ")
        let suspect = itemCount > 1 ? first["fieldPath"]?.stringValue.flatMap(eventIndex(in:)).flatMap { $0 < itemCount ? $0 : nil } : nil
        return .deadLetter(
            DeadLetterReason(
                code: .invalidParameters, message: ResponseSummary.make(body: Array(text.utf8), limit: messageLimit),
                platformCode: first["validationCode"]?.nonBlankString ?? "VALUE_INVALID", suspectIndex: suspect))
    }

    /// `n` of a field path starting `events[n]`.
    static func eventIndex(in fieldPath: String) -> Int? {
        guard fieldPath.hasPrefix("events[") else { return nil }
        let digits = fieldPath.dropFirst("events[".count).prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty, digits.count < 9 else { return nil }
        return Int(digits)
    }
}
