import BridgeCore
import BridgeStore
import Hummingbird
import HummingbirdCore

extension ConsoleRoutes {
    /// `GET /console/match-quality?since=&destination=&source=&event_name=`.
    func matchQuality(_ request: Request, session: ConsoleSession) async -> Response {
        let filters = MatchQualityFilters(request.uri.queryParameters)
        var body = filterForm(filters)
        switch await runReport(filters) {
        case .success(let report): body = body + MatchQualityView.html(report)
        case .failure(let message): return page(.matchQuality, session: session, body: body + ConsolePage.notice(message, error: true), status: .badRequest)
        }
        return page(.matchQuality, session: session, body: body)
    }

    /// `GET /console/match-quality/download?format=csv|json&…`: the report as `GET /v1/reports/match-quality` renders it.
    func matchQualityDownload(_ request: Request, session: ConsoleSession) async -> Response {
        let filters = MatchQualityFilters(request.uri.queryParameters)
        let format: MatchQualityReporting.Format = request.uri.queryParameters.get("format") == "json" ? .json : .csv
        switch await runReport(filters) {
        case .success(let report):
            return Self.download(
                MatchQualityReporting.render(report, as: format), contentType: format.contentType, filename: "match-quality.\(format.rawValue)")
        case .failure(let message):
            return page(.matchQuality, session: session, body: filterForm(filters) + ConsolePage.notice(message, error: true), status: .badRequest)
        }
    }

    enum ReportOutcome {
        case success(MatchQualityReport)
        case failure(String)
    }

    func runReport(_ filters: MatchQualityFilters) async -> ReportOutcome {
        let at = now
        let query: ReportQuery
        do {
            query = try MatchQualityReporting.query(
                since: filters.since, until: nil, period: nil, destination: filters.destination, eventName: filters.eventName, source: filters.source,
                includeTest: false, destinations: MatchQualityReporting.destinations(config), sources: MatchQualityReporting.sources(config), now: at)
        } catch {
            return .failure(error.description)
        }
        do { return .success(try await MatchQualityReporting.reportWithFeedback(query, store: admin.store, now: at)) } catch { return .failure("The store did not answer.") }
    }

    func filterForm(_ filters: MatchQualityFilters) -> HTML {
        func options(_ values: [String], selected: String?, all: String) -> HTML {
            let items = values.map { value -> HTML in
                value == selected ? "<option value=\"\(value)\" selected>\(value)</option>" : "<option value=\"\(value)\">\(value)</option>"
            }
            return "<option value=\"\">\(all)</option>\(items)"
        }
        let ranges = [("24h", "last 24 hours"), ("7d", "last 7 days"), ("30d", "last 30 days"), ("90d", "last 90 days")].map { value, label -> HTML in
            value == filters.since ? "<option value=\"\(value)\" selected>\(label)</option>" : "<option value=\"\(value)\">\(label)</option>"
        }
        let download = ConsoleForm.query([
            ("since", filters.since), ("destination", filters.destination), ("source", filters.source), ("event_name", filters.eventName),
        ])
        return """
            <form class="filters" method="get" action="/console/match-quality" aria-label="Filters">
            <label for="since">Range <select id="since" name="since">\(ranges)</select></label>
            <label for="destination">Destination <select id="destination" name="destination">\(options(config.destinations.map(\.name), selected: filters.destination, all: "all"))</select></label>
            <label for="source">Source <select id="source" name="source">\(options(MatchQualityReporting.sources(config).sorted(), selected: filters.source, all: "all"))</select></label>
            <label for="event_name">Event name <input id="event_name" name="event_name" value="\(filters.eventName)"></label>
            <button type="submit">Apply</button></form>
            <p><a id="download-csv" href="/console/match-quality/download?format=csv&amp;\(download)">Download CSV</a> · \
            <a id="download-json" href="/console/match-quality/download?format=json&amp;\(download)">Download JSON</a></p>
            """
    }
}

/// The Match quality page's filters, from its query.
struct MatchQualityFilters: Sendable, Equatable {
    var since: String
    var destination: String?
    var source: String?
    var eventName: String?

    init(_ query: FlatDictionary<Substring, Substring>) {
        since = query.get("since").flatMap { $0.isEmpty ? nil : $0 } ?? "7d"
        destination = query.get("destination").flatMap { $0.isEmpty ? nil : $0 }
        source = query.get("source").flatMap { $0.isEmpty ? nil : $0 }
        eventName = query.get("event_name").flatMap { $0.isEmpty ? nil : $0 }
    }
}
