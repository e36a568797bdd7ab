import BridgeCore

/// What the overview page shows, computed from the answers of
/// `GET /v1/destinations` (`DestinationOverview`) and
/// `GET /v1/reports/match-quality` (`MatchQualityReport`) for the last
/// 24 h, 7 d and 30 d: pure, so the numbers can be tested without a store.
public struct OverviewModel: Sendable, Equatable {
    /// One destination over one window.
    public struct Window: Sendable, Equatable {
        public var label: String
        public var delivered = 0
        public var suppressed = 0
        public var suppressedByReason: [String: Int] = [:]
        public var skipped = 0
        public var skippedByReason: [String: Int] = [:]
        public var pending = 0
        public var deadLettered = 0
        /// End-to-end p95 in milliseconds, when something was delivered.
        public var p95Milliseconds: Int64?
    }

    public struct Row: Sendable, Equatable {
        public var name: String
        public var kind: String
        public var state: String
        public var pending: Int
        public var deadLetters: Int
        public var oldestPendingAgeSeconds: Int64?
        public var windows: [Window]
    }

    /// Delivered events per day (all destinations), oldest first.
    public struct Day: Sendable, Equatable {
        public var start: Timestamp
        public var delivered: Int
    }

    public var rows: [Row]
    public var trend: [Day]
    /// Conditions over the configured alert thresholds right now, then the
    /// other alerts this instance's monitor has raised (source silence,
    /// delivery SLO, audit log, validation messages, …).
    public var alerts: [String]

    /// - Parameter windows: a label, a report and, when the window is only
    ///   the report's periods from some time on, that time (one 30-day report
    ///   by day then also gives the last 7 days); shortest first.
    public init(
        destinations: [DestinationOverview], windows: [(label: String, report: MatchQualityReport, from: Timestamp?)], trend: MatchQualityReport,
        deadLetterThreshold: Int, oldestUndeliveredSeconds: Int64, raised: [Alert] = []
    ) {
        rows = destinations.map { destination in
            Row(
                name: destination.name, kind: destination.kind, state: destination.state, pending: destination.pending,
                deadLetters: destination.dead, oldestPendingAgeSeconds: destination.oldestPendingAgeSeconds,
                windows: windows.map { Self.window($0.label, report: $0.report, from: $0.from, destination: destination.name) })
        }
        var days: [Int64: Int] = [:]
        for series in trend.series {
            for period in series.periods {
                if let start = period.periodStart { days[start.millisecondsSinceEpoch, default: 0] += period.tally.sent }
            }
        }
        self.trend = days.keys.sorted().map { Day(start: Timestamp(millisecondsSinceEpoch: $0), delivered: days[$0] ?? 0) }
        var alerts: [String] = []
        for destination in destinations {
            if destination.dead >= deadLetterThreshold, deadLetterThreshold > 0 {
                alerts.append("\(destination.name): \(destination.dead) dead letters (threshold \(deadLetterThreshold))")
            }
            if let age = destination.oldestPendingAgeSeconds, age > oldestUndeliveredSeconds {
                alerts.append("\(destination.name): oldest undelivered event waiting \(Self.age(age))")
            }
            if destination.state == "open" || destination.state == "paused" {
                alerts.append("\(destination.name): circuit \(destination.state)")
            }
        }
        // The three conditions above are read from the store (every instance
        // sees the same); the others only the monitor knows.
        let derived: Set<AlertCondition> = [.deadLettersAboveThreshold, .oldestUndeliveredTooOld, .circuitOpen]
        for alert in raised.sorted(by: { $0.startedAt < $1.startedAt }) where !derived.contains(alert.condition) {
            let condition = String(alert.condition.rawValue.map { $0 == "_" ? " " : $0 })
            alerts.append("\(alert.subject.name): \(condition) since \(alert.startedAt.rfc3339) (\(alert.detail))")
        }
        self.alerts = alerts
    }

    static func window(_ label: String, report: MatchQualityReport, from start: Timestamp?, destination: String) -> Window {
        var window = Window(label: label)
        var latency = LatencyHistogram()
        for series in report.series where series.destination == destination {
            var tally = series.total.tally
            if let start {
                tally = DeliveryTally()
                for period in series.periods where (period.periodStart ?? start) >= start { tally.merge(period.tally) }
            }
            window.delivered += tally.sent
            window.suppressed += tally.suppressed
            window.skipped += tally.skipped
            window.pending += tally.pending
            window.deadLettered += tally.deadLettered
            window.suppressedByReason.merge(tally.suppressedByReason, uniquingKeysWith: +)
            window.skippedByReason.merge(tally.skippedByReason, uniquingKeysWith: +)
            latency.merge(tally.latency)
        }
        window.p95Milliseconds = LatencySummary(latency)?.p95
        return window
    }

    /// `42 s`, `17 min`, `3 h 5 min`, `2 d 4 h`.
    public static func age(_ seconds: Int64) -> String {
        switch seconds {
        case ..<60: return "\(seconds) s"
        case ..<3600: return "\(seconds / 60) min"
        case ..<86_400: return "\(seconds / 3600) h \(seconds % 3600 / 60) min"
        default: return "\(seconds / 86_400) d \(seconds % 86_400 / 3600) h"
        }
    }
}
