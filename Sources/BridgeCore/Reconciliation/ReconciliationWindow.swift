/// The time window a reconciliation covers: orders paid and events that
/// happened in `[since, until)`.
///
/// Matching looks `edgeSlack` beyond both ends, so a sale at the edge whose
/// order and event times differ by a few seconds (Stripe stamps the event
/// after the object) is matched rather than reported twice, once as a
/// missing order and once as an event without one. Only what lies inside
/// the window is counted.
public struct ReconciliationWindow: Sendable, Hashable {
    public var since: Timestamp
    public var until: Timestamp

    /// How far beyond the window orders are fetched and events read for matching.
    public static let edgeSlack: Duration = .seconds(3600)
    /// The longest window one reconciliation covers.
    public static let maximum: Duration = .seconds(92 * 86_400)

    /// Why a window is refused.
    public enum Problem: Error, Equatable, Sendable, CustomStringConvertible {
        case empty
        case tooLong

        public var description: String {
            switch self {
            case .empty: return "since must be before until"
            case .tooLong: return "the window must be at most 92 days"
            }
        }
    }

    /// - Throws: `Problem` unless `since < until` and the window is at most 92 days.
    public init(since: Timestamp, until: Timestamp) throws(Problem) {
        guard since < until else { throw .empty }
        guard until.duration(since: since) <= Self.maximum else { throw .tooLong }
        self.since = since
        self.until = until
    }

    /// A window the caller has already bounded.
    init(unchecked since: Timestamp, until: Timestamp) {
        self.since = since
        self.until = until
    }

    /// Whether `time` lies inside the window.
    public func contains(_ time: Timestamp) -> Bool { time >= since && time < until }

    /// The window widened by `edgeSlack` on both sides, for fetching and matching.
    public var matchingSince: Timestamp { since.advanced(by: .zero - Self.edgeSlack) }
    public var matchingUntil: Timestamp { until.advanced(by: Self.edgeSlack) }
}
