import BridgeCore
import BridgePipeline
import BridgeStore
import HTTPTypes
import Hummingbird

/// `GET /v1/destinations` and `POST /v1/destinations/{name}/resume` (admin).
struct DestinationRoutes: Sendable {
    let admin: AdminRoutes
    let config: BridgeConfig
    /// This process's worker groups, resumed at once; other instances follow
    /// the request the route leaves in the store within their monitor interval.
    let workers: [DestinationWorkers]

    func list(_ request: Request) async throws -> Response {
        try admin.authorize(request)
        let overview: [DestinationOverview]
        do { overview = try await DestinationOverview.all(config: config, store: admin.store, now: admin.now()) } catch {
            throw ProblemDetails.storeUnavailable(error)
        }
        return admin.jsonResponse(.object(["destinations": .array(overview.map(\.json))]))
    }

    func resume(_ request: Request, name: String) async throws -> Response {
        try admin.authorize(request)
        guard config.destinations.contains(where: { $0.name == name }) else {
            throw ProblemDetails(
                status: .notFound, slug: "unknown-destination", title: "Unknown destination",
                detail: "no destination named '\(String(name.prefix(64)))' is configured")
        }
        let at = admin.now()
        do { try await admin.store.requestResume(destination: name, at: at) } catch { throw ProblemDetails.storeUnavailable(error) }
        let resumedHere = workers.first { $0.name == name }?.resume(requestedAt: at) ?? false
        return admin.jsonResponse(
            .object([
                "destination": .string(name), "resumed_here": .bool(resumedHere), "requested_at": .string(at.rfc3339),
            ]))
    }
}

extension Router {
    func addDestinationRoutes(_ routes: DestinationRoutes) {
        get("/v1/destinations") { request, _ in try await routes.list(request) }
        post("/v1/destinations/:name/resume") { request, context in
            try await routes.resume(request, name: try context.parameters.require("name"))
        }
    }
}
