import BridgeCore
import BridgeStore
import Foundation
import HTTPTypes
import Hummingbird

/// `GET /v1/events/{id}` and `GET /v1/events?order_id=…` (admin): one
/// sale's journey (`EventJourney`), for support and the console.
struct JourneyRoutes: Sendable {
    let admin: AdminRoutes
    let journeys: JourneyService

    /// `GET /v1/events/{id}[?source=]`: the journey; 404 when no event has
    /// the id, 409 when several sources do and `source` does not pick one.
    func show(_ request: Request, id rawID: String) async throws -> Response {
        try admin.authorize(request)
        let id = rawID.removingPercentEncoding ?? rawID
        let source = request.uri.queryParameters.get("source")
        try Self.checkLength(id, name: "the event id")
        let found: [EventJourney]
        do { found = try await journeys.journeys(eventID: id, source: source) } catch { throw ProblemDetails.storeUnavailable(error) }
        guard let first = found.first else {
            throw ProblemDetails(
                status: .notFound, slug: "unknown-event", title: "Unknown event",
                detail: source == nil ? "no event with this id is stored" : "no event with this id is stored for this source")
        }
        guard found.count == 1 else {
            throw ProblemDetails(
                status: .conflict, slug: "ambiguous-event-id", title: "Ambiguous event id",
                detail: "\(found.count) sources store an event with this id (\(found.map(\.source).joined(separator: ", "))); add ?source=NAME")
        }
        return admin.jsonResponse(first.json)
    }

    /// `GET /v1/events?order_id=…[&source=][&since=30d][&limit=50]`: the
    /// journeys of one order (an empty list when none).
    func list(_ request: Request) async throws -> Response {
        try admin.authorize(request)
        let query = request.uri.queryParameters
        guard let orderID = query.get("order_id"), !orderID.isEmpty else {
            throw ProblemDetails(
                status: .badRequest, slug: "invalid-query", title: "Invalid query", detail: "order_id is required (GET /v1/events?order_id=…)")
        }
        try Self.checkLength(orderID, name: "order_id")
        let now = admin.now()
        guard let since = ReportQuery.instant(query.get("since") ?? "30d", now: now) else {
            throw ProblemDetails(
                status: .badRequest, slug: "invalid-query", title: "Invalid query",
                detail: "since must be a duration back from now (90m, 36h, 7d, 2w) or an RFC 3339 time")
        }
        let limit = query.get("limit").flatMap(Int.init).map { min(max($0, 1), 100) } ?? 50
        let found: [EventJourney]
        do { found = try await journeys.journeys(orderID: orderID, source: query.get("source"), since: since, limit: limit) } catch {
            throw ProblemDetails.storeUnavailable(error)
        }
        return admin.jsonResponse(
            .object([
                "order_id": .string(orderID), "since": .string(since.rfc3339), "count": .number(String(found.count)),
                "events": .array(found.map(\.json)),
            ]))
    }

    static func checkLength(_ value: String, name: String) throws {
        guard value.utf8.count <= JourneyService.maxIDBytes else {
            throw ProblemDetails(
                status: .badRequest, slug: "invalid-query", title: "Invalid query", detail: "\(name) is longer than \(JourneyService.maxIDBytes) bytes")
        }
    }
}

extension Router {
    func addJourneyRoutes(_ routes: JourneyRoutes) {
        get("/v1/events") { request, _ in try await routes.list(request) }
        get("/v1/events/:id") { request, context in try await routes.show(request, id: try context.parameters.require("id")) }
    }
}
