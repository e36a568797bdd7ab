import BridgeCore

/// Reads a Conversions API v3 answer (`docs/destinations/snapchat.md`).
/// The send endpoint answers `EventResponse`: `{"status": "VALID", "reason": …}`
/// or `{"status": "INVALID", "event": 2, "reason": …, "errors": {"codes": […],
/// "error_msgs": […]}}` (HTTP 400), where `event` is the index of the failing
/// event. The request is refused whole (Snap has no per-event success list),
/// so the named event is a suspect: the pipeline resends the others and
/// dead-letters that event once refused on its own. The validate endpoint
/// answers `ValidateResponse` with `event_logs[]`, one verdict per event.
///
/// | answer | verdict |
/// |---|---|
/// | HTTP 401, 403 | `authFailure`: dead letter `auth_failed`, destination paused |
/// | HTTP 429 | `throttled(after: Retry-After)` |
/// | HTTP 408, 5xx | `retry(after: Retry-After)` |
/// | `event_logs` with some `status: INVALID` entries (validate endpoint) | `partial`: those events dead-lettered (`invalid_parameters`), the others delivered (validated) |
/// | `status: VALID` | `delivered` |
/// | `status: INVALID` with `event` inside the batch | `deadLetter(invalid_parameters, suspectIndex: event)` |
/// | `status: INVALID` without a usable `event` | `deadLetter(invalid_parameters)` (bisected when the batch has several events) |
/// | 2xx without `status` | `retry(unexpected_response)` (Snap deduplicates on `event_id`) |
/// | anything else | `DeliveryVerdict.classify(status:…)`: other 4xx dead letter |
///
/// Messages are `Snap <status>: <reason> | <codes> | <error_msgs>` passed
/// through `ResponseSummary` (personal data redacted, at most 300 characters),
/// after the access token (sent in the query, so echoable by an error page)
/// has been taken out of the body;
/// the platform code is the first of `errors.codes`, else the status.
extension SnapDestination {
    /// The longest message a verdict carries.
    static let messageLimit = 300

    public func classify(_ reply: HTTPReply, itemCount: Int, now: Timestamp) -> DeliveryVerdict {
        // The token travels in the query string, which error pages (Snap's or a
        // proxy's) may echo back: take it out before any text reaches a message.
        var reply = reply
        reply.body = Self.removingToken(accessToken.value, from: reply.body)
        let json = try? JSONParser.parse(reply.body)
        let after = reply.headers["retry-after"].flatMap { RetryAfter.parse($0, now: now) }
        switch reply.status {
        case 401, 403:
            return .authFailure(message: json.map { Self.message($0, status: reply.status) } ?? Self.summary("HTTP \(reply.status)", reply.body))
        case 429:
            return .throttled(after: after)
        case 408, 500..<600:
            return .retry(after: after, reason: .httpStatus(reply.status))
        default:
            break
        }
        if let json, let logs = json["event_logs"]?.arrayValue {
            var failures: [Int: ItemVerdict] = [:]
            for (position, log) in logs.enumerated() where Self.isInvalid(log["status"]) {
                let index = log["event"]?.scalarText.flatMap { Int($0) } ?? position
                failures[index] = .deadLetter(
                    DeadLetterReason(code: .invalidParameters, message: Self.message(log, status: reply.status), platformCode: Self.platformCode(log)))
            }
            if !failures.isEmpty { return .partial(itemCount: itemCount, failures: failures) }
            if (200..<300).contains(reply.status), !Self.isInvalid(json["status"]) { return .delivered }
        }
        switch json?["status"]?.stringValue?.uppercased() {
        case "VALID"?:
            if (200..<300).contains(reply.status) { return .delivered }
        case "INVALID"?:
            guard let json else { break }
            let index = json["event"]?.scalarText.flatMap { Int($0) }
            let suspect = index.flatMap { (0..<itemCount).contains($0) ? $0 : nil }
            return .deadLetter(
                DeadLetterReason(
                    code: .invalidParameters, message: Self.message(json, status: reply.status), platformCode: Self.platformCode(json),
                    suspectIndex: suspect))
        default:
            break
        }
        if (200..<300).contains(reply.status) {
            return .retry(after: after, reason: .platformTransient(code: "unexpected_response", message: "HTTP \(reply.status) without status"))
        }
        return DeliveryVerdict.classify(
            status: reply.status, retryAfter: reply.headers["retry-after"], bodySummary: Self.summary("", reply.body), now: now)
    }

    /// `body` with every occurrence of `token`, as is and percent-encoded as
    /// it is sent in the query, replaced by `[redacted]`.
    static func removingToken(_ token: String, from body: [UInt8]) -> [UInt8] {
        guard !token.isEmpty, !body.isEmpty else { return body }
        var result = body
        for form in Set([token, QueryText.encode(token)]) {
            let needle = Array(form.utf8)
            let replacement = Array("[redacted]".utf8)
            var out: [UInt8] = []
            out.reserveCapacity(result.count)
            var i = 0
            while i < result.count {
                if i + needle.count <= result.count, result[i..<(i + needle.count)].elementsEqual(needle) {
                    out += replacement
                    i += needle.count
                } else {
                    out.append(result[i])
                    i += 1
                }
            }
            result = out
        }
        return result
    }

    static func isInvalid(_ status: JSONValue?) -> Bool {
        status?.stringValue?.uppercased() == "INVALID"
    }

    /// The first of `errors.codes`, else `status`, else the HTTP status.
    static func platformCode(_ json: JSONValue) -> String? {
        json["errors"]?["codes"]?[0]?.nonBlankString ?? json["status"]?.nonBlankString
    }

    /// `Snap <status>: reason | codes | error_msgs`, summarized.
    static func message(_ json: JSONValue, status: Int) -> String {
        var parts: [String] = []
        if let reason = json["reason"]?.nonBlankString { parts.append(reason) }
        for key in ["codes", "error_msgs"] {
            let texts = json["errors"]?[key]?.arrayValue?.compactMap(\.nonBlankString) ?? []
            if !texts.isEmpty { parts.append(texts.joined(separator: ", ")) }
        }
        let label = json["status"]?.nonBlankString ?? "HTTP \(status)"
        return summary("Snap \(label): " + parts.joined(separator: " | "), [])
    }

    /// `prefix` followed by `body`, through `ResponseSummary`.
    static func summary(_ prefix: String, _ body: [UInt8]) -> String {
        let separator = prefix.isEmpty || body.isEmpty ? "" : ": "
        return ResponseSummary.make(body: Array((prefix + separator).utf8) + body, limit: messageLimit)
    }
}
