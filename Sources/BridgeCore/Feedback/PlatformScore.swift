/// A platform's own quality score for one destination, day and event name:
/// Meta's event match quality from the Dataset Quality API (a composite
/// score out of 10, match-key feedback, diagnostics) or Pinterest's Event
/// Quality Score (`conversion_eqs`: an overall status, coverage per key and
/// issues). When the platform could not be asked (no permission, API
/// unavailable, throttled) the row says so and carries no score: a missing
/// score is never shown as zero.
public struct PlatformScore: Sendable, Equatable {
    /// Whether the platform answered with a score.
    public enum Availability: String, Sendable, Equatable, CaseIterable {
        case available
        /// The token lacks the permission the quality API needs.
        case permissionMissing = "permission_missing"
        /// The API refused or failed for another reason (not found, 5xx, no answer).
        case unavailable
        /// The platform asked us to slow down; tried again at the next fetch.
        case throttled

        /// `not available: permission missing`, or `available`.
        public var text: String {
            switch self {
            case .available: "available"
            case .permissionMissing: "not available: permission missing"
            case .unavailable: "not available: API unavailable"
            case .throttled: "not available: throttled"
            }
        }
    }

    /// One match key as the platform judges it.
    public struct MatchKey: Sendable, Equatable {
        /// The platform's name for the key (`email`, `hashed_email`).
        public var identifier: String
        /// Share of events carrying it, in percent, when given.
        public var coveragePercent: Double?
        /// The platform's note (Meta's potential uplift, Pinterest's issue).
        public var note: String?

        public init(identifier: String, coveragePercent: Double?, note: String? = nil) {
            self.identifier = identifier
            self.coveragePercent = coveragePercent
            self.note = note
        }
    }

    /// `YYYY-MM-DD` (UTC) of the fetch.
    public var day: String
    public var destination: String
    /// The platform's event name (`Purchase`, `checkout`), or `*` for a
    /// destination-wide row (errors, account-level status).
    public var eventName: String
    public var availability: Availability
    /// Meta's composite score (0-10); `nil` where the platform publishes none.
    public var score: Double?
    /// Pinterest's overall status (`GOOD`, `FAIR`, `NEEDS_IMPROVEMENT`).
    public var status: String?
    public var matchKeys: [MatchKey]
    /// The platform's recommendations and diagnostics, as it words them.
    public var recommendations: [String]
    /// Why the score is not available (the platform's summarized message).
    public var detail: String?
    public var fetchedAt: Timestamp

    public init(
        day: String, destination: String, eventName: String, availability: Availability, score: Double? = nil, status: String? = nil,
        matchKeys: [MatchKey] = [], recommendations: [String] = [], detail: String? = nil, fetchedAt: Timestamp
    ) {
        self.day = day
        self.destination = destination
        self.eventName = eventName
        self.availability = availability
        self.score = availability == .available ? score : nil
        self.status = availability == .available ? status : nil
        self.matchKeys = matchKeys
        self.recommendations = recommendations
        self.detail = detail.map { String($0.prefix(300)) }
        self.fetchedAt = fetchedAt
    }

    /// `9.1 / 10`, `GOOD`, or the availability text: never `0` for a missing score.
    public var shownScore: String {
        guard availability == .available else { return availability.text }
        var parts: [String] = []
        if let score { parts.append(ReportRecommendation.decimal(score) + " / 10") }
        if let status { parts.append(status) }
        return parts.isEmpty ? "no score published" : parts.joined(separator: " ")
    }

    /// The day (`YYYY-MM-DD`, UTC) `at` falls on.
    public static func day(of at: Timestamp) -> String { String(at.rfc3339.prefix(10)) }
}

/// A platform's scores read from one answer: rows per event name, or why
/// there are none.
public enum PlatformScoreReading: Sendable, Equatable {
    case scores([PlatformScore])
    case notAvailable(PlatformScore.Availability, detail: String)
}
