import BridgeStore
import HTTPTypes
import Hummingbird
import NIOCore
import Prometheus

extension Router {
    /// `GET /healthz` (the process answers), `GET /readyz` (the store answers).
    func addHealthRoutes(store: any EventStore) {
        get("/healthz") { _, _ -> Response in
            Self.text("{\"status\":\"ok\"}", contentType: "application/json")
        }
        get("/readyz") { _, _ -> Response in
            do throws(StoreError) {
                try await store.checkReachable()
            } catch {
                throw ProblemDetails(
                    status: .serviceUnavailable, slug: "not-ready", title: "Not ready", detail: "the store does not answer (\(error.code.rawValue))",
                    headers: [.retryAfter: "5"])
            }
            return Self.text("{\"status\":\"ready\"}", contentType: "application/json")
        }
    }

    /// `GET /metrics` (Prometheus text format), behind a bearer token when
    /// `server.metrics_token` is set; `?source=NAME` keeps only the series
    /// labelled with that configured source.
    func addMetricsRoute(registry: PrometheusCollectorRegistry, tokens: BearerTokens, sources: Set<String>) {
        get("/metrics") { request, _ -> Response in
            if !tokens.isEmpty, !tokens.accepts(authorization: request.headers[.authorization]) {
                throw ProblemDetails(
                    status: .unauthorized, slug: "unauthorized", title: "Unauthorized", detail: "a valid metrics bearer token is required",
                    headers: [.wwwAuthenticate: "Bearer"])
            }
            var text = registry.emitToString()
            if let source = request.uri.queryParameters.get("source") {
                guard sources.contains(source) else {
                    throw ProblemDetails(
                        status: .notFound, slug: "unknown-source", title: "Unknown source",
                        detail: "source: expected a configured source name (\(sources.sorted().joined(separator: ", ")))")
                }
                text = PrometheusSourceFilter.filter(text, source: source)
            }
            return Self.text(text, contentType: "text/plain; version=0.0.4; charset=utf-8")
        }
    }

    static func text(_ body: String, contentType: String) -> Response {
        Response(status: .ok, headers: [.contentType: contentType], body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
