import BridgeCore
import Foundation

/// The Google Ads API `POST /{version}/customers/{id}:uploadClickConversions`
/// as `MockPlatformServer` plays it (`docs/destinations/google.md`):
/// OAuth bearer token plus the `developer-token` header (and a 10-digit
/// `login-customer-id` when present), at most 2,000 conversions, the
/// conversion action a resource of the same customer, `conversionDateTime`
/// as `yyyy-mm-dd hh:mm:ss+hh:mm` within the age limit, at most one click
/// id, at most 5 user identifiers and only `hashedEmail` /
/// `hashedPhoneNumber` in 64 lowercase hex, `consent.adUserData` only.
///
/// With `partialFailure: true` bad rows come back in a 200 as
/// `partialFailureError` (a `GoogleAdsFailure` whose errors locate
/// `{"fieldName": "conversions", "index": i}`), the other rows in
/// `results`; without it one bad row fails the call with 400. Other
/// answers: 401 `UNAUTHENTICATED` (`authenticationError`), 429
/// `RESOURCE_EXHAUSTED` (`quotaError` with `retryDelay`), 500 `INTERNAL`.
///
/// Problem messages read `category.CODE: field: description`; scripted
/// messages may use the same form (`conversionUploadError.TOO_RECENT_EVENT: …`)
/// to choose the error code.
public struct MockGoogleAdsAPI: MockPlatformAPI {
    public var name: String { "google_ads" }
    public var reportsPerEventFailures: Bool { true }
    /// The developer token the API expects.
    public var developerToken: String
    /// The API version answered (`v26`), for the failure's `@type`.
    public var apiVersion: String
    /// The oldest conversion accepted (`EXPIRED_EVENT`).
    public var maxEventAgeSeconds: Int64
    /// `quotaErrorDetails.retryDelay` of a throttling answer, in seconds.
    public var retryDelaySeconds: Int

    public init(developerToken: String, apiVersion: String = "v26", maxEventAgeSeconds: Int64 = 90 * 86_400, retryDelaySeconds: Int = 30) {
        self.developerToken = developerToken
        self.apiVersion = apiVersion
        self.maxEventAgeSeconds = maxEventAgeSeconds
        self.retryDelaySeconds = retryDelaySeconds
    }

    static let consentValues: Set<String> = ["GRANTED", "DENIED", "UNSPECIFIED", "UNKNOWN"]
    static let identifierSources: Set<String> = ["FIRST_PARTY", "THIRD_PARTY", "UNSPECIFIED", "UNKNOWN"]

    /// The customer id of `/{version}/customers/{id}:uploadClickConversions`, or `nil`.
    func customerID(_ path: String) -> String? {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0].isEmpty, parts[1] == Substring(apiVersion), parts[2] == "customers",
            parts[3].hasSuffix(":uploadClickConversions")
        else { return nil }
        let id = String(parts[3].dropLast(":uploadClickConversions".count))
        return MockGoogleAuth.isDigits(id) ? id : nil
    }

    public func handles(_ request: MockHTTPRequest) -> Bool { customerID(request.path) != nil }

    public func eventIDs(in request: MockHTTPRequest) -> [String] {
        (request.json?["conversions"]?.arrayValue ?? []).map { $0["orderId"]?.stringValue ?? "" }
    }

    public func problems(in request: MockHTTPRequest, context: MockCheckContext) -> [MockProblem] {
        if let auth = MockGoogleAuth.problem(request, context) {
            return [.auth("authenticationError.OAUTH_TOKEN_INVALID: authorization: \(MockGoogleErrors.parse(auth.message).description)")]
        }
        guard let sent = request.headers["developer-token"], !sent.isEmpty else {
            return [.auth("authenticationError.DEVELOPER_TOKEN_PARAMETER_MISSING: developer-token: the developer-token header is required")]
        }
        guard sent == developerToken else { return [.auth("authenticationError.DEVELOPER_TOKEN_INVALID: developer-token: not a valid developer token")] }
        if let login = request.headers["login-customer-id"], login.utf8.count != 10 || !MockGoogleAuth.isDigits(login) {
            return [.request("requestError.INVALID_CUSTOMER_ID: login-customer-id: 10 digits without dashes")]
        }
        guard request.method == "POST" else { return [.request("requestError.INVALID_INPUT: method: uploadClickConversions takes POST")] }
        guard request.headers["content-type"]?.hasPrefix("application/json") == true else {
            return [.request("requestError.INVALID_INPUT: content-type: must be application/json")]
        }
        guard let body = request.json, case .object = body, let conversions = body["conversions"]?.arrayValue, !conversions.isEmpty else {
            return [.request("requestError.REQUIRED_FIELD_MISSING: conversions: at least one conversion is required")]
        }
        var problems: [MockProblem] = []
        if conversions.count > 2000 {
            problems.append(.request("conversionUploadError.TOO_MANY_CONVERSIONS_IN_REQUEST: conversions: at most 2000 conversions"))
        }
        for key in ["partialFailure", "validateOnly"] where body[key] != nil && body[key]?.boolValue == nil {
            problems.append(.request("requestError.INVALID_INPUT: \(key): must be a boolean"))
        }
        let customer = customerID(request.path) ?? ""
        for (index, conversion) in conversions.enumerated() {
            problems += conversionProblems(conversion, field: "conversions[\(index)]", customer: customer, now: context.now).map { .event(index, $0) }
        }
        return problems
    }

    /// One conversion's problems, as `category.CODE: field: description`.
    func conversionProblems(_ conversion: JSONValue, field: String, customer: String, now: Timestamp) -> [String] {
        var problems: [String] = []
        let action = conversion["conversionAction"]?.stringValue ?? ""
        let actionParts = action.split(separator: "/", omittingEmptySubsequences: false)
        if actionParts.count != 4 || actionParts[0] != "customers" || actionParts[1] != Substring(customer) || actionParts[2] != "conversionActions"
            || !MockGoogleAuth.isDigits(String(actionParts[3]))
        {
            problems.append("conversionUploadError.NO_CONVERSION_ACTION_FOUND: \(field).conversionAction: customers/\(customer)/conversionActions/{id} required")
        }
        let dateTime = conversion["conversionDateTime"]?.stringValue ?? ""
        if let time = Self.parseDateTime(dateTime) {
            if time < now.advanced(by: .seconds(-maxEventAgeSeconds)) {
                problems.append("conversionUploadError.EXPIRED_EVENT: \(field).conversionDateTime: the click is older than the click-through window")
            } else if time > now.advanced(by: .seconds(60)) {
                problems.append("dateError.LATER_THAN_MAXIMUM_DATE: \(field).conversionDateTime: the conversion is in the future")
            }
        } else {
            problems.append("dateError.INVALID_FIELD_VALUES_IN_DATE_TIME: \(field).conversionDateTime: yyyy-mm-dd hh:mm:ss+hh:mm required")
        }
        let clickIDs = ["gclid", "gbraid", "wbraid"].filter { conversion[$0] != nil }
        if clickIDs.contains("gbraid"), clickIDs.contains("wbraid") {
            problems.append("conversionUploadError.GBRAID_WBRAID_BOTH_SET: \(field): only one of gbraid and wbraid")
        } else if clickIDs.count > 1 {
            problems.append("fieldError.VALUE_MUST_BE_UNSET: \(field): only one of gclid, gbraid and wbraid")
        }
        for id in clickIDs where conversion[id]?.nonBlankString == nil {
            problems.append("conversionUploadError.UNPARSEABLE_\(id.uppercased()): \(field).\(id): empty")
        }
        let identifiers = conversion["userIdentifiers"]?.arrayValue ?? []
        if identifiers.count > 5 { problems.append("collectionSizeError.TOO_MANY: \(field).userIdentifiers: at most 5") }
        for (position, identifier) in identifiers.enumerated() {
            let path = "\(field).userIdentifiers[\(position)]"
            guard case .object(let members) = identifier else { continue }
            let kinds = members.keys.filter { $0 != "userIdentifierSource" }
            if kinds.contains(where: { $0 != "hashedEmail" && $0 != "hashedPhoneNumber" }) {
                problems.append("conversionUploadError.UNSUPPORTED_USER_IDENTIFIER: \(path): only hashedEmail and hashedPhoneNumber")
            } else if kinds.count != 1 {
                problems.append("conversionUploadError.INVALID_USER_IDENTIFIER: \(path): exactly one identifier per entry")
            } else if let kind = kinds.first, !MockGoogleAuth.isSHA256(members[kind]?.stringValue ?? "") {
                problems.append("conversionUploadError.INVALID_USER_IDENTIFIER: \(path).\(kind): must be a SHA-256 digest in lowercase hex")
            }
            if let source = members["userIdentifierSource"], !Self.identifierSources.contains(source.stringValue ?? "") {
                problems.append("requestError.INVALID_ENUM_VALUE: \(path).userIdentifierSource: unknown source")
            }
        }
        if clickIDs.isEmpty, identifiers.isEmpty {
            problems.append("conversionUploadError.CLICK_NOT_FOUND: \(field): neither a click id nor a user identifier")
        }
        if let value = conversion["conversionValue"], value.numberText == nil || value.numberText?.hasPrefix("-") == true {
            problems.append("requestError.INVALID_INPUT: \(field).conversionValue: must be a non-negative number")
        }
        if let currency = conversion["currencyCode"] {
            let code = currency.stringValue ?? ""
            if code.utf8.count != 3 || !code.utf8.allSatisfy({ $0 >= 0x41 && $0 <= 0x5A }) {
                problems.append("conversionUploadError.INVALID_CURRENCY_CODE: \(field).currencyCode: an ISO 4217 code is required")
            }
        }
        if let consent = conversion["consent"] {
            if consent["adPersonalization"] != nil {
                problems.append("fieldError.VALUE_MUST_BE_UNSET: \(field).consent.adPersonalization: cannot be set on conversions")
            }
            if let value = consent["adUserData"], !Self.consentValues.contains(value.stringValue ?? "") {
                problems.append("requestError.INVALID_ENUM_VALUE: \(field).consent.adUserData: unknown consent status")
            }
        }
        return problems
    }

    /// `yyyy-mm-dd hh:mm:ss+hh:mm` (the offset required).
    static func parseDateTime(_ text: String) -> Timestamp? {
        let bytes = Array(text.utf8)
        guard bytes.count == 25, bytes[10] == UInt8(ascii: " "), bytes[19] == UInt8(ascii: "+") || bytes[19] == UInt8(ascii: "-") else {
            return nil
        }
        return Timestamp(rfc3339: text)
    }

    public func answer(_ outcome: MockOutcome, to request: MockHTTPRequest) -> MockHTTPResponse {
        let conversions = request.json?["conversions"]?.arrayValue ?? []
        let validateOnly = request.json?["validateOnly"]?.boolValue ?? false
        switch outcome {
        case .accepted:
            if validateOnly { return .json(200, .object([:])) }
            return .json(200, .object(["results": .array(conversions.map(Self.result)), "jobId": .number("1")]))
        case .partial(let failed, _):
            guard request.json?["partialFailure"]?.boolValue == true else {
                let first = failed.keys.min() ?? 0
                return failure(400, "INVALID_ARGUMENT", "Request contains an invalid argument.", [(first, failed[first] ?? "")])
            }
            let errors = failed.keys.sorted().map { ($0 as Int?, failed[$0] ?? "") }
            let failure = googleAdsFailure(errors, defaultCode: "conversionUploadError.INVALID_USER_IDENTIFIER")
            let firstMessage = errors.first.map { MockGoogleErrors.parse($0.1).description } ?? ""
            var body: [String: JSONValue] = [
                "partialFailureError": .object([
                    "code": .number("3"), "message": .string("Multiple errors in ‘details’. First error: \(firstMessage)"),
                    "details": .array([failure]),
                ])
            ]
            if !validateOnly {
                body["results"] = .array(conversions.indices.map { failed[$0] == nil ? Self.result(conversions[$0]) : .object([:]) })
                body["jobId"] = .number("1")
            }
            return .json(200, .object(body))
        case .rejected(let index, let message):
            return failure(400, "INVALID_ARGUMENT", "Request contains an invalid argument.", [(index, message)])
        case .unauthorized(let message):
            return failure(
                401, "UNAUTHENTICATED", "Request is missing required authentication credential or has invalid credentials.", [(nil, message)],
                defaultCode: "authenticationError.OAUTH_TOKEN_INVALID")
        case .throttled:
            var error = errorEntry(nil, "quotaError.RESOURCE_EXHAUSTED: Too many requests. Retry in \(retryDelaySeconds) seconds.", defaultCode: "")
            if case .object(var members) = error {
                members["details"] = .object([
                    "quotaErrorDetails": .object([
                        "rateScope": .string("DEVELOPER"), "rateName": .string("Number of operations for basic access"),
                        "retryDelay": .string("\(retryDelaySeconds)s"),
                    ])
                ])
                error = .object(members)
            }
            return MockGoogleErrors.envelope(
                429, "RESOURCE_EXHAUSTED", "Too many requests.", details: [failureDetail([error])])
        case .serverError:
            return failure(500, "INTERNAL", "Internal error encountered.", [(nil, "internalError.INTERNAL_ERROR: An internal error has occurred.")])
        }
    }

    /// A successful row: what Google echoes back.
    static func result(_ conversion: JSONValue) -> JSONValue {
        var result: [String: JSONValue] = [:]
        for key in ["conversionAction", "conversionDateTime", "gclid", "gbraid", "wbraid", "userIdentifiers"] {
            if let value = conversion[key] { result[key] = value }
        }
        return .object(result)
    }

    /// The whole call refused with `errors`.
    func failure(_ code: Int, _ status: String, _ message: String, _ errors: [(Int?, String)], defaultCode: String = "requestError.INVALID_INPUT")
        -> MockHTTPResponse
    {
        MockGoogleErrors.envelope(code, status, message, details: [googleAdsFailure(errors, defaultCode: defaultCode)])
    }

    func googleAdsFailure(_ errors: [(Int?, String)], defaultCode: String) -> JSONValue {
        failureDetail(errors.map { errorEntry($0.0, $0.1, defaultCode: defaultCode) })
    }

    func failureDetail(_ errors: [JSONValue]) -> JSONValue {
        .object([
            "@type": .string("type.googleapis.com/google.ads.googleads.\(apiVersion).errors.GoogleAdsFailure"),
            "errors": .array(errors), "requestId": .string("mock-request-1"),
        ])
    }

    /// One `GoogleAdsError`: `errorCode` from the message's `category.CODE`
    /// (else `defaultCode`), located at `conversions[index]` when given.
    func errorEntry(_ index: Int?, _ message: String, defaultCode: String) -> JSONValue {
        let parsed = MockGoogleErrors.parse(message)
        let code = parsed.reason.flatMap { $0.contains(".") ? $0 : "conversionUploadError." + $0 } ?? defaultCode
        let parts = code.split(separator: ".", maxSplits: 1).map(String.init)
        var entry: [String: JSONValue] = [
            "errorCode": .object([parts.first ?? "requestError": .string(parts.count > 1 ? parts[1] : "INVALID_INPUT")]),
            "message": .string(parsed.description),
        ]
        if let index {
            var elements: [JSONValue] = [.object(["fieldName": .string("conversions"), "index": .number(String(index))])]
            if let field = parsed.field, let last = field.split(separator: ".").last, !last.hasPrefix("conversions[") {
                elements.append(.object(["fieldName": .string(String(last.prefix { $0 != "[" }))]))
            }
            entry["location"] = .object(["fieldPathElements": .array(elements)])
        }
        return .object(entry)
    }
}
