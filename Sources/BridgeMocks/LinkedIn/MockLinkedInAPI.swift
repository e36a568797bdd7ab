import BridgeCore

/// LinkedIn's Conversions API as `MockPlatformServer` plays it
/// (`docs/destinations/linkedin.md`): `POST /rest/conversionEvents`, single
/// create (`201`, empty body) or, with `X-RestLi-Method: BATCH_CREATE`,
/// `{"elements": [...]}` (`200 {"elements": [{"status": 201}, …]}`).
///
/// Checks: a bearer token (the static one in `expectedToken`, or one the
/// mock's OAuth endpoint issued and did not revoke), `LinkedIn-Version`
/// `YYYYMM`, `X-Restli-Protocol-Version: 2.0.0`, at most 5,000 elements,
/// and per element: `conversion` an `urn:lla:llaPartnerConversion:<digits>`,
/// `conversionHappenedAt` epoch milliseconds within the last 90 days (and
/// not more than 5 minutes ahead), `conversionValue` with an ISO 4217
/// `currencyCode` and a decimal-string `amount`, `user.userIds` present,
/// known id types, `SHA256_EMAIL` 64 lowercase hex, `userInfo` with both
/// names, and some identifier.
///
/// Answers, in LinkedIn's REST error envelope `{"status", "serviceErrorCode",
/// "code", "message"}`: a bad element refuses the whole batch with 422 and a
/// message `Index: <n>, ERROR :: <path> :: <reason>`; credentials 401
/// `INVALID_ACCESS_TOKEN`; throttling 429 `TOO_MANY_REQUESTS`; server error
/// 500. The exact `code`/`serviceErrorCode` values of 422 and 500 are not
/// documented; these are plausible.
public struct MockLinkedInAPI: MockPlatformAPI {
    public var name: String { "linkedin" }
    public var reportsPerEventFailures: Bool { false }

    public static let path = "/rest/conversionEvents"
    public static let maxElements = 5000
    static let idTypes: Set<String> = [
        "SHA256_EMAIL", "LINKEDIN_FIRST_PARTY_ADS_TRACKING_UUID", "AXCIOM_ID", "ACXIOM_ID", "ORACLE_MOAT_ID",
    ]

    public init() {}

    public func handles(_ request: MockHTTPRequest) -> Bool {
        request.method == "POST" && request.path == Self.path
    }

    /// True with `X-RestLi-Method: BATCH_CREATE`.
    func isBatch(_ request: MockHTTPRequest) -> Bool { request.headers["x-restli-method"] == "BATCH_CREATE" }

    /// The elements of a batch, or the single event of a plain create.
    func elements(_ request: MockHTTPRequest) -> [JSONValue] {
        if isBatch(request) { return request.json?["elements"]?.arrayValue ?? [] }
        return request.json.map { [$0] } ?? []
    }

    public func eventIDs(in request: MockHTTPRequest) -> [String] {
        elements(request).map { $0["eventId"]?.stringValue ?? "" }
    }

    public func problems(in request: MockHTTPRequest, context: MockCheckContext) -> [MockProblem] {
        var problems: [MockProblem] = []
        guard let token = request.bearerToken, !token.isEmpty else { return [.auth("Empty oauth2_access_token")] }
        let valid = context.issuedTokens.contains(token) || context.expectedToken == token
        if !valid { return [.auth("Invalid access token")] }
        if let version = request.headers["linkedin-version"] {
            if !Self.isVersion(version) { problems.append(.request("Invalid LinkedIn-Version header: \(version)")) }
        } else {
            problems.append(.request("A version must be present. Please specify a version by adding the LinkedIn-Version header."))
        }
        if request.headers["x-restli-protocol-version"] != "2.0.0" {
            problems.append(.request("X-Restli-Protocol-Version must be 2.0.0"))
        }
        guard case .object? = request.json else { return problems + [.request("Request body is not a JSON object")] }
        let elements = elements(request)
        if isBatch(request), request.json?["elements"]?.arrayValue == nil { problems.append(.request("Missing elements in BATCH_CREATE body")) }
        if elements.count > Self.maxElements { problems.append(.request("Batch size \(elements.count) exceeds the maximum of \(Self.maxElements)")) }
        for (index, element) in elements.enumerated() {
            if let reason = Self.problem(in: element, now: context.now) { problems.append(.event(index, reason)) }
        }
        return problems
    }

    /// The first thing LinkedIn would refuse in one element, as `<path> :: <reason>`.
    static func problem(in element: JSONValue, now: Timestamp) -> String? {
        guard case .object = element else { return "/ :: element is not an object" }
        guard let conversion = element["conversion"]?.stringValue else { return "/conversion :: field is required" }
        let prefix = "urn:lla:llaPartnerConversion:"
        let ruleID = conversion.hasPrefix(prefix) ? conversion.dropFirst(prefix.count) : ""
        if ruleID.isEmpty || !ruleID.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) { return "/conversion :: invalid conversion URN" }
        guard let text = element["conversionHappenedAt"]?.numberText, let millis = Int64(text) else {
            return "/conversionHappenedAt :: field is required and must be epoch milliseconds"
        }
        if millis < 100_000_000_000 { return "/conversionHappenedAt :: Conversion happened at timestamp must be in milliseconds" }
        if millis < now.millisecondsSinceEpoch - 90 * 86_400_000 {
            return "/conversionHappenedAt :: Conversion happened at timestamp is older than 90 days."
        }
        if millis > now.millisecondsSinceEpoch + 300_000 { return "/conversionHappenedAt :: Conversion happened at timestamp is in the future." }
        if let value = element["conversionValue"] {
            guard let currency = value["currencyCode"]?.stringValue, currency.utf8.count == 3,
                currency.utf8.allSatisfy({ $0 >= 0x41 && $0 <= 0x5A })
            else { return "/conversionValue/currencyCode :: invalid currency code" }
            guard let amount = value["amount"]?.stringValue, Money.Amount(amount) != nil, !amount.hasPrefix("-") else {
                return "/conversionValue/amount :: amount must be a non-negative decimal string"
            }
        }
        if let eventID = element["eventId"], eventID.stringValue == nil { return "/eventId :: must be a string" }
        guard let user = element["user"], case .object = user else { return "/user :: field is required" }
        guard let userIDs = user["userIds"]?.arrayValue else { return "/user/userIds :: field is required" }
        for (index, userID) in userIDs.enumerated() {
            guard let type = userID["idType"]?.stringValue, idTypes.contains(type) else {
                return "/user/userIds/\(index)/idType :: unknown id type"
            }
            guard let value = userID["idValue"]?.stringValue, !value.isEmpty else { return "/user/userIds/\(index)/idValue :: field is required" }
            if type == "SHA256_EMAIL", !isLowerHex64(value) { return "/user/userIds/\(index)/idValue :: must be a SHA-256 hex digest" }
        }
        if let info = user["userInfo"] {
            guard info["firstName"]?.nonBlankString != nil, info["lastName"]?.nonBlankString != nil else {
                return "/user/userInfo :: firstName and lastName are both required"
            }
            if let country = info["countryCode"]?.stringValue, country.utf8.count != 2 { return "/user/userInfo/countryCode :: invalid country code" }
        }
        if userIDs.isEmpty, user["userInfo"] == nil { return "/user :: at least one user identifier or userInfo is required" }
        return nil
    }

    public func answer(_ outcome: MockOutcome, to request: MockHTTPRequest) -> MockHTTPResponse {
        switch outcome {
        case .accepted(let count), .partial(_, let count):
            guard isBatch(request) else { return MockHTTPResponse(status: 201, headers: [], body: []) }
            let statuses = (0..<count).map { _ in JSONValue.object(["status": .number("201")]) }
            return .json(200, .object(["elements": .array(statuses)]))
        case .rejected(let index?, let message):
            return Self.error(422, code: "UNPROCESSABLE_ENTITY", service: 100, "Index: \(index), ERROR :: \(message)\n")
        case .rejected(nil, let message):
            return Self.error(400, code: "BAD_REQUEST", service: 100, message)
        case .unauthorized(let message):
            return Self.error(401, code: "INVALID_ACCESS_TOKEN", service: 65600, message)
        case .throttled:
            return Self.error(
                429, code: "TOO_MANY_REQUESTS", service: 101, "Resource level throttle APPLICATION DAY limit for calls to this resource is reached.")
        case .serverError:
            return Self.error(500, code: "INTERNAL_SERVER_ERROR", service: 0, "Internal Server Error")
        }
    }

    static func error(_ status: Int, code: String, service: Int, _ message: String) -> MockHTTPResponse {
        .json(
            status,
            .object([
                "status": .number(String(status)), "serviceErrorCode": .number(String(service)), "code": .string(code), "message": .string(message),
            ]))
    }

    static func isVersion(_ text: String) -> Bool {
        guard text.utf8.count == 6, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let month = Int(text.suffix(2)) else { return false }
        return (1...12).contains(month)
    }

    static func isLowerHex64(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
    }
}
