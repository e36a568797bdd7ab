import BridgeCore

/// GA4's Measurement Protocol as `MockPlatformServer` plays it
/// (`docs/destinations/ga4.md`): `POST /mp/collect` and the validation
/// server `POST /debug/mp/collect`, both with `measurement_id` (or
/// `firebase_app_id`) and `api_secret` in the query.
///
/// Checks: `api_secret` (the server's `expectedToken`), exactly one stream
/// parameter, a JSON object body under 130 kB, `client_id` (web) or a
/// 32-hex `app_instance_id` (app), 1–25 `events`, `timestamp_micros` epoch
/// microseconds at most 72 hours old, `user_data` SHA-256 fields 64
/// lowercase hex, `consent` values `GRANTED`/`DENIED`; per event: a valid,
/// unreserved name (≤ 40 characters, letters, digits and `_`, starting with
/// a letter), ≤ 25 params with valid names, string values ≤ 100 characters,
/// `transaction_id` for `purchase` and `refund`, `currency` with `value`,
/// items with `item_id` or `item_name`.
///
/// Answers as GA4 does: `/mp/collect` is **always 204 with an empty body**,
/// whether the request was valid, malformed or had a wrong secret (the
/// events of a refused request are simply not recorded); the validation
/// server answers 200 `{"validationMessages": [...]}` (empty when valid).
/// A problem's message is `<fieldPath> :: <validationCode> :: <description>`.
/// Throttling and server errors (GA4 documents neither) are a 429 and a 503
/// in Google's JSON error shape.
public struct MockGA4API: MockPlatformAPI {
    public var name: String { "ga4" }
    public var reportsPerEventFailures: Bool { false }

    public static let collectPath = "/mp/collect"
    public static let debugPath = "/debug/mp/collect"
    public static let maxEvents = 25
    public static let maxBodyBytes = 130_000
    static let maxAgeMicros: Int64 = 72 * 3600 * 1_000_000
    static let reservedNames: Set<String> = [
        "ad_activeview", "ad_click", "ad_exposure", "ad_query", "ad_reward", "adunit_exposure", "app_background", "app_clear_data",
        "app_exception", "app_remove", "app_store_refund", "app_store_subscription_cancel", "app_store_subscription_convert",
        "app_store_subscription_renew", "app_update", "app_upgrade", "dynamic_link_app_open", "dynamic_link_app_update",
        "dynamic_link_first_open", "error", "first_open", "first_visit", "in_app_purchase", "notification_dismiss",
        "notification_foreground", "notification_open", "notification_receive", "os_update", "session_start", "session_start_with_rollout",
        "user_engagement",
    ]
    static let reservedPrefixes = ["google_", "ga_", "firebase_", "gtag."]

    public init() {}

    public func handles(_ request: MockHTTPRequest) -> Bool {
        request.method == "POST" && (request.path == Self.collectPath || request.path == Self.debugPath)
    }

    /// True for the validation server.
    public static func isValidation(_ request: MockHTTPRequest) -> Bool { request.path == debugPath }

    /// Each event's `transaction_id` (GA4 has no event id).
    public func eventIDs(in request: MockHTTPRequest) -> [String] {
        (request.json?["events"]?.arrayValue ?? []).map { $0["params"]?["transaction_id"]?.scalarText ?? "" }
    }

    public func problems(in request: MockHTTPRequest, context: MockCheckContext) -> [MockProblem] {
        guard let secret = request.query["api_secret"], !secret.isEmpty, context.expectedToken.map({ $0 == secret }) ?? true else {
            return [.auth("api_secret :: VALUE_INVALID :: unknown API secret")]
        }
        var problems: [MockProblem] = []
        let measurementID = request.query["measurement_id"]
        let appID = request.query["firebase_app_id"]
        if (measurementID == nil) == (appID == nil) {
            problems.append(.request("measurement_id :: VALUE_REQUIRED :: exactly one of measurement_id and firebase_app_id is required"))
        }
        if request.body.count >= Self.maxBodyBytes { problems.append(.request(" :: VALUE_OUT_OF_BOUNDS :: the body must be under 130 kB")) }
        guard let json = request.json, case .object = json else { return problems + [.request(" :: VALUE_INVALID :: the body is not a JSON object")] }
        if measurementID != nil, json["client_id"]?.nonBlankString == nil {
            problems.append(.request("client_id :: VALUE_REQUIRED :: client_id is required for web streams"))
        }
        if appID != nil, !Self.isHex(json["app_instance_id"]?.stringValue ?? "", length: 32) {
            problems.append(.request("app_instance_id :: VALUE_INVALID :: app_instance_id must be 32 hexadecimal characters"))
        }
        if let text = json["timestamp_micros"] {
            if let problem = Self.timestampProblem(text, path: "timestamp_micros", now: context.now) { problems.append(.request(problem)) }
        }
        if let userData = json["user_data"] { problems += Self.userDataProblems(userData).map(MockProblem.request) }
        if let consent = json["consent"] {
            for key in ["ad_user_data", "ad_personalization"] {
                if let value = consent[key], !["GRANTED", "DENIED"].contains(value.stringValue ?? "") {
                    problems.append(.request("consent.\(key) :: VALUE_INVALID :: must be GRANTED or DENIED"))
                }
            }
        }
        if let behaviour = json["validation_behavior"], !["RELAXED", "ENFORCE_RECOMMENDATIONS"].contains(behaviour.stringValue ?? "") {
            problems.append(.request("validation_behavior :: VALUE_INVALID :: unknown validation behavior"))
        }
        guard let events = json["events"]?.arrayValue, !events.isEmpty else {
            return problems + [.request("events :: VALUE_REQUIRED :: at least one event is required")]
        }
        if events.count > Self.maxEvents {
            problems.append(.request("events :: EXCEEDED_MAX_ENTITIES :: at most \(Self.maxEvents) events per request"))
        }
        for (index, event) in events.enumerated() {
            if let problem = Self.eventProblem(event, index: index, now: context.now) { problems.append(.event(index, problem)) }
        }
        return problems
    }

    static func timestampProblem(_ value: JSONValue, path: String, now: Timestamp) -> String? {
        guard let text = value.numberText, let micros = Int64(text) else { return "\(path) :: VALUE_INVALID :: must be an integer" }
        let nowMicros = now.millisecondsSinceEpoch * 1000
        if micros < 100_000_000_000_000 { return "\(path) :: VALUE_INVALID :: must be in microseconds" }
        if micros < nowMicros - maxAgeMicros { return "\(path) :: VALUE_OUT_OF_BOUNDS :: more than 72 hours in the past" }
        if micros > nowMicros + 300_000_000 { return "\(path) :: VALUE_OUT_OF_BOUNDS :: in the future" }
        return nil
    }

    static func userDataProblems(_ userData: JSONValue) -> [String] {
        var problems: [String] = []
        for key in ["sha256_email_address", "sha256_phone_number"] {
            guard let value = userData[key] else { continue }
            let values = value.arrayValue ?? [value]
            if values.contains(where: { !isHex($0.stringValue ?? "", length: 64) }) {
                problems.append("user_data.\(key) :: VALUE_INVALID :: must be SHA-256 hex digests")
            }
        }
        for (index, address) in (userData["address"]?.arrayValue ?? []).enumerated() {
            for key in ["sha256_first_name", "sha256_last_name", "sha256_street"] {
                if let value = address[key], !isHex(value.stringValue ?? "", length: 64) {
                    problems.append("user_data.address[\(index)].\(key) :: VALUE_INVALID :: must be a SHA-256 hex digest")
                }
            }
        }
        return problems
    }

    static func eventProblem(_ event: JSONValue, index: Int, now: Timestamp) -> String? {
        let path = "events[\(index)]"
        guard let name = event["name"]?.stringValue else { return "\(path).name :: VALUE_REQUIRED :: event name is required" }
        if !isName(name) { return "\(path).name :: NAME_INVALID :: invalid event name" }
        if reservedNames.contains(name) || reservedPrefixes.contains(where: name.hasPrefix) {
            return "\(path).name :: NAME_RESERVED :: reserved event name"
        }
        if let micros = event["timestamp_micros"], let problem = timestampProblem(micros, path: "\(path).timestamp_micros", now: now) {
            return problem
        }
        let params = event["params"]?.objectValue ?? [:]
        if params.count > 25 { return "\(path).params :: EXCEEDED_MAX_ENTITIES :: at most 25 params" }
        for (key, value) in params {
            if !isName(key) { return "\(path).params.\(key) :: NAME_INVALID :: invalid param name" }
            if let text = value.stringValue, text.count > 100 { return "\(path).params.\(key) :: VALUE_OUT_OF_BOUNDS :: longer than 100 characters" }
        }
        if ["purchase", "refund"].contains(name), params["transaction_id"]?.scalarText?.isEmpty ?? true {
            return "\(path).params.transaction_id :: VALUE_REQUIRED :: transaction_id is required"
        }
        if let value = params["value"] {
            guard value.numberText != nil else { return "\(path).params.value :: VALUE_INVALID :: value must be a number" }
            guard let currency = params["currency"]?.stringValue, currency.utf8.count == 3 else {
                return "\(path).params.currency :: VALUE_REQUIRED :: currency is required with value"
            }
        }
        for (itemIndex, item) in (params["items"]?.arrayValue ?? []).enumerated() {
            if item["item_id"] == nil, item["item_name"] == nil {
                return "\(path).params.items[\(itemIndex)] :: VALUE_REQUIRED :: item_id or item_name is required"
            }
            if let price = item["price"], price.numberText == nil { return "\(path).params.items[\(itemIndex)].price :: VALUE_INVALID :: must be a number" }
        }
        return nil
    }

    public func answer(_ outcome: MockOutcome, to request: MockHTTPRequest) -> MockHTTPResponse {
        let validation = Self.isValidation(request)
        switch outcome {
        case .accepted, .partial:
            return validation ? .json(200, .object(["validationMessages": .array([])])) : Self.noContent
        case .rejected(let index, let message):
            guard validation else { return Self.noContent }
            return .json(200, .object(["validationMessages": .array([Self.validationMessage(message, index: index)])]))
        case .unauthorized:
            // GA4 does not report a wrong secret; the validation server does not check it either.
            return validation ? .json(200, .object(["validationMessages": .array([])])) : Self.noContent
        case .throttled:
            return Self.googleError(429, "RESOURCE_EXHAUSTED", "Quota exceeded.")
        case .serverError:
            return Self.googleError(503, "UNAVAILABLE", "The service is currently unavailable.")
        }
    }

    static let noContent = MockHTTPResponse(status: 204, headers: [], body: [])

    /// `{"fieldPath", "description", "validationCode"}` from a
    /// `<fieldPath> :: <code> :: <description>` message (any other text is
    /// the description of `events[<index>]`, `VALUE_INVALID`).
    static func validationMessage(_ message: String, index: Int?) -> JSONValue {
        let parts = message.split(separator: " :: ", omittingEmptySubsequences: false).map(String.init)
        let (path, code, description): (String, String, String) =
            parts.count == 3
            ? (parts[0], parts[1], parts[2]) : (index.map { "events[\($0)]" } ?? "", "VALUE_INVALID", message)
        return .object(["fieldPath": .string(path), "description": .string(description), "validationCode": .string(code)])
    }

    static func googleError(_ status: Int, _ code: String, _ message: String) -> MockHTTPResponse {
        .json(status, .object(["error": .object(["code": .number(String(status)), "message": .string(message), "status": .string(code)])]))
    }

    static func isName(_ text: String) -> Bool {
        guard let first = text.utf8.first, text.utf8.count <= 40 else { return false }
        func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A }
        return isLetter(first) && text.utf8.allSatisfy { isLetter($0) || ($0 >= 0x30 && $0 <= 0x39) || $0 == UInt8(ascii: "_") }
    }

    static func isHex(_ text: String, length: Int) -> Bool {
        text.utf8.count == length && text.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
    }
}
