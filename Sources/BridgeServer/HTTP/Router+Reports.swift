import BridgeCore
import BridgeStore
import HTTPTypes
import Hummingbird
import NIOCore

/// `GET /v1/reports/match-quality` (admin bearer token).
struct ReportRoutes: Sendable {
    let admin: AdminRoutes
    let store: any ReportStore & PlatformFeedbackStore
    let destinations: [String: ReportDestination]
    /// The configured source names (`source=` must be one of them).
    let sources: Set<String>

    /// `?since=7d&until=&period=hour|day&destination=&event_name=&source=&by=campaign|source&include_test=false&format=json|csv|html`
    func matchQuality(_ request: Request) async throws -> Response {
        try admin.authorize(request)
        let parameters = request.uri.queryParameters
        let formatText = parameters.get("format") ?? "json"
        guard let format = MatchQualityReporting.Format(rawValue: formatText), format != .table else {
            throw ProblemDetails(
                status: .badRequest, slug: "invalid-report-request", title: "Invalid report request", detail: "format: expected json, csv or html")
        }
        let includeTest: Bool
        switch parameters.get("include_test") {
        case nil, "false", "0": includeTest = false
        case "true", "1": includeTest = true
        default:
            throw ProblemDetails(
                status: .badRequest, slug: "invalid-report-request", title: "Invalid report request", detail: "include_test: expected true or false")
        }
        let now = admin.now()
        let query: ReportQuery
        do {
            query = try MatchQualityReporting.query(
                since: parameters.get("since"), until: parameters.get("until"), period: parameters.get("period"),
                destination: parameters.get("destination"), eventName: parameters.get("event_name"), source: parameters.get("source"),
                by: parameters.get("by"), includeTest: includeTest, destinations: destinations, sources: sources, now: now)
        } catch {
            throw ProblemDetails(status: .badRequest, slug: "invalid-report-request", title: "Invalid report request", detail: error.description)
        }
        let report: MatchQualityReport
        do { report = try await MatchQualityReporting.reportWithFeedback(query, store: store, now: now) } catch { throw ProblemDetails.storeUnavailable(error) }
        var headers: HTTPFields = [.contentType: format.contentType, .cacheControl: "no-store"]
        if format == .csv { headers[.contentDisposition] = "attachment; filename=\"match-quality.csv\"" }
        return Response(
            status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: MatchQualityReporting.render(report, as: format))))
    }
}

extension Router {
    func addReportRoutes(_ reports: ReportRoutes) {
        get("/v1/reports/match-quality") { request, _ in try await reports.matchQuality(request) }
    }
}
