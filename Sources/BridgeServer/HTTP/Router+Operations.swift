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
    /// `server.metrics_token` is set.
    func addMetricsRoute(registry: PrometheusCollectorRegistry, tokens: BearerTokens) {
        get("/metrics") { request, _ -> Response in
            if !tokens.isEmpty, !tokens.accepts(authorization: request.headers[.authorization]) {
                throw ProblemDetails(
                    status: .unauthorized, slug: "unauthorized", title: "Unauthorized", detail: "a valid metrics bearer token is required",
                    headers: [.wwwAuthenticate: "Bearer"])
            }
            return Self.text(registry.emitToString(), contentType: "text/plain; version=0.0.4; charset=utf-8")
        }
    }

    static func text(_ body: String, contentType: String) -> Response {
        Response(status: .ok, headers: [.contentType: contentType], body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
