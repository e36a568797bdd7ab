/// One line of the audit log: a request sent to a platform and what came
/// back, linked to the line before it by hash.
///
/// Written as one canonical JSON object per line (`AuditEntry+JSON.swift`
/// lists the keys). Holds no personal data in clear: the caller passes a
/// `request` whose clear fields went through `ClearFieldDigester`, and a
/// `responseSummary` from `ResponseSummary.make`.
public struct AuditEntry: Sendable, Equatable {
    /// Position in the chain, 1 for the very first entry, +1 per entry across
    /// files.
    public var sequence: Int64
    /// When the request was sent.
    public var sentAt: Timestamp
    /// When the answer (or the transport failure) was observed; also picks
    /// the day file.
    public var completedAt: Timestamp
    /// The destination's configured name.
    public var destination: String
    /// The delivery batch id.
    public var batchID: String
    /// The `event_id`s in the request, in request order.
    public var eventIDs: [String]
    /// The request body exactly as sent, clear fields replaced by digests.
    public var request: JSONValue
    /// The HTTP status, or `nil` when no answer came (network error, timeout).
    public var responseStatus: Int?
    /// `ResponseSummary` of the body, or a description of the transport failure.
    public var responseSummary: String
    /// The hash of the previous entry (`AuditChain.genesisHash` for the first).
    public var previousHash: String
    /// This entry's hash; `nil` until `AuditChain.seal` computes it.
    public var hash: String?
    /// The id of the audit digest key (`audit.digest_keys`) that made the
    /// entry's `hmac-sha256:` digests, so an auditor knows which key checks
    /// them; `nil` (and absent from the line) in entries written before key
    /// rings or by a log built without an id.
    public var digestKeyID: String?

    public init(
        sequence: Int64, sentAt: Timestamp, completedAt: Timestamp, destination: String, batchID: String,
        eventIDs: [String], request: JSONValue, responseStatus: Int?, responseSummary: String,
        previousHash: String = AuditChain.genesisHash, hash: String? = nil, digestKeyID: String? = nil
    ) {
        self.digestKeyID = digestKeyID
        self.sequence = sequence
        self.sentAt = sentAt
        self.completedAt = completedAt
        self.destination = destination
        self.batchID = batchID
        self.eventIDs = eventIDs
        self.request = request
        self.responseStatus = responseStatus
        self.responseSummary = responseSummary
        self.previousHash = previousHash
        self.hash = hash
    }
}
