/// Which routes a listener serves. `/healthz`, `/readyz` and
/// `/openapi.yaml` are on every listener.
public struct RouteSet: OptionSet, Sendable {
    public let rawValue: Int

    public init(rawValue: Int) { self.rawValue = rawValue }

    /// `POST /v1/webhooks/{name}` and `POST /v1/events`: what a reverse proxy forwards.
    public static let ingest = RouteSet(rawValue: 1 << 0)
    /// Dead letters, erasure, reports and `/metrics`.
    public static let admin = RouteSet(rawValue: 1 << 1)
    /// Everything, on one listener (no `server.admin`).
    public static let all: RouteSet = [.ingest, .admin]
}
