import BridgeCore

/// What the reconcile command and the routes share: reading the window,
/// rendering a report.
public enum ReconciliationRendering {
    /// The rendering of `report` as `format` (the match-quality report's formats).
    public static func render(_ report: ReconciliationReport, as format: MatchQualityReporting.Format) -> [UInt8] {
        switch format {
        case .table: Array(report.table().utf8)
        case .json: JSONWriter.bytes(report.json()) + [0x0A]
        case .csv: Array(report.csv().utf8)
        case .html: Array(report.html().utf8)
        }
    }
}

/// `--since`/`--until` (and the API's `since`/`until`): a duration back from
/// now (`90m`, `48h`, `7d`, `2w`) or an RFC 3339 time.
public enum ReconciliationWindowText {
    /// Why a window is refused, naming the parameter.
    public struct Problem: Error, Equatable, CustomStringConvertible {
        public let parameter: String
        public let message: String
        public var description: String { "\(parameter): \(message)" }
    }

    /// - Throws: `Problem` for an unreadable bound, an empty or over-long window.
    public static func parse(since: String, until: String?, now: Timestamp) throws(Problem) -> ReconciliationWindow {
        guard let start = ReportQuery.instant(since, now: now) else {
            throw Problem(parameter: "since", message: "expected a duration back from now (90m, 48h, 7d, 2w) or an RFC 3339 time")
        }
        var end = now
        if let until {
            guard let parsed = ReportQuery.instant(until, now: now) else {
                throw Problem(parameter: "until", message: "expected a duration back from now or an RFC 3339 time")
            }
            end = parsed
        }
        do { return try ReconciliationWindow(since: start, until: end) } catch {
            throw Problem(parameter: "since", message: error.description)
        }
    }
}
