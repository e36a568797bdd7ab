import BridgeStore
import HTTPTypes
import Hummingbird
import NIOCore
import Prometheus

extension Router {
    /// `GET /healthz` (the process answers), `GET /readyz` (the store answers),
    /// `GET /metrics` (Prometheus text format).
    func addOperationsRoutes(store: any EventStore, registry: PrometheusCollectorRegistry?) {
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
        if let registry {
            get("/metrics") { _, _ -> Response in
                Self.text(registry.emitToString(), contentType: "text/plain; version=0.0.4; charset=utf-8")
            }
        }
    }

    static func text(_ body: String, contentType: String) -> Response {
        Response(status: .ok, headers: [.contentType: contentType], body: .init(byteBuffer: ByteBuffer(string: body)))
    }
}
