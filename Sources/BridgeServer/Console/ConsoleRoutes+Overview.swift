import BridgeCore
import BridgePipeline
import BridgeStore
import Hummingbird

extension ConsoleRoutes {
    /// `GET /console/overview`.
    func overview(_ session: ConsoleSession) async -> Response {
        let at = now
        do {
            let destinations = try await DestinationOverview.all(config: config, store: admin.store, now: at)
            // Two aggregates, not three: the last 24 h by hour, and 30 days by
            // UTC day, whose last 7 days are the 7-day window.
            let day = try await report(since: "24h", period: "hour", at: at)
            let month = try await report(since: "30d", period: "day", at: at)
            let today = at.millisecondsSinceEpoch - at.millisecondsSinceEpoch % 86_400_000
            let week = Timestamp(millisecondsSinceEpoch: today - 6 * 86_400_000)
            let windows: [(label: String, report: MatchQualityReport, from: Timestamp?)] = [
                ("24 h", day, nil), ("7 days (UTC)", month, week), ("30 days (UTC)", month, nil),
            ]
            let model = OverviewModel(
                destinations: destinations, windows: windows, trend: month, deadLetterThreshold: config.alerts.deadLetterThreshold,
                oldestUndeliveredSeconds: Int64(config.alerts.oldestUndeliveredMinutes * 60), raised: monitor?.activeAlerts ?? [])
            return page(.overview, session: session, body: model.html)
        } catch {
            return page(.overview, session: session, body: ConsolePage.notice("The store did not answer: \(error.description)", error: true), status: .serviceUnavailable)
        }
    }

    /// The match-quality report over `since` (the one `GET /v1/reports/match-quality` computes).
    func report(
        since: String, period: String?, destination: String? = nil, eventName: String? = nil, source: String? = nil, at: Timestamp
    ) async throws(StoreError) -> MatchQualityReport {
        let query: ReportQuery
        do {
            query = try MatchQualityReporting.query(
                since: since, until: nil, period: period, destination: destination, eventName: eventName, source: source, includeTest: false,
                destinations: MatchQualityReporting.destinations(config), sources: MatchQualityReporting.sources(config), now: at)
        } catch {
            throw StoreError(.unavailable, "report query: \(error.description)")
        }
        return try await MatchQualityReporting.report(query, store: admin.store, now: at)
    }
}
