/// The length of one row of a report's time series (UTC-aligned).
public enum ReportPeriod: String, Sendable, CaseIterable, Hashable {
    case hour
    case day

    /// The period's length in milliseconds.
    public var milliseconds: Int64 {
        switch self {
        case .hour: 3_600_000
        case .day: 86_400_000
        }
    }

    /// The start of the period holding `instant` (UTC: days start at 00:00Z).
    public func start(of instant: Int64) -> Int64 {
        let length = milliseconds
        let remainder = instant % length
        return remainder >= 0 ? instant - remainder : instant - remainder - length
    }
}

/// A configured destination as reports see it: which platform's score model
/// applies. Sandbox and webhook destinations use a platform's identifier
/// rules but are no ad platform, so they get no score.
public struct ReportDestination: Sendable, Hashable {
    public let name: String
    /// The configured kind (`meta`, `sandbox`, `webhook`, …).
    public let kind: String
    /// Whose identifier rules apply.
    public let platform: Platform

    public init(name: String, kind: String, platform: Platform) {
        self.name = name
        self.kind = kind
        self.platform = platform
    }

    /// The score model, when this destination is an ad platform that has one.
    public var model: MatchQualityModel? {
        guard kind == platform.rawValue || (platform == .google && kind.hasPrefix("google")) else { return nil }
        return MatchQualityModel.for(platform)
    }
}

/// A second dimension a report breaks its series down by, beside
/// destination and event name (`--by`).
public enum ReportBreakdown: String, Sendable, CaseIterable, Hashable {
    /// The event's `utm_campaign` (events without one form their own group).
    case campaign
    /// The configured source the event arrived through (one shop, one backend).
    case source
}

/// What a match-quality report covers.
public struct ReportQuery: Sendable, Hashable {
    /// Deliveries received at or after this instant…
    public var since: Timestamp
    /// …and before this one.
    public var until: Timestamp
    public var period: ReportPeriod
    /// Only this destination (all when `nil`).
    public var destination: String?
    /// Only this event name (all when `nil`).
    public var eventName: String?
    /// Only events from this source (all when `nil`).
    public var source: String?
    /// Break each destination and event name down further (`nil`: not).
    public var breakdown: ReportBreakdown?
    /// Include test events (`test: true` orders); left out by default.
    public var includeTest: Bool
    /// The configured destinations by name, for their score models.
    public var destinations: [String: ReportDestination]

    public init(
        since: Timestamp, until: Timestamp, period: ReportPeriod, destination: String? = nil, eventName: String? = nil,
        source: String? = nil, breakdown: ReportBreakdown? = nil, includeTest: Bool = false, destinations: [String: ReportDestination] = [:]
    ) {
        self.since = since
        self.until = until
        self.period = period
        self.destination = destination
        self.eventName = eventName
        self.source = source
        self.breakdown = breakdown
        self.includeTest = includeTest
        self.destinations = destinations
    }

    /// Parses a report window start: a duration back from `now` (`90m`,
    /// `36h`, `7d`, `2w`) or an RFC 3339 instant. `nil` when neither.
    public static func instant(_ text: String, now: Timestamp) -> Timestamp? {
        if let instant = Timestamp(rfc3339: text) { return instant }
        guard let unit = text.last, let amount = Int64(text.dropLast()), amount >= 0, amount <= 100_000 else { return nil }
        let minutes: Int64
        switch unit {
        case "m": minutes = amount
        case "h": minutes = amount * 60
        case "d": minutes = amount * 1440
        case "w": minutes = amount * 10_080
        default: return nil
        }
        return Timestamp(millisecondsSinceEpoch: now.millisecondsSinceEpoch - minutes * 60_000)
    }

    /// The default period for a window: hours up to two days, days beyond.
    public static func defaultPeriod(since: Timestamp, until: Timestamp) -> ReportPeriod {
        until.millisecondsSinceEpoch - since.millisecondsSinceEpoch <= 2 * 86_400_000 ? .hour : .day
    }
}
