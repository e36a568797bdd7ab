import BridgeCore

/// Pinterest's Event Quality Score as the mock plays it
/// (`GET /v5/ad_accounts/{id}/conversion_eqs`, bearer token): the server's
/// token (else 401 `{"code": 2, "message": "Authentication failed."}`), then
/// the scripted answer: an `EventQualityScore` (`overall_status`,
/// `quality_components` per key and event type with `coverage`, `overlap`,
/// `issues`), a permission refusal (403 code 3) or throttling (429 code 8).
public struct MockPinterestEventQuality: MockSideEndpoint {
    public enum Answer: Sendable, Equatable {
        /// Overall status and, per event type, the email coverage.
        case score(status: String, emailCoverage: [String: Double])
        case permissionMissing
        case throttled
    }

    public let script: MockAnswerScript<Answer>
    public let accessToken: String?

    public init(_ fallback: Answer = .score(status: "FAIR", emailCoverage: ["checkout": 71.5]), accessToken: String? = nil) {
        script = MockAnswerScript(fallback)
        self.accessToken = accessToken
    }

    public func handles(_ request: MockHTTPRequest) -> Bool {
        request.method == "GET" && request.path.hasPrefix("/v5/ad_accounts/") && request.path.hasSuffix("/conversion_eqs")
    }

    public func answer(_ request: MockHTTPRequest, context: MockCheckContext) -> MockHTTPResponse {
        let token = request.bearerToken ?? ""
        if token.isEmpty || (accessToken.map { $0 != token } ?? false) {
            return .json(401, .object(["code": .number("2"), "message": .string("Authentication failed.")]))
        }
        switch script.next() {
        case .permissionMissing:
            return .json(403, .object(["code": .number("3"), "message": .string("Not authorized to access the ad account (scope ads:read required).")]))
        case .throttled:
            return .json(429, .object(["code": .number("8"), "message": .string("You have exceeded your rate limit. Try again later.")]))
        case .score(let status, let coverage):
            var email: [String: JSONValue] = [:]
            var ip: [String: JSONValue] = [:]
            for (event, share) in coverage {
                email[event] = .object(["coverage": .number(String(share)), "issues": .array([])])
                ip[event] = .object([
                    "coverage": .number("20"),
                    "issues": .array([
                        .object(["id": .string("LOW_COVERAGE"), "name": .string("Low coverage"), "reason": .string("Send the IP address with more events")])
                    ]),
                ])
            }
            return .json(
                200,
                .object([
                    "ingestion_source": .string(request.query["ingestion_source"] ?? "CONVERSIONS_API"),
                    "lookback_period": .string(request.query["lookback_period"] ?? "14d"),
                    "source_platform": .string(request.query["source_platform"] ?? "WEB"), "overall_status": .string(status),
                    "quality_components": .object(["hashed_email": .object(email), "ip_address": .object(ip)]),
                ]))
        }
    }
}
