/// One entry of the audit log in its second format (`v: 2`), before it is
/// chained: what the bridge is about to send, what came back, or what it
/// decided.
///
/// Requests are audited *before* they are sent (`attempt`) and their answers
/// after (`outcome`, linked by `batch_id`), so a request in flight when the
/// process dies is in the log without an answer, never missing from it. An
/// attempt holds the request body exactly as sent, with the values the
/// platform takes in clear replaced by keyed digests (`EncodedJSON`): the
/// same bytes, never re-serialized.
public struct AuditRecord: Sendable, Equatable {
    public enum Kind: String, Sendable, Equatable, CaseIterable {
        /// A request about to be sent (`request`, `event_ids`).
        case attempt
        /// The answer to an attempt (`response_status`, `response_summary`).
        case outcome
        /// A decision: consent decisions of a prepared batch, an erasure
        /// (`details`, `event_ids`, `response_summary`).
        case note
    }

    public var kind: Kind
    /// When it happened; also picks the day file.
    public var at: Timestamp
    /// The destination's configured name (`*` for decisions about all of them).
    public var destination: String
    /// The delivery batch id (an attempt and its outcome share it).
    public var batchID: String
    /// The `event_id`s concerned, in request order (empty for outcomes).
    public var eventIDs: [String]
    /// Attempts: the request body as sent, clear values digested. Raw JSON.
    public var request: [UInt8]?
    /// Notes: what was decided, as a JSON object. Raw JSON, no personal data.
    public var details: [UInt8]?
    /// Outcomes: the HTTP status, or `nil` without an answer.
    public var responseStatus: Int?
    /// Outcomes: `ResponseSummary` of the answer or the transport failure;
    /// notes: a short description.
    public var responseSummary: String?

    public init(
        kind: Kind, at: Timestamp, destination: String, batchID: String, eventIDs: [String] = [], request: [UInt8]? = nil,
        details: [UInt8]? = nil, responseStatus: Int? = nil, responseSummary: String? = nil
    ) {
        self.kind = kind
        self.at = at
        self.destination = destination
        self.batchID = batchID
        self.eventIDs = eventIDs
        self.request = request
        self.details = details
        self.responseStatus = responseStatus
        self.responseSummary = responseSummary
    }

    /// The format version these records are written in.
    public static let formatVersion = 2
}
