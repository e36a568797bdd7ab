import BridgeCore

/// Looks up what a platform finally did with a request it accepted (Data
/// Manager `requestStatus:retrieve`). Pure: `ConfirmationService` sends the
/// lookup (with the destination's access token) and acts on the verdict.
public protocol DeliveryConfirmer: Sendable {
    /// The id to look up, from an accepted request's answer; `nil` when the
    /// answer carries none (nothing to confirm).
    func requestID(in reply: HTTPReply) -> String?
    /// The status lookup of `requestID`, without credentials (the caller
    /// adds the token with `Destination.authorizing`).
    func statusRequest(requestID: String) -> OutboundRequest
    /// What the lookup's answer means.
    func readStatus(_ reply: HTTPReply) -> ConfirmationVerdict
}

/// Sends a sample of requests also to a validation endpoint that records
/// nothing (GA4's `/debug/mp/collect`), and reads its messages.
public protocol ValidationSampler: Sendable {
    /// The share of requests sampled, 0 (off) to 1.
    var sampleRate: Double { get }
    /// The copy of `request` for the validation endpoint.
    func validationRequest(for request: OutboundRequest) -> OutboundRequest
    /// The validation messages of the answer (empty: valid); `nil` when the
    /// answer is not the validation server's (an error, not JSON).
    func validationMessages(in reply: HTTPReply) -> [DeliveryDiagnostic]?
}

/// Where a platform publishes its own quality score for a destination.
public protocol PlatformScoreSource: Sendable {
    /// The quality API request, credentials included (never logged: its
    /// `auditURL` has none).
    func scoreRequest(now: Timestamp) -> OutboundRequest
    /// The scores in the answer, or why there are none (permission missing,
    /// API unavailable, throttled): never a zero score for a missing one.
    func readScores(_ reply: HTTPReply, destination: String, now: Timestamp) -> PlatformScoreReading
}

extension Destination {
    /// Nothing beyond the verdict.
    public func diagnostics(of reply: HTTPReply, itemCount: Int) -> [DeliveryDiagnostic] { [] }
    /// A 200 is final.
    public var confirmer: (any DeliveryConfirmer)? { nil }
    /// No validation sampling.
    public var validationSampler: (any ValidationSampler)? { nil }
    /// No published score.
    public var scoreSource: (any PlatformScoreSource)? { nil }
}

extension PlatformScoreReading {
    /// The reading for an answer that is not a score: 401/403 and Graph
    /// permission codes are `permission_missing`, 429 `throttled`, anything
    /// else `unavailable`, with the platform's summarized message.
    public static func failure(_ reply: HTTPReply, permissionDenied: Bool = false) -> PlatformScoreReading {
        let summary = ResponseSummary.make(body: reply.body, limit: 200)
        let detail = "HTTP \(reply.status): \(summary)"
        if permissionDenied || reply.status == 401 || reply.status == 403 { return .notAvailable(.permissionMissing, detail: detail) }
        if reply.status == 429 { return .notAvailable(.throttled, detail: detail) }
        return .notAvailable(.unavailable, detail: detail)
    }
}
