import BridgeCore

/// Meta's Dataset Quality API as the mock plays it
/// (`GET /{version}/dataset_quality?dataset_id=…&access_token=…`): the
/// server's access token (else Graph error 190), a `dataset_id` (else 100),
/// then the scripted answer in the documented shape (`{"web": [{"event_name",
/// "event_match_quality": {"composite_score", "match_key_feedback",
/// "diagnostics"}, "event_coverage"}]}`), a permission error (code 10) or
/// throttling (code 4).
public struct MockMetaDatasetQuality: MockSideEndpoint {
    public enum Answer: Sendable, Equatable {
        /// Event name → composite score.
        case scores([String: Double])
        case permissionMissing
        case throttled
    }

    public let script: MockAnswerScript<Answer>
    /// The token the API accepts (`nil`: any).
    public let accessToken: String?

    public init(_ fallback: Answer = .scores(["Purchase": 8.3]), accessToken: String? = nil) {
        script = MockAnswerScript(fallback)
        self.accessToken = accessToken
    }

    public func handles(_ request: MockHTTPRequest) -> Bool { request.method == "GET" && request.path.hasSuffix("/dataset_quality") }

    public func answer(_ request: MockHTTPRequest, context: MockCheckContext) -> MockHTTPResponse {
        let token = request.query["access_token"] ?? ""
        if token.isEmpty || (accessToken.map { $0 != token } ?? false) {
            return Self.graphError(400, code: 190, "Invalid OAuth access token - Cannot parse access token")
        }
        guard request.query["dataset_id"]?.isEmpty == false else { return Self.graphError(400, code: 100, "(#100) dataset_id is required") }
        switch script.next() {
        case .permissionMissing:
            return Self.graphError(403, code: 10, "(#10) Application does not have permission for this action")
        case .throttled:
            return Self.graphError(400, code: 4, "(#4) Application request limit reached")
        case .scores(let scores):
            let rows: [JSONValue] = scores.sorted { $0.key < $1.key }.map { name, score in
                .object([
                    "event_name": .string(name),
                    "event_match_quality": .object([
                        "composite_score": .number(String(score)),
                        "match_key_feedback": .array([
                            .object([
                                "identifier": .string("email"), "coverage": .object(["percentage": .number("92.5")]),
                                "potential_aly_acr_increase": .object(["percentage": .number("12.1"), "description": .string("Send email for more events")]),
                            ]),
                            .object(["identifier": .string("ip_address"), "coverage": .object(["percentage": .number("40")])]),
                        ]),
                        "diagnostics": .array([
                            .object([
                                "name": .string("Server sending mismatched IP addresses"),
                                "solution": .string("Send the customer's IP address, not the server's"), "percentage": .number("12"),
                                "affected_event_count": .number("12"), "total_event_count": .number("100"),
                            ])
                        ]),
                    ]),
                    "event_coverage": .object(["percentage": .number("80"), "goal_percentage": .number("75")]),
                    "data_freshness": .object(["upload_frequency": .string("real_time")]),
                ])
            }
            return .json(200, .object(["web": .array(rows)]))
        }
    }

    static func graphError(_ status: Int, code: Int, _ message: String) -> MockHTTPResponse {
        .json(
            status,
            .object([
                "error": .object([
                    "message": .string(message), "type": .string("OAuthException"), "code": .number(String(code)),
                    "fbtrace_id": .string("AmockTraceId"),
                ])
            ]))
    }
}
