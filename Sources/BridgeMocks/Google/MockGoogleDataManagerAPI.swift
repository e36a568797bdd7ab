import BridgeCore
import Crypto
import Foundation
import _CryptoExtras

/// Google's Data Manager API `POST /v1/events:ingest` as `MockPlatformServer`
/// plays it (`docs/destinations/google.md`): OAuth bearer token (one
/// the server's token endpoint issued, or `expectedToken`), at most 2,000
/// events and 10 destinations, hashed identifiers 64 lowercase hex under
/// `encoding: HEX`, every address with all four parts, region code in upper
/// case, RFC 3339 `eventTimestamp` within the age limit, at least one
/// identifier per event, not both `gbraid` and `wbraid`.
///
/// Answers: 200 `{"requestId": …}`; Google's error envelope with 400
/// `INVALID_ARGUMENT` (`ErrorInfo.reason` and a `BadRequest` field violation
/// `events[i]…` naming the bad event), 401 `UNAUTHENTICATED`, 429
/// `RESOURCE_EXHAUSTED`, 503 `UNAVAILABLE`. One bad event refuses the whole
/// request (`reportsPerEventFailures` is false).
///
/// Problem messages read `REASON: field: description`; a scripted
/// `.rejected(index:message:)` may use the same form to choose the reason.
public struct MockGoogleDataManagerAPI: MockPlatformAPI {
    public var name: String { "google" }
    public var reportsPerEventFailures: Bool { false }
    /// The oldest `eventTimestamp` accepted.
    public var maxEventAgeSeconds: Int64
    /// How far in the future an `eventTimestamp` may be.
    public var futureToleranceSeconds: Int64

    public init(maxEventAgeSeconds: Int64 = 90 * 86_400, futureToleranceSeconds: Int64 = 60) {
        self.maxEventAgeSeconds = maxEventAgeSeconds
        self.futureToleranceSeconds = futureToleranceSeconds
    }

    static let path = "/v1/events:ingest"
    static let accountTypes: Set<String> = [
        "GOOGLE_ADS", "DISPLAY_VIDEO_PARTNER", "DISPLAY_VIDEO_ADVERTISER", "DATA_PARTNER", "GOOGLE_ANALYTICS_PROPERTY",
    ]
    static let consentValues: Set<String> = ["CONSENT_GRANTED", "CONSENT_DENIED", "CONSENT_STATUS_UNSPECIFIED"]
    static let eventSources: Set<String> = ["WEB", "APP", "IN_STORE", "PHONE", "MESSAGE", "OTHER", "EVENT_SOURCE_UNSPECIFIED"]

    public func handles(_ request: MockHTTPRequest) -> Bool { request.path == Self.path }

    public func eventIDs(in request: MockHTTPRequest) -> [String] {
        (request.json?["events"]?.arrayValue ?? []).map { $0["transactionId"]?.stringValue ?? "" }
    }

    public func problems(in request: MockHTTPRequest, context: MockCheckContext) -> [MockProblem] {
        if let auth = MockGoogleAuth.problem(request, context) { return [auth] }
        guard request.method == "POST" else { return [.request("INVALID_ARGUMENT: method: events:ingest takes POST")] }
        guard request.headers["content-type"]?.hasPrefix("application/json") == true else {
            return [.request("INVALID_ARGUMENT: content-type: must be application/json")]
        }
        guard let body = request.json, case .object = body else { return [.request("INVALID_ARGUMENT: body: not a JSON object")] }
        var problems: [MockProblem] = []
        let destinations = body["destinations"]?.arrayValue ?? []
        if destinations.isEmpty || destinations.count > 10 {
            problems.append(.request("INVALID_ARGUMENT: destinations: 1 to 10 destinations required"))
        }
        for (index, destination) in destinations.enumerated() {
            let field = "destinations[\(index)]"
            if !Self.accountTypes.contains(destination["operatingAccount"]?["accountType"]?.stringValue ?? "") {
                problems.append(.request("INVALID_ARGUMENT: \(field).operatingAccount.accountType: unknown account type"))
            }
            if !MockGoogleAuth.isDigits(destination["operatingAccount"]?["accountId"]?.stringValue ?? "") {
                problems.append(.request("INVALID_OPERATING_ACCOUNT: \(field).operatingAccount.accountId: digits required"))
            }
            if let login = destination["loginAccount"], !MockGoogleAuth.isDigits(login["accountId"]?.stringValue ?? "") {
                problems.append(.request("INVALID_ARGUMENT: \(field).loginAccount.accountId: digits required"))
            }
            if !MockGoogleAuth.isDigits(destination["productDestinationId"]?.stringValue ?? "") {
                problems.append(.request("INVALID_CONVERSION_ACTION_ID: \(field).productDestinationId: the conversion action id is required"))
            }
        }
        guard let events = body["events"]?.arrayValue, !events.isEmpty else {
            return problems + [.request("INVALID_ARGUMENT: events: at least one event is required")]
        }
        if events.count > 2000 { problems.append(.request("TOO_MANY_EVENTS: events: at most 2000 events per request")) }
        if let validateOnly = body["validateOnly"], validateOnly.boolValue == nil {
            problems.append(.request("INVALID_ARGUMENT: validateOnly: must be a boolean"))
        }
        let encoding = body["encoding"]?.stringValue
        if events.contains(where: { $0["userData"] != nil }), encoding != "HEX", encoding != "BASE64" {
            problems.append(.request("INVALID_ARGUMENT: encoding: required (HEX or BASE64) when userData is present"))
        }
        problems += consentProblems(body["consent"], field: "consent").map { MockProblem.request($0) }
        for (index, event) in events.enumerated() {
            problems += eventProblems(event, field: "events[\(index)]", hex: encoding == "HEX", now: context.now).map { .event(index, $0) }
        }
        return problems
    }

    /// One event's problems, as `REASON: field: description`.
    func eventProblems(_ event: JSONValue, field: String, hex: Bool, now: Timestamp) -> [String] {
        var problems: [String] = []
        if let text = event["eventTimestamp"]?.stringValue, let time = Timestamp(rfc3339: text) {
            if time < now.advanced(by: .seconds(-maxEventAgeSeconds)) {
                problems.append("EVENT_TIME_INVALID: \(field).eventTimestamp: the event is too old")
            } else if time > now.advanced(by: .seconds(futureToleranceSeconds)) {
                problems.append("EVENT_TIME_INVALID: \(field).eventTimestamp: the event is in the future")
            }
        } else {
            problems.append("EVENT_TIME_INVALID: \(field).eventTimestamp: an RFC 3339 timestamp is required")
        }
        if let source = event["eventSource"], !Self.eventSources.contains(source.stringValue ?? "") {
            problems.append("INVALID_ARGUMENT: \(field).eventSource: unknown event source")
        }
        let identifiers = event["userData"]?["userIdentifiers"]?.arrayValue ?? []
        if identifiers.count > 10 { problems.append("TOO_MANY_USER_IDENTIFIERS: \(field).userData.userIdentifiers: at most 10") }
        for (position, identifier) in identifiers.enumerated() {
            problems += identifierProblems(identifier, field: "\(field).userData.userIdentifiers[\(position)]", hex: hex)
        }
        let ad = event["adIdentifiers"]
        let clickIDs = ["gclid", "gbraid", "wbraid"].filter { ad?[$0]?.nonBlankString != nil }
        if identifiers.isEmpty, clickIDs.isEmpty {
            problems.append("NO_IDENTIFIERS_PROVIDED: \(field): no user identifier and no ad identifier")
        }
        if clickIDs.contains("gbraid"), clickIDs.contains("wbraid") {
            problems.append("INVALID_ARGUMENT: \(field).adIdentifiers: send only one of gbraid and wbraid")
        }
        if let value = event["conversionValue"] {
            if value.numberText == nil || value.numberText?.hasPrefix("-") == true {
                problems.append("INVALID_ARGUMENT: \(field).conversionValue: must be a non-negative number")
            }
        }
        if let currency = event["currency"] {
            let code = currency.stringValue ?? ""
            if code.utf8.count != 3 || !code.utf8.allSatisfy({ $0 >= 0x41 && $0 <= 0x5A }) {
                problems.append("INVALID_CURRENCY_CODE: \(field).currency: an ISO 4217 code in upper case is required")
            }
        }
        if let cart = event["cartData"] {
            for (position, item) in (cart["items"]?.arrayValue ?? []).enumerated() {
                let quantity = item["quantity"]?.scalarText ?? ""
                if !MockGoogleAuth.isDigits(quantity) {
                    problems.append("INVALID_ARGUMENT: \(field).cartData.items[\(position)].quantity: a whole number is required")
                }
            }
        }
        problems += consentProblems(event["consent"], field: "\(field).consent")
        return problems
    }

    /// Exactly one of `emailAddress`, `phoneNumber`, `address`; digests in hex.
    func identifierProblems(_ identifier: JSONValue, field: String, hex: Bool) -> [String] {
        let present = ["emailAddress", "phoneNumber", "address"].filter { identifier[$0] != nil }
        guard present.count == 1, let kind = present.first else {
            return ["INVALID_ARGUMENT: \(field): exactly one of emailAddress, phoneNumber, address is required"]
        }
        func digestProblem(_ value: JSONValue?, _ path: String) -> String? {
            guard hex else { return value?.nonBlankString == nil ? "INVALID_ARGUMENT: \(path): required" : nil }
            return MockGoogleAuth.isSHA256(value?.stringValue ?? "") ? nil : "INVALID_HEX_ENCODING: \(path): must be a SHA-256 digest in lowercase hex"
        }
        switch kind {
        case "address":
            let address = identifier["address"]
            var problems = [
                digestProblem(address?["givenName"], "\(field).address.givenName"),
                digestProblem(address?["familyName"], "\(field).address.familyName"),
            ].compactMap { $0 }
            let region = address?["regionCode"]?.stringValue ?? ""
            if region.utf8.count != 2 || !region.utf8.allSatisfy({ $0 >= 0x41 && $0 <= 0x5A }) {
                problems.append("INVALID_COUNTRY_CODE: \(field).address.regionCode: an ISO 3166-1 alpha-2 code in upper case is required")
            }
            if address?["postalCode"]?.nonBlankString == nil {
                problems.append("INVALID_ARGUMENT: \(field).address.postalCode: required with an address")
            }
            return problems
        default:
            return [digestProblem(identifier[kind], "\(field).\(kind)")].compactMap { $0 }
        }
    }

    func consentProblems(_ consent: JSONValue?, field: String) -> [String] {
        guard let consent else { return [] }
        return ["adUserData", "adPersonalization"].compactMap { key in
            guard let value = consent[key] else { return nil }
            return Self.consentValues.contains(value.stringValue ?? "") ? nil : "INVALID_ARGUMENT: \(field).\(key): unknown consent status"
        }
    }

    public func answer(_ outcome: MockOutcome, to request: MockHTTPRequest) -> MockHTTPResponse {
        switch outcome {
        case .accepted:
            let digest = SHA256.hash(data: request.body).map { String(format: "%02x", $0) }.joined()
            let requestID = "\(digest.prefix(8))-\(digest.dropFirst(8).prefix(4))-\(digest.dropFirst(12).prefix(4))-\(digest.dropFirst(16).prefix(12))"
            return .json(200, .object(["requestId": .string(requestID)]))
        case .partial(let failed, _):
            let first = failed.keys.min() ?? 0
            return Self.invalidArgument(index: first, message: failed[first] ?? "")
        case .rejected(let index, let message):
            return Self.invalidArgument(index: index, message: message)
        case .unauthorized(let message):
            return MockGoogleErrors.envelope(
                401, "UNAUTHENTICATED",
                "Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.",
                details: [MockGoogleErrors.errorInfo(MockGoogleErrors.parse(message).reason ?? "ACCESS_TOKEN_EXPIRED", domain: "googleapis.com")])
        case .throttled:
            return MockGoogleErrors.envelope(
                429, "RESOURCE_EXHAUSTED",
                "Quota exceeded for quota metric 'Ingestion requests' and limit 'Ingestion requests per minute per project' of service 'datamanager.googleapis.com'.",
                details: [MockGoogleErrors.errorInfo("RATE_LIMIT_EXCEEDED", domain: "googleapis.com")])
        case .serverError:
            return MockGoogleErrors.envelope(503, "UNAVAILABLE", "The service is currently unavailable.")
        }
    }

    /// 400 `INVALID_ARGUMENT` with the reason and a field violation.
    static func invalidArgument(index: Int?, message: String) -> MockHTTPResponse {
        let parsed = MockGoogleErrors.parse(message)
        var field = parsed.field ?? index.map { "events[\($0)]" } ?? ""
        if let index, !field.hasPrefix("events[") { field = "events[\(index)]" }
        var details: [JSONValue] = []
        if let reason = parsed.reason { details.append(MockGoogleErrors.errorInfo(reason, domain: "datamanager.googleapis.com")) }
        details.append(
            .object([
                "@type": .string("type.googleapis.com/google.rpc.BadRequest"),
                "fieldViolations": .array([.object(["field": .string(field), "description": .string(parsed.description)])]),
            ]))
        return MockGoogleErrors.envelope(400, "INVALID_ARGUMENT", "Request contains an invalid argument.", details: details)
    }
}

/// Bearer-token and format checks shared by the Google mocks.
enum MockGoogleAuth {
    /// The auth problem of a request, if any: no bearer token, or one the
    /// mock neither issued nor expects.
    static func problem(_ request: MockHTTPRequest, _ context: MockCheckContext) -> MockProblem? {
        guard let token = request.bearerToken, !token.isEmpty else {
            return .auth("CREDENTIALS_MISSING: authorization: request is missing required authentication credential")
        }
        if context.issuedTokens.contains(token) || token == context.expectedToken { return nil }
        return .auth("ACCESS_TOKEN_EXPIRED: authorization: request had invalid authentication credentials")
    }

    static func isDigits(_ text: String) -> Bool { !text.isEmpty && text.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }

    static func isSHA256(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
    }
}

/// Google's error envelope and the `REASON: field: description` messages of the Google mocks.
enum MockGoogleErrors {
    static func envelope(_ code: Int, _ status: String, _ message: String, details: [JSONValue] = []) -> MockHTTPResponse {
        var error: [String: JSONValue] = ["code": .number(String(code)), "status": .string(status), "message": .string(message)]
        if !details.isEmpty { error["details"] = .array(details) }
        return .json(code, .object(["error": .object(error)]))
    }

    static func errorInfo(_ reason: String, domain: String) -> JSONValue {
        .object(["@type": .string("type.googleapis.com/google.rpc.ErrorInfo"), "reason": .string(reason), "domain": .string(domain)])
    }

    /// Splits `REASON: field: description` (each part optional from the left).
    static func parse(_ message: String) -> (reason: String?, field: String?, description: String) {
        var parts = message.components(separatedBy: ": ")
        var reason: String?
        var field: String?
        if parts.count > 1, let first = parts.first, isCode(first) {
            reason = first
            parts.removeFirst()
        }
        if parts.count > 1, let first = parts.first, !first.contains(" ") {
            field = first
            parts.removeFirst()
        }
        return (reason, field, parts.joined(separator: ": "))
    }

    /// `INVALID_HEX_ENCODING`, `conversionUploadError.TOO_RECENT_EVENT`.
    static func isCode(_ text: String) -> Bool {
        let code = text.split(separator: ".").last.map(String.init) ?? text
        return !code.isEmpty && code.utf8.allSatisfy { ($0 >= 0x41 && $0 <= 0x5A) || $0 == 0x5F || ($0 >= 0x30 && $0 <= 0x39) }
    }
}

/// The other half of `GoogleServiceAccountIssuer`: checks a JWT-bearer
/// assertion as Google's token endpoint does (RS256 signature with the
/// service account's public key, `iss`, `scope`, `aud`, a lifetime of at
/// most one hour, not expired). Pass it as `MockOAuthOptions.acceptsAssertion`.
public enum MockGoogleServiceAccount {
    public static func verifier(
        publicKey: _RSA.Signing.PublicKey, clientEmail: String, scope: String, audience: String,
        now: @escaping @Sendable () -> Timestamp = { Timestamp(millisecondsSinceEpoch: Int64(Date().timeIntervalSince1970 * 1000)) }
    ) -> @Sendable (String) -> Bool {
        return { assertion in
            let parts = assertion.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 3, let headerBytes = base64URLDecode(parts[0]), let claimsBytes = base64URLDecode(parts[1]),
                let signature = base64URLDecode(parts[2]),
                let header = try? JSONParser.parse(headerBytes), let claims = try? JSONParser.parse(claimsBytes)
            else { return false }
            guard header["alg"]?.stringValue == "RS256" else { return false }
            let signed = Array((parts[0] + "." + parts[1]).utf8)
            guard
                publicKey.isValidSignature(
                    _RSA.Signing.RSASignature(rawRepresentation: signature), for: SHA256.hash(data: signed), padding: .insecurePKCS1v1_5)
            else { return false }
            guard claims["iss"]?.stringValue == clientEmail, claims["scope"]?.stringValue == scope, claims["aud"]?.stringValue == audience,
                let iat = claims["iat"]?.scalarText.flatMap({ Int64($0) }), let exp = claims["exp"]?.scalarText.flatMap({ Int64($0) })
            else { return false }
            let current = now().secondsSinceEpoch
            return exp > iat && exp - iat <= 3600 && exp > current && iat <= current + 300
        }
    }

    static func base64URLDecode(_ text: String) -> [UInt8]? {
        var standard = String(text.map { $0 == "-" ? "+" : $0 == "_" ? "/" : $0 })
        let remainder = standard.utf8.count % 4
        if remainder == 1 { return nil }
        if remainder > 0 { standard += String(repeating: "=", count: 4 - remainder) }
        return Data(base64Encoded: standard).map { Array($0) }
    }
}
