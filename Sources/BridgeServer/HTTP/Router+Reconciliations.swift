import BridgeCore
import BridgeReconcile
import BridgeStore
import HTTPTypes
import Hummingbird
import NIOCore

/// `POST /v1/reconciliations`, `GET /v1/reconciliations/{id}` and
/// `GET /v1/reconciliations` (admin bearer token).
///
/// A POST is checked at once (the source exists and has what it needs, the
/// window is valid), stored as `queued` and answered `202 Accepted` with
/// `Location: /v1/reconciliations/{id}`; the reconciliation service of this
/// or another instance runs it within a second or so, and the GET shows it
/// `running`, then `completed` with its report (or `failed` with why).
struct ReconciliationRoutes: Sendable {
    let admin: AdminRoutes
    /// `nil` in a process without the pipeline (route tests): POST answers 503.
    let runner: ReconciliationRunner?

    /// `POST /v1/reconciliations` with `{"source": "shop", "since": "48h", "until": "…", "backfill": false}`.
    func start(_ request: Request) async throws -> Response {
        try admin.authorize(request)
        guard let runner else {
            throw ProblemDetails(
                status: .serviceUnavailable, slug: "reconciliation-unavailable", title: "Reconciliation unavailable",
                detail: "this process does not run reconciliations")
        }
        let buffer = try await request.body.collect(upTo: 64 * 1024)
        let json: JSONValue
        do { json = try JSONParser.parse(Array(buffer.readableBytesView)) } catch {
            throw ProblemDetails(status: .badRequest, slug: "malformed-json", title: "Malformed JSON", detail: error.description)
        }
        guard case .object(let members) = json else { throw Self.invalid("the body must be a JSON object", pointer: "") }
        for key in members.keys where !["source", "since", "until", "backfill"].contains(key) {
            throw Self.invalid("unknown member '\(key.prefix(64))' (expected source, since, until, backfill)", pointer: "/" + String(key.prefix(64)))
        }
        guard let source = json["source"]?.stringValue, !source.isEmpty else { throw Self.invalid("source is required", pointer: "/source") }
        var backfill = false
        if let flag = json["backfill"] {
            guard let value = flag.boolValue else { throw Self.invalid("backfill must be true or false", pointer: "/backfill") }
            backfill = value
        }
        let now = admin.now()
        let window: ReconciliationWindow
        do {
            window = try ReconciliationWindowText.parse(since: json["since"]?.stringValue ?? "48h", until: json["until"]?.stringValue, now: now)
        } catch {
            throw Self.invalid(error.description, pointer: error.parameter == "until" ? "/until" : "/since")
        }
        if let since = json["since"], since.stringValue == nil { throw Self.invalid("since must be a string", pointer: "/since") }
        do { _ = try runner.orderSource(for: source, backfill: backfill) } catch let error as ReconciliationRequestError {
            if case .unknownSource = error {
                throw ProblemDetails(status: .notFound, slug: "unknown-source", title: "Unknown source", detail: error.description, pointer: "/source")
            }
            throw Self.invalid(error.description, pointer: error == .backfillNotPossible(source: source) ? "/backfill" : "/source")
        } catch {
            throw Self.invalid("\(error)", pointer: "/source")
        }
        let run = runner.newRun(source: source, window: window, backfill: backfill, trigger: .api, state: .queued, owner: nil)
        do { try await admin.store.saveReconciliationRun(run) } catch { throw ProblemDetails.storeUnavailable(error) }
        var response = admin.jsonResponse(ReconciliationRunJSON.object(run, report: nil))
        response.status = .accepted
        response.headers[.location] = "/v1/reconciliations/\(run.id)"
        return response
    }

    /// `GET /v1/reconciliations/{id}[?format=json|csv|html|table]`.
    func show(_ request: Request, id: String) async throws -> Response {
        try admin.authorize(request)
        guard ReconciliationRun.isValidID(id) else { throw Self.unknown(id) }
        let run: ReconciliationRun?
        do { run = try await admin.store.reconciliationRun(id: id) } catch { throw ProblemDetails.storeUnavailable(error) }
        guard let run else { throw Self.unknown(id) }
        let report = run.report.flatMap { try? JSONParser.parse($0) }.flatMap(ReconciliationReport.init(json:))
        let formatText = request.uri.queryParameters.get("format") ?? "json"
        guard let format = MatchQualityReporting.Format(rawValue: formatText) else {
            throw Self.invalid("format: expected json, csv, html or table", pointer: nil)
        }
        guard format != .json else { return admin.jsonResponse(ReconciliationRunJSON.object(run, report: report)) }
        guard let report else {
            throw ProblemDetails(
                status: .conflict, slug: "reconciliation-not-completed", title: "Reconciliation not completed",
                detail: "reconciliation \(id) is \(run.state.rawValue); only a completed one has a report to render")
        }
        var headers: HTTPFields = [.contentType: format.contentType, .cacheControl: "no-store"]
        if format == .csv { headers[.contentDisposition] = "attachment; filename=\"\(id).csv\"" }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: ReconciliationRendering.render(report, as: format))))
    }

    /// `GET /v1/reconciliations?source=&limit=`: runs, newest first, without reports.
    func list(_ request: Request) async throws -> Response {
        try admin.authorize(request)
        let query = request.uri.queryParameters
        var limit = 50
        if let text = query.get("limit") {
            guard let value = Int(text), (1...500).contains(value) else { throw Self.invalid("limit: expected 1 to 500", pointer: nil) }
            limit = value
        }
        let runs: [ReconciliationRun]
        do { runs = try await admin.store.reconciliationRuns(source: query.get("source"), limit: limit) } catch {
            throw ProblemDetails.storeUnavailable(error)
        }
        return admin.jsonResponse(.object(["reconciliations": .array(runs.map { ReconciliationRunJSON.object($0, report: nil) })]))
    }

    static func invalid(_ detail: String, pointer: String?) -> ProblemDetails {
        ProblemDetails(
            status: .badRequest, slug: "invalid-reconciliation-request", title: "Invalid reconciliation request", detail: detail, pointer: pointer)
    }

    static func unknown(_ id: String) -> ProblemDetails {
        ProblemDetails(
            status: .notFound, slug: "unknown-reconciliation", title: "Unknown reconciliation",
            detail: "no reconciliation with id '\(id.prefix(64))'")
    }
}

/// The JSON form of a stored run (the report, when given and completed, inline).
public enum ReconciliationRunJSON {
    public static func object(_ run: ReconciliationRun, report: ReconciliationReport?) -> JSONValue {
        var object: [String: JSONValue] = [
            "id": .string(run.id), "source": .string(run.source), "trigger": .string(run.trigger.rawValue), "state": .string(run.state.rawValue),
            "since": .string(run.since.rfc3339), "until": .string(run.until.rfc3339), "backfill": .bool(run.backfill),
            "requested_at": .string(run.requestedAt.rfc3339), "href": .string("/v1/reconciliations/\(run.id)"),
        ]
        if let startedAt = run.startedAt { object["started_at"] = .string(startedAt.rfc3339) }
        if let finishedAt = run.finishedAt { object["finished_at"] = .string(finishedAt.rfc3339) }
        if let slot = run.slot { object["slot"] = .string(slot.rfc3339) }
        if let error = run.error { object["error"] = .string(error) }
        if let alertSince = run.alertSince { object["alert_since"] = .string(alertSince.rfc3339) }
        if let summary = run.summary {
            object["summary"] = .object([
                "orders": .number(String(summary.orders)), "missing": .number(String(summary.missing)),
                "value_differs": .number(String(summary.valueDiffers)), "undelivered": .number(String(summary.undelivered)),
                "events_without_order": .number(String(summary.eventsWithoutOrder)), "backfilled": .number(String(summary.backfilled)),
            ])
        }
        if let report { object["report"] = report.json() }
        return .object(object)
    }
}

extension Router {
    func addReconciliationRoutes(_ routes: ReconciliationRoutes) {
        post("/v1/reconciliations") { request, _ in try await routes.start(request) }
        get("/v1/reconciliations") { request, _ in try await routes.list(request) }
        get("/v1/reconciliations/:id") { request, context in try await routes.show(request, id: try context.parameters.require("id")) }
    }
}
