/// One scripted answer of `MockMetaServer`. Scripted answers are queued with
/// `MockMetaServer.script(_:)` and each request consumes one; with the queue
/// empty, requests are validated and answered as Meta would.
public enum MockMetaBehaviour: Sendable, Equatable {
    /// Validate and answer as usual (a placeholder in a script).
    case accept
    /// A bare HTTP status with a plain-text body, as a proxy or load balancer
    /// sends it (`.status(503)`, `.status(429, retryAfter: 2)`), without
    /// reading the request.
    case status(Int, retryAfter: Int? = nil)
    /// A Graph API error envelope with `code`, `error_subcode` and
    /// `is_transient`, and extra response headers such as
    /// `x-business-use-case-usage`.
    case graphError(code: Int, subcode: Int? = nil, status: Int = 400, isTransient: Bool = false, headers: [String: String] = [:])
    /// Waits, then validates and answers as usual (latency for timeouts and benchmarks).
    case delay(milliseconds: Int)
    /// A 200 claiming `count` events were received, whatever was sent.
    case eventsReceived(Int)
}

extension MockMetaBehaviour {
    /// The same answer as `MockPlatformServer` scripts it for `MockMetaAPI`.
    var platformBehaviour: MockPlatformBehaviour {
        switch self {
        case .accept: .accept
        case .status(let status, let retryAfter): .status(status, retryAfter: retryAfter)
        case .graphError(let code, let subcode, let status, let isTransient, let headers):
            .respond(
                MockGraphError.canned(code: code, subcode: subcode, status: status, isTransient: isTransient)
                    .response(traceID: "AMockScripted", headers: headers.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }))
        case .delay(let milliseconds): .delay(milliseconds: milliseconds)
        case .eventsReceived(let count): .outcome(.accepted(count: count))
        }
    }
}

/// Subcodes the mock answers with. Meta documents 2804003 and 2804009;
/// the others are the mock's own choice where Meta documents none.
public enum MockMetaSubcode {
    /// An `event_time` older than 7 days (Meta: "Event Timestamp Too Old").
    public static let eventTooOld = 2_804_003
    /// A Purchase without `value` or `currency` (Meta).
    public static let missingPurchaseValue = 2_804_009
    /// An `event_time` too far in the future (mock's choice).
    public static let eventInFuture = 2_804_004
    /// Any other invalid parameter (mock's choice).
    public static let invalidParameter = 2_804_000
    /// An event refused by a `rejectEvents` rule (mock's choice).
    public static let rejectedByScript = 2_804_050
}
