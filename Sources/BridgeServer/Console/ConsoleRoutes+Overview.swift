import BridgeCore
import BridgeStore
import Hummingbird

extension ConsoleRoutes {
    /// `GET /console/overview`.
    func overview(_ session: ConsoleSession) async -> Response {
        let at = now
        do {
            let destinations = try await DestinationOverview.all(config: config, store: admin.store, now: at)
            var windows: [(label: String, report: MatchQualityReport)] = []
            for (label, since, period) in [("24 h", "24h", "hour"), ("7 d", "7d", "day"), ("30 d", "30d", "day")] {
                windows.append((label, try await report(since: since, period: period, at: at)))
            }
            let model = OverviewModel(
                destinations: destinations, windows: windows, trend: windows[2].report, deadLetterThreshold: config.alerts.deadLetterThreshold,
                oldestUndeliveredSeconds: Int64(config.alerts.oldestUndeliveredMinutes * 60))
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
