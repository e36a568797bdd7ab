/// What a platform's status lookup says about a request it accepted
/// (Data Manager `requestStatus:retrieve`, `docs/destinations/google.md`).
/// Pure: the destination reads the answer, `ConfirmationService` acts.
public enum ConfirmationVerdict: Sendable, Equatable {
    /// Still being processed: poll again later.
    case processing
    /// Every row was processed without error.
    case confirmed
    /// Every row failed (`FAILED`): the request's deliveries become dead
    /// letters with the platform's reasons.
    case rejected(RejectionCounts)
    /// Some rows failed (`PARTIAL_SUCCESS`); the platform gives counts per
    /// reason, not which rows.
    case partlyRejected(RejectionCounts)
    /// The lookup itself failed for now (5xx, 429, no answer): poll again.
    case retry(reason: String)
    /// The lookup was refused (credentials, permission, unknown request id):
    /// polling stops and the request stays unconfirmed.
    case refused(message: String)
}

/// Rows rejected per reason, as the platform counts them.
public struct RejectionCounts: Sendable, Equatable {
    /// Reason (`PROCESSING_ERROR_REASON_INVALID_GCLID`) → rows.
    public var byReason: [String: Int]
    /// Rows the platform says the request carried (`recordCount`), if it says.
    public var recordCount: Int?

    public init(byReason: [String: Int], recordCount: Int? = nil) {
        self.byReason = byReason.filter { $0.value > 0 }
        self.recordCount = recordCount
    }

    /// Rejected rows in all.
    public var total: Int { byReason.values.reduce(0, +) }

    /// The reason with the most rows (ties by name), or `unknown`.
    public var mainReason: String {
        byReason.max { ($0.value, $1.key) < ($1.value, $0.key) }?.key ?? "unknown"
    }

    /// `REASON 2, OTHER 1`, largest first.
    public var summary: String {
        byReason.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
    }
}
