import BridgeCore

/// Snap's Conversions API v3 as `MockPlatformServer` plays it
/// (`docs/destinations/snapchat.md`, Snap's v3 OpenAPI file):
/// `POST /v3/{pixel_id}/events?access_token=…` and the test endpoint
/// `POST /v3/{pixel_id}/events/validate?access_token=…`.
///
/// | check | answer |
/// |---|---|
/// | `access_token` query parameter present, equal to `expectedToken` when set | 401 |
/// | pixel id in the path equal to `pixelID` when set; `Content-Type: application/json`; body `{"data": [1…2,000 events]}` | 400 `INVALID` (no `event`) |
/// | `event_name` upper-case Snap name; `event_time` integer Unix **seconds** (not ms), at most 37 days old and 5 min ahead; `action_source` `WEB`, `MOBILE_APP` or `OFFLINE`; `WEB` needs `event_source_url` | 400 `INVALID` with `event` |
/// | `user_data`: hashed keys (`em ph fn ln ge db ct st zp country external_id`) lists of 64 lowercase hex; clear keys strings; at least `em`, `ph`, `mobile_ad_id`, or IP address and user agent ("Insufficient PII") | 400 `INVALID` with `event` |
/// | `PURCHASE` has `custom_data.currency` (three letters) and a numeric `value` | 400 `INVALID` with `event` |
/// | `data_processing_options` a list of `LDU` (or `lmu`, the unresolved token); `_country`, `_state` integers; `opt_out` boolean | 400 `INVALID` with `event` |
///
/// Outcomes: accepted `200 {"status": "VALID", "reason": …}` (the validate
/// endpoint adds `test_event: true` and one `event_logs` entry per event);
/// rejected `400 {"status": "INVALID", "event": i, "reason": …, "errors":
/// {"codes": […], "error_msgs": […]}}` naming the first bad event (Snap
/// refuses the request whole); per-event failures on the validate endpoint
/// `200` with `event_logs` marking each bad event `INVALID` (on the send
/// endpoint, like a rejection naming the first); unauthorized 401;
/// throttled 429 (Snap sends no rate-limit headers); server error 500.
public struct MockSnapAPI: MockPlatformAPI {
    /// Snap refuses more events than this in one request.
    public static let maxEvents = 2000
    static let hashedKeys = ["em", "ph", "fn", "ln", "ge", "db", "ct", "st", "zp", "country", "external_id"]
    static let clearKeys = ["client_ip_address", "client_user_agent", "sc_click_id", "sc_cookie1", "mobile_ad_id", "madid", "idfv"]
    static let actionSources: Set<String> = ["WEB", "MOBILE_APP", "OFFLINE"]

    /// The pixel id the mock serves; `nil` accepts any.
    public var pixelID: String?
    /// Events older than this are `INVALID` (Snap: 37 days).
    public var maxEventAgeDays: Int64

    public init(pixelID: String? = nil, maxEventAgeDays: Int64 = 37) {
        self.pixelID = pixelID
        self.maxEventAgeDays = maxEventAgeDays
    }

    public var name: String { "snapchat" }
    public var reportsPerEventFailures: Bool { false }

    /// The pixel id and whether it is the validate endpoint, for `/v3/{id}/events[/validate]`.
    static func route(_ path: String) -> (pixelID: String, validate: Bool)? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 4, parts[0].isEmpty, parts[1] == "v3", !parts[2].isEmpty, parts[3] == "events" else { return nil }
        switch parts.count {
        case 4: return (parts[2], false)
        case 5 where parts[4] == "validate": return (parts[2], true)
        default: return nil
        }
    }

    public func handles(_ request: MockHTTPRequest) -> Bool {
        request.method == "POST" && Self.route(request.path) != nil
    }

    public func eventIDs(in request: MockHTTPRequest) -> [String] {
        (request.json?["data"]?.arrayValue ?? []).map { $0["event_id"]?.stringValue ?? "" }
    }

    public func problems(in request: MockHTTPRequest, context: MockCheckContext) -> [MockProblem] {
        guard let token = request.query["access_token"], !token.isEmpty else { return [.auth("Missing access token")] }
        if let expected = context.expectedToken, token != expected { return [.auth("Invalid access token")] }
        if let pixelID, Self.route(request.path)?.pixelID != pixelID { return [.request("Invalid asset id")] }
        guard request.headers["content-type"]?.lowercased().hasPrefix("application/json") == true else {
            return [.request("Content-Type must be application/json")]
        }
        guard let data = request.json?["data"]?.arrayValue, !data.isEmpty else { return [.request("Missing data")] }
        guard data.count <= Self.maxEvents else { return [.request("Too many events: at most \(Self.maxEvents) per request")] }
        var problems: [MockProblem] = []
        for (index, event) in data.enumerated() {
            if let message = check(event: event, now: context.now) { problems.append(.event(index, message)) }
        }
        return problems
    }

    /// The first problem of one event, in Snap's words.
    func check(event: JSONValue, now: Timestamp) -> String? {
        guard event.objectValue != nil else { return "Invalid event" }
        guard let name = event["event_name"]?.nonBlankString,
            name.utf8.allSatisfy({ (0x41...0x5A).contains($0) || (0x30...0x39).contains($0) || $0 == UInt8(ascii: "_") })
        else { return "Missing or invalid event_name" }
        guard let text = event["event_time"]?.numberText, let seconds = Int64(text) else { return "Missing or invalid event_time" }
        if seconds > 99_999_999_999 { return "Timestamp invalid: event_time must be Unix seconds" }
        if seconds < now.secondsSinceEpoch - maxEventAgeDays * 86_400 { return "Timestamp out of range: event is too old" }
        if seconds > now.secondsSinceEpoch + 300 { return "Timestamp out of range: event is in the future" }
        guard let source = event["action_source"]?.stringValue, Self.actionSources.contains(source) else {
            return "Missing or invalid action_source"
        }
        if source == "WEB", event["event_source_url"]?.nonBlankString == nil { return "Missing event_source_url for WEB event" }
        if let id = event["event_id"], id.stringValue == nil { return "Invalid event_id" }
        guard let user = event["user_data"]?.objectValue else { return "Missing user_data" }
        for key in Self.hashedKeys {
            guard let value = user[key] else { continue }
            let values = value.arrayValue ?? [value]
            if values.isEmpty || !values.allSatisfy({ Self.isSHA256($0.stringValue) }) { return "Unhashed or invalid PII: \(key)" }
        }
        for key in Self.clearKeys {
            if let value = user[key], value.stringValue == nil { return "Invalid \(key)" }
        }
        let hasIPAndAgent = user["client_ip_address"] != nil && user["client_user_agent"] != nil
        if user["em"] == nil, user["ph"] == nil, user["mobile_ad_id"] == nil, user["madid"] == nil, !hasIPAndAgent {
            return "Insufficient PII"
        }
        let custom = event["custom_data"]
        if let custom, custom.objectValue == nil { return "Invalid custom_data" }
        if let value = custom?["value"], value.numberText == nil { return "Invalid value" }
        if let currency = custom?["currency"] {
            guard let code = currency.stringValue, code.utf8.count == 3, code.utf8.allSatisfy({ (0x41...0x5A).contains($0 & 0xDF) }) else {
                return "Invalid currency"
            }
        }
        if name == "PURCHASE", custom?["currency"] == nil || custom?["value"] == nil { return "Missing price or currency for PURCHASE" }
        if let options = event["data_processing_options"] {
            guard let list = options.arrayValue, list.allSatisfy({ ["LDU", "lmu"].contains($0.stringValue ?? "") }) else {
                return "Invalid data_processing_options"
            }
        }
        for key in ["data_processing_options_country", "data_processing_options_state"] {
            if let value = event[key], value.numberText.flatMap({ Int($0) }) == nil { return "Invalid \(key)" }
        }
        if let optOut = event["opt_out"], optOut.boolValue == nil { return "Invalid opt_out" }
        return nil
    }

    public func answer(_ outcome: MockOutcome, to request: MockHTTPRequest) -> MockHTTPResponse {
        let validate = Self.route(request.path)?.validate ?? false
        let count = eventIDs(in: request).count
        switch outcome {
        case .accepted:
            var body: [String: JSONValue] = ["status": .string("VALID"), "reason": .string("Events accepted")]
            if validate {
                body["test_event"] = .bool(true)
                body["event_logs"] = .array((0..<count).map { Self.log($0, failure: nil) })
            }
            return .json(200, .object(body))
        case .partial(let failed, _):
            guard validate else {
                let first = failed.keys.min()
                return Self.invalid(index: first, message: first.flatMap { failed[$0] } ?? "Invalid event", validate: false)
            }
            return .json(
                200,
                .object([
                    "status": .string("INVALID"), "test_event": .bool(true), "reason": .string("Some events are invalid"),
                    "event_logs": .array((0..<count).map { Self.log($0, failure: failed[$0]) }),
                ]))
        case .rejected(let index, let message):
            return Self.invalid(index: index, message: message, validate: validate)
        case .unauthorized(let message):
            return .json(401, .object(["status": .string("INVALID"), "reason": .string(message)]))
        case .throttled:
            return .json(429, .object(["status": .string("INVALID"), "reason": .string("Too many requests")]))
        case .serverError:
            return .json(500, .object(["status": .string("INVALID"), "reason": .string("Internal server error")]))
        }
    }

    /// `400 {"status": "INVALID", "event": i, "reason", "errors"}`.
    static func invalid(index: Int?, message: String, validate: Bool) -> MockHTTPResponse {
        var body: [String: JSONValue] = [
            "status": .string("INVALID"), "reason": .string(message),
            "errors": .object(["codes": .array([.string("INVALID_EVENT")]), "error_msgs": .array([.string(message)])]),
        ]
        if let index { body["event"] = .number(String(index)) }
        if validate { body["test_event"] = .bool(true) }
        return .json(400, .object(body))
    }

    /// One `event_logs` entry of the validate endpoint.
    static func log(_ index: Int, failure: String?) -> JSONValue {
        var entry: [String: JSONValue] = ["event": .number(String(index)), "status": .string(failure == nil ? "VALID" : "INVALID")]
        if let failure {
            entry["errors"] = .object(["codes": .array([.string("INVALID_EVENT")]), "error_msgs": .array([.string(failure)])])
        }
        entry["warnings"] = .array([])
        return .object(entry)
    }

    static func isSHA256(_ text: String?) -> Bool {
        guard let text else { return false }
        return text.utf8.count == 64 && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }
}
