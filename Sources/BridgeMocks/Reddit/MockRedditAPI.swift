import BridgeCore

/// Reddit's Conversions API v3 as `MockPlatformServer` plays it
/// (`docs/destinations/reddit.md`; Reddit's v3 migration guide and error
/// table): `POST /api/v3/pixels/{pixel_id}/conversion_events` with
/// `Authorization: Bearer <conversion access token>`.
///
/// | check | answer |
/// |---|---|
/// | bearer token present | 401 `{"error": {"reason": "UNAUTHORIZED", "explanation": "No bearer token provided"}}` |
/// | token equal to `expectedToken` (when set) | 401 `{"error": {"reason": "UNAUTHORIZED", "explanation": "…"}}` |
/// | JSON body `{"data": {"events": [1…1,000], "test_id"?: string, "partner"?: string}}`, no other `data` keys | 400 `{"error": {"code": 400, "message": "…"}}`; more than 1,000 events: 400 `Bad Request` |
/// | each event: `event_at` integer epoch **milliseconds**, less than 168 h old and at most 5 min ahead; `action_source` `WEBSITE APP PHYSICAL_STORE OTHER`; `type.tracking_type` one of Reddit's types (`CUSTOM` with `custom_event_name` of at most 64 characters) | `invalid_events` |
/// | `metadata`: `conversion_id` string; `value` a number (not a string) sent with `currency` (three upper-case letters); `item_count` integer; `products[].id` strings | `invalid_events` |
/// | `user`: `email`, `phone_number`, `external_id`, `ip_address`, `idfa`, `aaid` 64 lowercase hex; `user_agent`, `uuid` strings; `data_processing_options.modes` a list of strings | `invalid_events` |
///
/// Outcomes, in Reddit's words: accepted → 200 `{"data": {"message":
/// "Successfully processed N conversion events."}}`; a rejection (Reddit
/// has no per-event failures: one bad event refuses the request) → 400
/// `{"message": "There were 1 invalid conversion events. None were
/// processed.", "invalid_events": [{"error_message": "…", "event": {…}}]}`,
/// echoing the bad event (Reddit names it by content, not by position);
/// unauthorized → 401; throttled → 429 "Too many requests/events within
/// timeframe."; server error → 500 "The service is currently unavailable.
/// No conversion events were processed."
public struct MockRedditAPI: MockPlatformAPI {
    /// Reddit refuses more events than this in one request.
    public static let maxEvents = 1000
    /// Reddit's v3 `tracking_type` values.
    public static let trackingTypes: Set<String> = [
        "PAGE_VISIT", "VIEW_CONTENT", "SEARCH", "ADD_TO_CART", "ADD_TO_WISHLIST", "PURCHASE", "LEAD", "SIGN_UP", "CUSTOM",
    ]
    static let actionSources: Set<String> = ["WEBSITE", "APP", "PHYSICAL_STORE", "OTHER"]
    static let hashedUserKeys = ["email", "phone_number", "external_id", "ip_address", "idfa", "aaid"]
    static let maxAgeMilliseconds: Int64 = 168 * 3600 * 1000

    public init() {}

    public var name: String { "reddit" }
    public var reportsPerEventFailures: Bool { false }

    /// `POST /api/v3/pixels/<pixel>/conversion_events`.
    public func handles(_ request: MockHTTPRequest) -> Bool {
        let parts = request.path.split(separator: "/", omittingEmptySubsequences: false)
        return request.method == "POST" && parts.count == 6 && parts[0].isEmpty && parts[1] == "api" && parts[2] == "v3"
            && parts[3] == "pixels" && !parts[4].isEmpty && parts[5] == "conversion_events"
    }

    public func eventIDs(in request: MockHTTPRequest) -> [String] {
        events(in: request).map { $0["metadata"]?["conversion_id"]?.stringValue ?? "" }
    }

    func events(in request: MockHTTPRequest) -> [JSONValue] {
        request.json?["data"]?["events"]?.arrayValue ?? []
    }

    public func problems(in request: MockHTTPRequest, context: MockCheckContext) -> [MockProblem] {
        guard let token = request.bearerToken, !token.isEmpty else { return [.auth("No bearer token provided")] }
        if let expected = context.expectedToken, token != expected { return [.auth("Invalid token, can't be authenticated.")] }
        guard request.headers["content-type"]?.lowercased().hasPrefix("application/json") == true else {
            return [.request("Content-Type must be application/json")]
        }
        guard let data = request.json?["data"]?.objectValue else { return [.request("JSON error: missing field \"data\"")] }
        if let unknown = data.keys.sorted().first(where: { !["events", "test_id", "partner"].contains($0) }) {
            return [.request("JSON error \"unknown field\" on field \"\(unknown)\"")]
        }
        for key in ["test_id", "partner"] {
            if let value = data[key], value.stringValue == nil { return [.request("JSON error: \(key) must be a string")] }
        }
        guard let events = data["events"]?.arrayValue, !events.isEmpty else { return [.request("JSON error: missing field \"events\"")] }
        guard events.count <= Self.maxEvents else { return [.request("Bad Request")] }
        var problems: [MockProblem] = []
        for (index, event) in events.enumerated() {
            if let message = check(event: event, now: context.now) { problems.append(.event(index, message)) }
        }
        return problems
    }

    /// The first problem of one event, as Reddit would word it.
    func check(event: JSONValue, now: Timestamp) -> String? {
        guard event.objectValue != nil else { return "event must be an object" }
        guard let atText = event["event_at"]?.numberText, let at = Int64(atText) else {
            return "event_at must be an integer (Unix epoch milliseconds)"
        }
        if at < 1_000_000_000_000 { return "event_at must be in milliseconds" }
        if now.millisecondsSinceEpoch - at >= Self.maxAgeMilliseconds { return "event_at timestamp must be less than 168h0m0s old" }
        if at - now.millisecondsSinceEpoch > 300_000 { return "event_at timestamp must not be more than 5m0s in the future" }
        guard let source = event["action_source"]?.stringValue, Self.actionSources.contains(source) else {
            return event["action_source"] == nil ? "missing action_source" : "invalid action_source: \(event["action_source"]?.scalarText ?? "")"
        }
        guard let type = event["type"]?["tracking_type"]?.stringValue, Self.trackingTypes.contains(type) else {
            return "invalid type.tracking_type"
        }
        if type == "CUSTOM" {
            guard let name = event["type"]?["custom_event_name"]?.nonBlankString, name.count <= 64 else {
                return "type.custom_event_name is required for CUSTOM events (at most 64 characters)"
            }
        }
        if let clickID = event["click_id"], clickID.nonBlankString == nil { return "click_id must be a string" }
        if let metadata = event["metadata"], let message = check(metadata: metadata) { return message }
        guard let user = event["user"]?.objectValue else { return nil }
        for key in Self.hashedUserKeys {
            if let value = user[key], !(value.stringValue.map(IdentifierHasher.isLowercaseSHA256Hex) ?? false) {
                return "user.\(key) must be a SHA-256 hash"
            }
        }
        for key in ["user_agent", "uuid"] {
            if let value = user[key], value.nonBlankString == nil { return "user.\(key) must be a string" }
        }
        if let options = user["data_processing_options"] {
            guard let modes = options["modes"]?.arrayValue, modes.allSatisfy({ $0.stringValue != nil }) else {
                return "user.data_processing_options.modes must be a list of strings"
            }
        }
        return nil
    }

    func check(metadata: JSONValue) -> String? {
        guard metadata.objectValue != nil else { return "metadata must be an object" }
        if let id = metadata["conversion_id"], id.stringValue == nil { return "metadata.conversion_id must be a string" }
        let value = metadata["value"]
        let currency = metadata["currency"]
        if let value, value.numberText == nil { return "metadata.value must be a number" }
        if let currency {
            guard let code = currency.stringValue, code.count == 3, code.allSatisfy({ $0.isASCII && $0.isUppercase }) else {
                return "metadata.currency must be an ISO 4217 code"
            }
        }
        if (value == nil) != (currency == nil) { return "metadata.value and metadata.currency must be sent together" }
        if let count = metadata["item_count"], count.numberText.flatMap({ Int($0) }) == nil { return "metadata.item_count must be an integer" }
        for product in metadata["products"]?.arrayValue ?? [] where product["id"]?.stringValue == nil {
            return "metadata.products.id must be a string"
        }
        return nil
    }

    public func answer(_ outcome: MockOutcome, to request: MockHTTPRequest) -> MockHTTPResponse {
        let events = events(in: request)
        switch outcome {
        case .accepted(let count):
            return .json(200, .object(["data": .object(["message": .string("Successfully processed \(count) conversion events.")])]))
        case .partial(let failed, _):
            // Reddit has no per-event results: any bad event refuses the request.
            return invalid(failed.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }, events: events)
        case .rejected(let index?, let message):
            return invalid([(index, message)], events: events)
        case .rejected(nil, let message):
            return .json(400, .object(["error": .object(["code": .number("400"), "message": .string(message)])]))
        case .unauthorized(let message):
            return .json(401, .object(["error": .object(["reason": .string("UNAUTHORIZED"), "explanation": .string(message)])]))
        case .throttled:
            return .json(429, .object(["error": .object(["code": .number("429"), "message": .string("Too many requests/events within timeframe.")])]))
        case .serverError:
            return .json(
                500,
                .object([
                    "error": .object([
                        "code": .number("500"), "message": .string("The service is currently unavailable. No conversion events were processed."),
                    ])
                ]))
        }
    }

    /// HTTP 400 listing the bad events, each echoed as sent.
    func invalid(_ failures: [(index: Int, message: String)], events: [JSONValue]) -> MockHTTPResponse {
        let invalid: [JSONValue] = failures.map { failure in
            var entry: [String: JSONValue] = ["error_message": .string(failure.message)]
            if events.indices.contains(failure.index) { entry["event"] = events[failure.index] }
            return .object(entry)
        }
        return .json(
            400,
            .object([
                "message": .string("There were \(invalid.count) invalid conversion events. None were processed."),
                "invalid_events": .array(invalid),
            ]))
    }
}
