import BridgeCore

/// Pinterest's Conversions API (v5) as `MockPlatformServer` plays it
/// (`docs/destinations/pinterest.md`, OpenAPI `events/create`):
/// `POST /v5/ad_accounts/{ad_account_id}/events[?test=true]` with
/// `Authorization: Bearer <conversion token>`.
///
/// | check | answer |
/// |---|---|
/// | bearer token present and equal to `expectedToken` (when set) | 401 `{"code": 2, "message": "Authentication failed."}` |
/// | `ad_account_id` digits, at most 18; `test` `true`/`false` when present; JSON body `{"data": [1…1,000 events]}` | 400 `{"code": 4196, "message": "The request was invalid."}` |
/// | each event: only documented keys; `event_name` one of Pinterest's names; `action_source` `web offline app_android app_ios`; `event_time` integer Unix **seconds** (not ms), at most 5 min ahead; `event_id` non-empty | per event `failed` |
/// | `user_data`: `em ph fn ln ge db ct st zp country external_id hashed_maids` arrays of 64 lowercase hex; `client_ip_address`, `client_user_agent`, `click_id` strings; at least `em`, `hashed_maids` or `client_ip_address` + `client_user_agent` | per event `failed` |
/// | `custom_data`: only documented keys; `value`, `contents[].item_price` **strings** holding a decimal; `currency` three upper-case letters; `num_items`, `contents[].quantity` integers; `opt_out_type` a string | per event `failed` |
/// | `opt_out` a boolean when present | per event `failed` |
///
/// Outcomes, in Pinterest's words: accepted → 200 `ConversionApiResponse`,
/// every event `processed`; per-event failures (the usual way Pinterest
/// reports a bad event) → 200 with those events `failed` and an
/// `error_message`; a rejection naming an event → 422 `DetailedError`
/// "Not all events were successfully processed." whose `details` is the
/// per-event list with that event `failed` (with its message) and the
/// others `failed` without one (none processed); a rejection naming none
/// → 400 code 4196; unauthorized → 401 code 2; throttled → 429 code 8;
/// server error → 503 code 4197 (endpoint ramped down).
public struct MockPinterestAPI: MockPlatformAPI {
    /// Pinterest refuses more events than this in one request.
    public static let maxEvents = 1000
    /// Pinterest's `event_name` values.
    public static let eventNames: Set<String> = [
        "add_payment_info", "add_to_cart", "add_to_wishlist", "app_install", "checkout", "custom", "initiate_checkout", "lead",
        "page_visit", "search", "signup", "subscribe", "view_category", "view_content", "watch_video",
    ]
    static let actionSources: Set<String> = ["app_android", "app_ios", "web", "offline"]
    static let eventKeys: Set<String> = [
        "event_name", "action_source", "event_time", "event_id", "event_source_url", "opt_out", "partner_name", "user_data",
        "custom_data", "app_id", "app_name", "app_version", "app_info", "device_brand", "device_carrier", "device_model",
        "device_type", "device_info", "os_version", "wifi", "language",
    ]
    static let hashedKeys = ["em", "ph", "fn", "ln", "ge", "db", "ct", "st", "zp", "country", "external_id", "hashed_maids"]
    static let clearKeys = ["client_ip_address", "client_user_agent", "click_id", "partner_id"]
    static let customDataKeys: Set<String> = [
        "currency", "value", "content_ids", "contents", "num_items", "order_id", "search_string", "opt_out_type", "content_name",
        "content_category", "content_brand", "predicted_ltv", "np", "external_measurement_id", "external_measurement_vendor_id",
    ]
    static let contentKeys: Set<String> = ["id", "item_price", "quantity", "item_name", "item_category", "item_brand"]

    public init() {}

    public var name: String { "pinterest" }
    public var reportsPerEventFailures: Bool { true }

    /// `POST /v5/ad_accounts/<id>/events`.
    public func handles(_ request: MockHTTPRequest) -> Bool {
        let parts = request.path.split(separator: "/", omittingEmptySubsequences: false)
        return request.method == "POST" && parts.count == 5 && parts[0].isEmpty && parts[1] == "v5" && parts[2] == "ad_accounts"
            && parts[4] == "events"
    }

    public func eventIDs(in request: MockHTTPRequest) -> [String] {
        (request.json?["data"]?.arrayValue ?? []).map { $0["event_id"]?.stringValue ?? "" }
    }

    public func problems(in request: MockHTTPRequest, context: MockCheckContext) -> [MockProblem] {
        guard let token = request.bearerToken, !token.isEmpty else { return [.auth("Authentication failed.")] }
        if let expected = context.expectedToken, token != expected { return [.auth("Authentication failed.")] }
        let account = request.path.split(separator: "/")[2]
        guard !account.isEmpty, account.count <= 18, account.allSatisfy(\.isASCII), account.allSatisfy(\.isNumber) else {
            return [.request("ad_account_id must be digits (at most 18)")]
        }
        if let test = request.query["test"], !["true", "false"].contains(test) { return [.request("test must be true or false")] }
        guard request.headers["content-type"]?.lowercased().hasPrefix("application/json") == true else {
            return [.request("Content-Type must be application/json")]
        }
        guard let data = request.json?["data"]?.arrayValue, !data.isEmpty else { return [.request("data: 1 to 1000 events required")] }
        guard data.count <= Self.maxEvents else { return [.request("data: at most \(Self.maxEvents) events")] }
        var problems: [MockProblem] = []
        for (index, event) in data.enumerated() {
            if let message = check(event: event, now: context.now) { problems.append(.event(index, message)) }
        }
        return problems
    }

    /// The first problem of one event, as Pinterest would word it.
    func check(event: JSONValue, now: Timestamp) -> String? {
        guard let members = event.objectValue else { return "Event must be an object." }
        if let unknown = members.keys.sorted().first(where: { !Self.eventKeys.contains($0) }) {
            return "Additional properties are not allowed ('\(unknown)' was unexpected)."
        }
        guard let name = event["event_name"]?.stringValue, Self.eventNames.contains(name) else { return "Invalid event_name." }
        guard let source = event["action_source"]?.stringValue, Self.actionSources.contains(source) else {
            return "Invalid action_source."
        }
        guard let timeText = event["event_time"]?.numberText, let seconds = Int64(timeText) else {
            return "event_time must be an integer Unix timestamp in seconds."
        }
        if seconds > now.secondsSinceEpoch + 300 { return "event_time is in the future (is it in milliseconds?)." }
        guard event["event_id"]?.nonBlankString != nil else { return "event_id is required." }
        if let optOut = event["opt_out"], optOut.boolValue == nil { return "opt_out must be a boolean." }
        guard let userData = event["user_data"]?.objectValue else { return "user_data is required." }
        if let message = check(userData: userData) { return message }
        if let customData = event["custom_data"] {
            guard let members = customData.objectValue else { return "custom_data must be an object." }
            if let message = check(customData: members) { return message }
        }
        return nil
    }

    func check(userData: [String: JSONValue]) -> String? {
        let known = Set(Self.hashedKeys + Self.clearKeys)
        if let unknown = userData.keys.sorted().first(where: { !known.contains($0) }) {
            return "user_data: '\(unknown)' was unexpected."
        }
        for key in Self.hashedKeys {
            guard let value = userData[key] else { continue }
            guard let list = value.arrayValue, !list.isEmpty,
                list.allSatisfy({ $0.stringValue.map(IdentifierHasher.isLowercaseSHA256Hex) ?? false })
            else { return "user_data.\(key) must be a list of SHA-256 hashes." }
        }
        for key in Self.clearKeys {
            if let value = userData[key], value.nonBlankString == nil { return "user_data.\(key) must be a string." }
        }
        let hasIPAndAgent = userData["client_ip_address"] != nil && userData["client_user_agent"] != nil
        guard userData["em"] != nil || userData["hashed_maids"] != nil || hasIPAndAgent else {
            return "user_data requires em, hashed_maids or client_ip_address with client_user_agent."
        }
        return nil
    }

    func check(customData: [String: JSONValue]) -> String? {
        if let unknown = customData.keys.sorted().first(where: { !Self.customDataKeys.contains($0) }) {
            return "custom_data: '\(unknown)' was unexpected."
        }
        if let value = customData["value"], value.stringValue.flatMap({ Money.Amount($0) }) == nil {
            return "custom_data.value must be a string holding a number."
        }
        if let currency = customData["currency"] {
            guard let code = currency.stringValue, code.count == 3, code.allSatisfy({ $0.isASCII && $0.isUppercase }) else {
                return "custom_data.currency must be an ISO-4217 code."
            }
        }
        if let count = customData["num_items"], count.numberText.flatMap({ Int($0) }) == nil { return "custom_data.num_items must be an integer." }
        if let type = customData["opt_out_type"], type.stringValue == nil { return "custom_data.opt_out_type must be a string." }
        if let ids = customData["content_ids"], !(ids.arrayValue?.allSatisfy { $0.stringValue != nil } ?? false) {
            return "custom_data.content_ids must be a list of strings."
        }
        for content in customData["contents"]?.arrayValue ?? [] {
            guard let members = content.objectValue, members.keys.allSatisfy(Self.contentKeys.contains) else {
                return "custom_data.contents: unexpected property."
            }
            if let price = members["item_price"], price.stringValue.flatMap({ Money.Amount($0) }) == nil {
                return "custom_data.contents.item_price must be a string holding a number."
            }
            if let quantity = members["quantity"], quantity.numberText.flatMap({ Int($0) }) == nil {
                return "custom_data.contents.quantity must be an integer."
            }
        }
        return nil
    }

    public func answer(_ outcome: MockOutcome, to request: MockHTTPRequest) -> MockHTTPResponse {
        func error(_ status: Int, _ code: Int, _ message: String) -> MockHTTPResponse {
            .json(status, .object(["code": .number(String(code)), "message": .string(message)]))
        }
        let count = max(eventIDs(in: request).count, 0)
        switch outcome {
        case .accepted(let accepted):
            return .json(200, Self.results(count: max(count, accepted), failed: [:], othersProcessed: true))
        case .partial(let failed, let total):
            return .json(200, Self.results(count: max(count, total), failed: failed, othersProcessed: true))
        case .rejected(let index?, let message) where index < max(count, 1):
            return .json(
                422,
                .object([
                    "code": .number("4196"), "message": .string("Not all events were successfully processed."),
                    "details": Self.results(count: max(count, 1), failed: [index: message], othersProcessed: false),
                ]))
        case .rejected:
            return error(400, 4196, "The request was invalid.")
        case .unauthorized:
            return error(401, 2, "Authentication failed.")
        case .throttled:
            return error(
                429, 8,
                "This request exceeded a rate limit. This can happen if the client exceeds one of the published rate limits within a short time window.")
        case .serverError:
            return error(503, 4197, "The endpoint has been ramped down and is currently not accepting any traffic.")
        }
    }

    /// A `ConversionApiResponse`: `failed` events with their messages; the
    /// others `processed`, or `failed` without a message when none was.
    static func results(count: Int, failed: [Int: String], othersProcessed: Bool) -> JSONValue {
        let events: [JSONValue] = (0..<count).map { index in
            if let message = failed[index] {
                return .object(["status": .string("failed"), "error_message": .string(message), "warning_message": .null])
            }
            return .object([
                "status": .string(othersProcessed ? "processed" : "failed"), "error_message": .null, "warning_message": .null,
            ])
        }
        let processed = othersProcessed ? count - failed.keys.filter { $0 < count }.count : 0
        return .object([
            "num_events_received": .number(String(count)), "num_events_processed": .number(String(processed)), "events": .array(events),
        ])
    }
}
