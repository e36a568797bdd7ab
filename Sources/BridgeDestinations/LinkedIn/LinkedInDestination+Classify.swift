import BridgeCore

/// Reads a Conversions API answer (`docs/destinations/linkedin.md`).
/// LinkedIn refuses a whole batch for one bad element (HTTP 422) and names
/// the bad elements in the error `message` as lines `Index: <n>, ERROR :: …`;
/// errors are LinkedIn's REST envelope `{"status", "serviceErrorCode",
/// "code", "message"}`.
///
/// | answer | verdict |
/// |---|---|
/// | 201 (single create, empty body), 2xx without per-element statuses | `delivered` |
/// | 200 `{"elements": [{"status": 201}, …]}`, every element 2xx | `delivered` |
/// | 200 with some element statuses ≥ 400 | `partial`: 2xx delivered, 408/429/5xx retry, other 4xx dead letter `invalid_parameters` |
/// | 422 naming `Index: n` | `deadLetter(invalid_parameters, suspectIndex: n)` (the first index in the batch): the pipeline resends the others and isolates n |
/// | 422 without an index, 400, other 4xx | `deadLetter(invalid_parameters)` (bisected when several events) |
/// | 413 | `deadLetter(payload_too_large)` |
/// | 401 (`INVALID_ACCESS_TOKEN`, `REVOKED_ACCESS_TOKEN`, `EXPIRED_ACCESS_TOKEN`) | `authFailure` (with OAuth the pipeline first retries once with a fresh token) |
/// | 403 (missing `rw_conversions` or ad-account role) | `authFailure`: only an operator can fix it |
/// | 426 (the `LinkedIn-Version` is sunset) | `authFailure`: every request fails until `api_version` is raised; pausing avoids dead-lettering each event |
/// | 429 | `throttled(after: Retry-After)` |
/// | 408, 423, 5xx | `retry(after: Retry-After, reason: .httpStatus)` |
/// | 1xx, 3xx, other | `retry` (a misbehaving proxy) |
///
/// Messages are `LinkedIn <status> <code>: <message>` passed through
/// `ResponseSummary` (personal data redacted, at most 300 characters).
extension LinkedInDestination {
    /// The longest message a verdict carries.
    static let messageLimit = 300

    public func classify(_ reply: HTTPReply, itemCount: Int, now: Timestamp) -> DeliveryVerdict {
        let json = try? JSONParser.parse(reply.body)
        let after = reply.headers["retry-after"].flatMap { RetryAfter.parse($0, now: now) }
        switch reply.status {
        case 200..<300:
            return Self.elementVerdicts(json, itemCount: itemCount)
        case 401, 403:
            return .authFailure(message: Self.message(json, reply))
        case 426:
            return .authFailure(message: Self.message(json, reply) + " (LinkedIn-Version \(apiVersion) is no longer served: raise api_version)")
        case 429:
            return .throttled(after: after)
        case 408, 423, 500..<600:
            return .retry(after: after, reason: .httpStatus(reply.status))
        case 413:
            return .deadLetter(DeadLetterReason(code: .payloadTooLarge, message: Self.message(json, reply), platformCode: "413"))
        case 400..<500:
            let text = json?["message"]?.stringValue ?? String(decoding: reply.body, as: UTF8.self)
            let suspect = Self.failingIndices(in: text).first { $0 < itemCount }
            return .deadLetter(
                DeadLetterReason(
                    code: .invalidParameters, message: Self.message(json, reply), platformCode: Self.platformCode(json, status: reply.status),
                    suspectIndex: suspect))
        default:
            return .retry(after: after, reason: .httpStatus(reply.status))
        }
    }

    /// A 2xx answer: per-element statuses when the batch answer lists them.
    static func elementVerdicts(_ json: JSONValue?, itemCount: Int) -> DeliveryVerdict {
        guard let elements = json?["elements"]?.arrayValue else { return .delivered }
        var failures: [Int: ItemVerdict] = [:]
        for (index, element) in elements.enumerated() {
            guard let text = element["status"]?.scalarText, let status = Int(text), !(200..<300).contains(status) else { continue }
            let error = element["error"]
            switch status {
            case 408, 429, 500..<600:
                failures[index] = .retry(.httpStatus(status))
            default:
                let detail = error?["message"]?.nonBlankString ?? "element refused"
                let message = ResponseSummary.make(body: Array("LinkedIn \(status): \(detail)".utf8), limit: messageLimit)
                failures[index] = .deadLetter(DeadLetterReason(code: .invalidParameters, message: message, platformCode: String(status)))
            }
        }
        return .partial(itemCount: itemCount, failures: failures)
    }

    /// `LinkedIn <status> <code>: <message>`, summarized; the body summary
    /// when it is not LinkedIn's envelope.
    static func message(_ json: JSONValue?, _ reply: HTTPReply) -> String {
        guard let json, let text = json["message"]?.nonBlankString else {
            let summary = ResponseSummary.make(body: reply.body, limit: messageLimit)
            return summary.isEmpty ? "LinkedIn HTTP \(reply.status)" : "LinkedIn HTTP \(reply.status): \(summary)"
        }
        let code = json["code"]?.nonBlankString.map { " " + $0 } ?? ""
        return ResponseSummary.make(body: Array("LinkedIn \(reply.status)\(code): \(text)".utf8), limit: messageLimit)
    }

    /// `code` (e.g. `REVOKED_ACCESS_TOKEN`), else `serviceErrorCode`, else the status.
    static func platformCode(_ json: JSONValue?, status: Int) -> String {
        json?["code"]?.nonBlankString ?? json?["serviceErrorCode"]?.scalarText ?? String(status)
    }

    /// The element indices a 422 message names, in order of appearance:
    /// every `Index: <digits>` (case-insensitive, spaces allowed around `:`).
    static func failingIndices(in message: String) -> [Int] {
        NamedIndex.all(in: message, after: ["index:", "index :"])
    }
}
