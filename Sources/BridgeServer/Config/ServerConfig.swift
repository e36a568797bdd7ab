import BridgeCore

/// `server:` — the HTTP listener, its limits, the optional admin listener and TLS.
public struct ServerConfig: Sendable, Decodable {
    public var host = "127.0.0.1"
    public var port = 8080
    /// Largest accepted request body; larger ones get 413.
    public var maxBodyBytes = 1_048_576
    /// Bearer tokens for the admin routes (current, then previous while
    /// rotating); admin routes answer 401 when there is none. `admin_token`
    /// (one token or a list) or `admin_tokens` (a list).
    public var adminTokens: [String] = []
    /// Bearer tokens `GET /metrics` requires; open when empty.
    public var metricsTokens: [String] = []
    /// A connection on which no request part arrives for this long is
    /// closed: an idle keep-alive connection, and a request whose header
    /// block does not complete in time (trickled headers).
    public var idleTimeoutSeconds: Double = 30
    /// A request whose body has not ended this long after its header block
    /// is cut off (trickled bodies).
    public var bodyTimeoutSeconds: Double = 30
    /// Open connections beyond which the listener stops accepting.
    public var maxConnections = 1024
    /// Largest header block (and largest single header) accepted; larger is 400.
    public var maxHeaderBytes = 16_384
    /// How long SIGTERM waits for in-flight requests and batches before cancelling them.
    public var shutdownTimeoutSeconds: Double = 30
    /// Where each admin and metrics token was written (`admin_token`,
    /// `admin_tokens[1]`, …), for problems naming its key path.
    var adminTokenKeys: [KeyedValue] = []
    var metricsTokenKeys: [KeyedValue] = []
    /// A separate listener for the admin routes and `/metrics`; `nil` serves them with everything else.
    public var admin: AdminListenerConfig?
    /// Native TLS on the listeners; `nil` is plain HTTP (TLS at a reverse proxy).
    public var tls: TLSListenerConfig?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case host, port, admin, tls
        case maxBodyBytes = "max_body_bytes"
        case adminToken = "admin_token"
        case adminTokens = "admin_tokens"
        case metricsToken = "metrics_token"
        case idleTimeoutSeconds = "idle_timeout_seconds"
        case bodyTimeoutSeconds = "body_timeout_seconds"
        case maxConnections = "max_connections"
        case maxHeaderBytes = "max_header_bytes"
        case shutdownTimeoutSeconds = "shutdown_timeout_seconds"
    }

    public init() {}

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        host = try c.decodeIfPresent(String.self, forKey: .host) ?? host
        port = try c.decodeIfPresent(Int.self, forKey: .port) ?? port
        maxBodyBytes = try c.decodeIfPresent(Int.self, forKey: .maxBodyBytes) ?? maxBodyBytes
        if c.contains(.adminToken), c.contains(.adminTokens) {
            throw DecodingError.dataCorruptedError(forKey: .adminTokens, in: c, debugDescription: "set admin_token or admin_tokens, not both")
        }
        let single = try c.decodeIfPresent(StringOrList.self, forKey: .adminToken)?.entries(key: "admin_token") ?? []
        let list = try c.decodeIfPresent([String].self, forKey: .adminTokens).map { StringOrList(values: $0, isList: true).entries(key: "admin_tokens") } ?? []
        adminTokenKeys = single + list
        adminTokens = adminTokenKeys.map(\.value)
        metricsTokenKeys = try c.decodeIfPresent(StringOrList.self, forKey: .metricsToken)?.entries(key: "metrics_token") ?? []
        metricsTokens = metricsTokenKeys.map(\.value)
        idleTimeoutSeconds = try c.decodeIfPresent(Double.self, forKey: .idleTimeoutSeconds) ?? idleTimeoutSeconds
        bodyTimeoutSeconds = try c.decodeIfPresent(Double.self, forKey: .bodyTimeoutSeconds) ?? bodyTimeoutSeconds
        maxConnections = try c.decodeIfPresent(Int.self, forKey: .maxConnections) ?? maxConnections
        maxHeaderBytes = try c.decodeIfPresent(Int.self, forKey: .maxHeaderBytes) ?? maxHeaderBytes
        shutdownTimeoutSeconds = try c.decodeIfPresent(Double.self, forKey: .shutdownTimeoutSeconds) ?? shutdownTimeoutSeconds
        admin = try c.decodeIfPresent(AdminListenerConfig.self, forKey: .admin)
        tls = try c.decodeIfPresent(TLSListenerConfig.self, forKey: .tls)
    }
}
