import BridgeCore

/// Data Manager's `GET /v1/requestStatus:retrieve?requestId=…` as the mock
/// plays it (`docs/destinations/google.md`, "Confirmed delivery"): a bearer
/// token the mock issued (else 401 `UNAUTHENTICATED`), a `requestId` (else
/// 400 `INVALID_ARGUMENT`), then the scripted status in the documented
/// shape: `{"requestStatusPerDestination": [{"destination": {…},
/// "requestStatus": …, "errorInfo": {"errorCounts": [{"recordCount", "reason"}]},
/// "eventsIngestionStatus": {"recordCount"}}]}`, or 429 `RESOURCE_EXHAUSTED`.
public struct MockDataManagerRequestStatus: MockSideEndpoint {
    /// One scripted answer.
    public enum Status: Sendable, Equatable {
        case success(records: Int)
        case processing
        /// `PARTIAL_SUCCESS` with failed rows per reason.
        case partialSuccess(records: Int, failed: [String: Int])
        /// `FAILED` with failed rows per reason.
        case failed(records: Int, failed: [String: Int])
        case throttled
        case unauthorized
        case notFound
    }

    public let script: MockAnswerScript<Status>

    public init(_ fallback: Status = .success(records: 1)) { script = MockAnswerScript(fallback) }

    public static let path = "/v1/requestStatus:retrieve"

    public func handles(_ request: MockHTTPRequest) -> Bool { request.method == "GET" && request.path == Self.path }

    public func answer(_ request: MockHTTPRequest, context: MockCheckContext) -> MockHTTPResponse {
        if MockGoogleAuth.problem(request, context) != nil {
            return MockGoogleErrors.envelope(401, "UNAUTHENTICATED", "Request had invalid authentication credentials.")
        }
        guard let requestID = request.query["requestId"], !requestID.isEmpty else {
            return MockGoogleErrors.envelope(400, "INVALID_ARGUMENT", "requestId is required.")
        }
        switch script.next() {
        case .success(let records): return Self.status("SUCCESS", records: records, failed: [:])
        case .processing: return Self.status("PROCESSING", records: nil, failed: [:])
        case .partialSuccess(let records, let failed): return Self.status("PARTIAL_SUCCESS", records: records, failed: failed)
        case .failed(let records, let failed): return Self.status("FAILED", records: records, failed: failed)
        case .throttled:
            return MockGoogleErrors.envelope(429, "RESOURCE_EXHAUSTED", "Quota exceeded for quota metric 'Request status requests'.")
        case .unauthorized: return MockGoogleErrors.envelope(401, "UNAUTHENTICATED", "Request had invalid authentication credentials.")
        case .notFound: return MockGoogleErrors.envelope(404, "NOT_FOUND", "Request \(requestID) not found.")
        }
    }

    static func status(_ status: String, records: Int?, failed: [String: Int]) -> MockHTTPResponse {
        var entry: [String: JSONValue] = [
            "destination": .object(["operatingAccount": .object(["accountType": .string("GOOGLE_ADS"), "accountId": .string("1234567890")])]),
            "requestStatus": .string(status),
        ]
        if !failed.isEmpty {
            entry["errorInfo"] = .object([
                "errorCounts": .array(
                    failed.sorted { $0.key < $1.key }.map { .object(["recordCount": .string(String($0.value)), "reason": .string($0.key)]) })
            ])
        }
        if let records { entry["eventsIngestionStatus"] = .object(["recordCount": .string(String(records))]) }
        return .json(200, .object(["requestStatusPerDestination": .array([.object(entry)])]))
    }
}
