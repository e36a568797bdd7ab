import BridgeCore

/// TikTok's Events API 2.0 as `MockPlatformServer` plays it
/// (`docs/destinations/tiktok.md`): `POST /open_api/v1.3/event/track/` with
/// the `Access-Token` header; every answer is HTTP 200 with TikTok's
/// envelope `{"code", "message", "request_id", "data"}`.
///
/// | check | answer |
/// |---|---|
/// | `Access-Token` header present and equal to `expectedToken` (when set) | `code: 40001` |
/// | `Content-Type: application/json`, body an object | `code: 40002` |
/// | `event_source` one of `web app offline crm`, `event_source_id` non-empty | `code: 40002` |
/// | `data`: 1…1,000 events (more rejects the whole request) | `code: 40002` |
/// | `test_event_code` a string when present | `code: 40002` |
/// | each event: `event` non-empty, `event_id` a string, `event_time` integer Unix **seconds** (not ms), at most `maxEventAgeDays` old and 5 min ahead | `code: 40002`, message `Batch.<i>.<path>: …` |
/// | `user`: `email`/`phone`/`external_id` lists of 64 lowercase hex; `first_name`/`last_name`/`zip_code` 64 lowercase hex; `ip`, `user_agent`, `ttclid` strings; at least one key | `code: 40002` |
/// | `properties.value` a number, `currency` three upper-case letters, `contents[].content_id` strings | `code: 40002` |
/// | web events carry `page.url` | `code: 40002` |
/// | `limited_data_use` a boolean when present | `code: 40002` |
///
/// Outcomes: accepted `code: 0`; rejected (and per-event failures, which
/// TikTok does not have) `code: 40002` naming the first bad event as
/// `Batch.<i>.…`; unauthorized `40001`; throttled `40100`; server error
/// `50000` — all inside HTTP 200, as TikTok answers.
public struct MockTikTokAPI: MockPlatformAPI {
    /// The Events API path.
    public static let path = "/open_api/v1.3/event/track/"
    /// TikTok refuses more events than this in one request.
    public static let maxEvents = 1000

    /// The age beyond which the mock refuses an event (TikTok documents no
    /// limit; the destination sends at most 7 days by default).
    public var maxEventAgeDays: Int64

    public init(maxEventAgeDays: Int64 = 7) {
        self.maxEventAgeDays = maxEventAgeDays
    }

    public var name: String { "tiktok" }
    public var reportsPerEventFailures: Bool { false }

    public func handles(_ request: MockHTTPRequest) -> Bool {
        request.method == "POST" && request.path == Self.path
    }

    public func eventIDs(in request: MockHTTPRequest) -> [String] {
        (request.json?["data"]?.arrayValue ?? []).map { $0["event_id"]?.stringValue ?? "" }
    }

    public func problems(in request: MockHTTPRequest, context: MockCheckContext) -> [MockProblem] {
        guard let token = request.headers["access-token"], !token.isEmpty else {
            return [.auth("Access-Token is required in the request header")]
        }
        if let expected = context.expectedToken, token != expected {
            return [.auth("Access token is incorrect or has been revoked")]
        }
        guard request.headers["content-type"]?.lowercased().hasPrefix("application/json") == true else {
            return [.request("Content-Type must be application/json")]
        }
        guard let body = request.json, body.objectValue != nil else { return [.request("the request body must be a JSON object")] }
        guard let source = body["event_source"]?.stringValue, ["web", "app", "offline", "crm"].contains(source) else {
            return [.request("event_source: must be one of web, app, offline, crm")]
        }
        guard body["event_source_id"]?.nonBlankString != nil else { return [.request("event_source_id: Missing data for required field.")] }
        if let code = body["test_event_code"], code.stringValue == nil { return [.request("test_event_code: Not a valid string.")] }
        guard let data = body["data"]?.arrayValue, !data.isEmpty else { return [.request("data: Missing data for required field.")] }
        guard data.count <= Self.maxEvents else {
            return [.request("data: Length must be between 1 and \(Self.maxEvents).")]
        }
        var problems: [MockProblem] = []
        for (index, event) in data.enumerated() {
            if let message = check(event: event, source: source, now: context.now) { problems.append(.event(index, message)) }
        }
        return problems
    }

    /// The first problem of one event, as `path: message`.
    func check(event: JSONValue, source: String, now: Timestamp) -> String? {
        guard event.objectValue != nil else { return "event: Not a valid object." }
        guard event["event"]?.nonBlankString != nil else { return "event: Missing data for required field." }
        if let id = event["event_id"], id.stringValue == nil { return "event_id: Not a valid string." }
        guard let text = event["event_time"]?.numberText, let seconds = Int64(text) else {
            return "event_time: Not a valid integer."
        }
        if seconds > 99_999_999_999 { return "event_time: must be a Unix timestamp in seconds." }
        if seconds < now.secondsSinceEpoch - maxEventAgeDays * 86_400 { return "event_time: event is too old." }
        if seconds > now.secondsSinceEpoch + 300 { return "event_time: event time is in the future." }
        guard let user = event["user"]?.objectValue, !user.isEmpty else { return "user: Missing data for required field." }
        for key in ["email", "phone", "external_id"] {
            guard let value = user[key] else { continue }
            guard let list = value.arrayValue, !list.isEmpty else { return "user.\(key): Not a valid list." }
            for (position, element) in list.enumerated() where !Self.isSHA256(element.stringValue) {
                return "user.\(key).\(position): Not a valid SHA-256 hash."
            }
        }
        for key in ["first_name", "last_name", "zip_code"] {
            if let value = user[key], !Self.isSHA256(value.stringValue) { return "user.\(key): Not a valid SHA-256 hash." }
        }
        for key in ["ip", "user_agent", "ttclid", "ttp", "city", "state", "country", "locale"] {
            if let value = user[key], value.stringValue == nil { return "user.\(key): Not a valid string." }
        }
        if let properties = event["properties"] {
            guard properties.objectValue != nil else { return "properties: Not a valid object." }
            if let value = properties["value"], value.numberText == nil { return "properties.value: Not a valid number." }
            if let currency = properties["currency"] {
                guard let code = currency.stringValue, code.utf8.count == 3, code.utf8.allSatisfy({ (0x41...0x5A).contains($0) }) else {
                    return "properties.currency: Not a valid currency code."
                }
            }
            for (position, content) in (properties["contents"]?.arrayValue ?? []).enumerated() where content["content_id"]?.stringValue == nil {
                return "properties.contents.\(position).content_id: Not a valid string."
            }
        }
        if source == "web", event["page"]?["url"]?.nonBlankString == nil { return "page.url: Missing data for required field." }
        if let limited = event["limited_data_use"], limited.boolValue == nil { return "limited_data_use: Not a valid boolean." }
        return nil
    }

    public func answer(_ outcome: MockOutcome, to request: MockHTTPRequest) -> MockHTTPResponse {
        switch outcome {
        case .accepted:
            return Self.envelope(0, "OK")
        case .partial(let failed, _):
            guard let first = failed.keys.min() else { return Self.envelope(0, "OK") }
            return Self.envelope(40002, Self.naming(first, failed[first] ?? "Invalid parameter."))
        case .rejected(let index, let message):
            return Self.envelope(40002, index.map { Self.naming($0, message) } ?? message)
        case .unauthorized(let message):
            return Self.envelope(40001, message)
        case .throttled:
            return Self.envelope(40100, "Too many requests. Please retry in some time.")
        case .serverError:
            return Self.envelope(50000, "Internal service error. Please try again later.")
        }
    }

    /// TikTok's wording of a failing field: `Batch.3.user.email: …` (or
    /// `Batch.3: …` when the message names no field).
    static func naming(_ index: Int, _ message: String) -> String {
        let head = message.prefix { $0 != ":" }
        let isPath = head.count < message.count && !head.contains(" ") && !head.isEmpty
        return isPath ? "Batch.\(index).\(message)" : "Batch.\(index): \(message)"
    }

    /// `{"code", "message", "request_id", "data": {}}` with HTTP 200.
    static func envelope(_ code: Int, _ message: String) -> MockHTTPResponse {
        .json(
            200,
            .object([
                "code": .number(String(code)), "message": .string(message), "request_id": .string("20260314160000MOCK\(code)"),
                "data": .object([:]),
            ]))
    }

    static func isSHA256(_ text: String?) -> Bool {
        guard let text else { return false }
        return text.utf8.count == 64 && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }
}
