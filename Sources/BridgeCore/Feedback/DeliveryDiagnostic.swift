/// Something a platform said about a request beyond its verdict, recorded
/// per request (metric, audit note, the report's platform-feedback section):
/// Meta's `events_received` differing from what was sent, a GA4 validation
/// message from a sampled copy sent to `/debug/mp/collect`, rows Data Manager
/// rejected after answering 200. Holds codes, counts and the platform's
/// field paths and descriptions, never a value of an event.
public struct DeliveryDiagnostic: Sendable, Hashable {
    /// What kind of finding.
    public enum Kind: String, Sendable, Hashable, CaseIterable, Comparable {
        /// Meta acknowledged a different number of events than were sent.
        case eventsReceivedMismatch = "events_received_mismatch"
        /// GA4's validation server reported a message for a sampled request.
        case validationMessage = "validation_message"
        /// Rows a platform rejected after it had accepted the request.
        case rejectedLater = "rejected_later"

        public static func < (lhs: Kind, rhs: Kind) -> Bool { lhs.rawValue < rhs.rawValue }

        /// A heading for reports.
        public var title: String {
            switch self {
            case .eventsReceivedMismatch: "events_received differs from events sent"
            case .validationMessage: "validation messages (sampled requests)"
            case .rejectedLater: "rows rejected after acceptance"
            }
        }
    }

    public var kind: Kind
    /// The platform's code: `events_received`, a GA4 `validationCode`
    /// (`VALUE_INVALID`), a Data Manager `ProcessingErrorReason`.
    public var code: String
    /// A short description (the platform's field path and text, or
    /// "acknowledged 2 of 3 events"), at most `detailLimit` characters.
    public var detail: String
    /// How many events or messages this finding counts.
    public var count: Int

    /// The longest detail kept.
    public static let detailLimit = 300

    public init(kind: Kind, code: String, detail: String, count: Int = 1) {
        self.kind = kind
        self.code = String(code.prefix(120))
        self.detail = String(detail.prefix(Self.detailLimit))
        self.count = count
    }
}

/// The diagnostics of one destination, kind and code summed over a window.
public struct DiagnosticTally: Sendable, Hashable {
    public var destination: String
    public var kind: DeliveryDiagnostic.Kind
    public var code: String
    /// Requests (or messages) that reported it.
    public var count: Int
    /// The latest detail recorded.
    public var lastDetail: String
    public var lastAt: Timestamp

    public init(destination: String, kind: DeliveryDiagnostic.Kind, code: String, count: Int, lastDetail: String, lastAt: Timestamp) {
        self.destination = destination
        self.kind = kind
        self.code = code
        self.count = count
        self.lastDetail = lastDetail
        self.lastAt = lastAt
    }
}
