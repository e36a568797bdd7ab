import BridgeCore
import BridgeDestinations
import BridgePipeline
import BridgeStore

/// What the report command and route share: reading the request, running
/// the store's aggregate, rendering.
public enum MatchQualityReporting {
    /// The output formats.
    public enum Format: String, Sendable, CaseIterable {
        case table, json, csv, html

        /// The HTTP content type.
        public var contentType: String {
            switch self {
            case .table: "text/plain; charset=utf-8"
            case .json: "application/json"
            case .csv: "text/csv; charset=utf-8"
            case .html: "text/html; charset=utf-8"
            }
        }
    }

    /// Why a report request cannot be answered.
    public enum RequestError: Error, Equatable, CustomStringConvertible {
        case invalid(parameter: String, expected: String)

        public var description: String {
            switch self {
            case .invalid(let parameter, let expected): "\(parameter): expected \(expected)"
            }
        }
    }

    /// The configured destinations, for their score models.
    public static func destinations(_ config: BridgeConfig) -> [String: ReportDestination] {
        var result: [String: ReportDestination] = [:]
        for (route, _) in (try? PipelineFactory.routes(config)) ?? [] {
            let destination = route.destination
            result[destination.name] = ReportDestination(name: destination.name, kind: destination.kind, platform: destination.platform)
        }
        return result
    }

    /// Builds a query from request parameters (`since`, `until`, `period`,
    /// `destination`, `event_name`, `source`, `by`, `include_test`).
    /// - Parameter sources: the configured source names (`source` must be one
    ///   of them; `nil` accepts any, for a store read without a configuration).
    /// - Throws: `RequestError` naming the bad parameter.
    public static func query(
        since: String?, until: String?, period: String?, destination: String?, eventName: String?, source: String? = nil,
        by breakdown: String? = nil, includeTest: Bool, destinations: [String: ReportDestination], sources: Set<String>? = nil,
        now: Timestamp
    ) throws(RequestError) -> ReportQuery {
        guard let start = ReportQuery.instant(since ?? "7d", now: now) else {
            throw .invalid(parameter: "since", expected: "a duration back from now (90m, 36h, 7d, 2w) or an RFC 3339 time")
        }
        var end = now
        if let until {
            guard let parsed = ReportQuery.instant(until, now: now) else {
                throw .invalid(parameter: "until", expected: "a duration back from now or an RFC 3339 time")
            }
            end = parsed
        }
        guard start < end else { throw .invalid(parameter: "since", expected: "a time before until") }
        guard end.millisecondsSinceEpoch - start.millisecondsSinceEpoch <= 400 * 86_400_000 else {
            throw .invalid(parameter: "since", expected: "a window of at most 400 days")
        }
        var chosen = ReportQuery.defaultPeriod(since: start, until: end)
        if let period {
            guard let parsed = ReportPeriod(rawValue: period) else { throw .invalid(parameter: "period", expected: "hour or day") }
            chosen = parsed
        }
        if chosen == .hour, end.millisecondsSinceEpoch - start.millisecondsSinceEpoch > 31 * 86_400_000 {
            throw .invalid(parameter: "period", expected: "day for windows longer than 31 days")
        }
        var grouping: ReportBreakdown?
        if let breakdown, !breakdown.isEmpty {
            guard let parsed = ReportBreakdown(rawValue: breakdown) else { throw .invalid(parameter: "by", expected: "campaign or source") }
            grouping = parsed
        }
        let source = source.flatMap { $0.isEmpty ? nil : $0 }
        if let source, let sources, !sources.contains(source) {
            throw .invalid(parameter: "source", expected: "a configured source name (\(sources.sorted().joined(separator: ", ")))")
        }
        return ReportQuery(
            since: start, until: end, period: chosen, destination: destination.flatMap { $0.isEmpty ? nil : $0 },
            eventName: eventName.flatMap { $0.isEmpty ? nil : $0 }, source: source, breakdown: grouping, includeTest: includeTest,
            destinations: destinations)
    }

    /// The configured source names: webhook sources and the events API's.
    public static func sources(_ config: BridgeConfig) -> Set<String> {
        Set(config.sources.map(\.name) + [config.eventsAPI.sourceName])
    }

    /// Runs the report.
    public static func report(_ query: ReportQuery, store: any ReportStore, now: Timestamp) async throws(StoreError) -> MatchQualityReport {
        let tally = try await store.matchQualityTally(query)
        return MatchQualityReport.build(tally, query: query, generatedAt: now)
    }

    /// The rendering of `report` as `format`.
    public static func render(_ report: MatchQualityReport, as format: Format) -> [UInt8] {
        switch format {
        case .table: Array(report.table().utf8)
        case .json: JSONWriter.bytes(report.json()) + [0x0A]
        case .csv: Array(report.csv().utf8)
        case .html: Array(report.html().utf8)
        }
    }
}
