import BridgeCore

/// `server:` — the HTTP listener, its limits, the optional admin listener and TLS.
public struct ServerConfig: Sendable {
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

    public init() {}

    init(_ reader: ConfigReader, problems: inout [ConfigProblem]) {
        var reader = reader
        host = reader.string("host", problems: &problems) ?? host
        port = reader.integer("port", problems: &problems) ?? port
        maxBodyBytes = reader.integer("max_body_bytes", problems: &problems) ?? maxBodyBytes
        if reader.contains("admin_token"), reader.contains("admin_tokens") {
            problems.append(ConfigProblem(reader.keyPath("admin_tokens"), "set admin_token or admin_tokens, not both"))
        }
        let single = reader.stringOrList("admin_token", problems: &problems) ?? []
        let list = reader.strings("admin_tokens", problems: &problems).map { tokens in
            tokens.enumerated().compactMap { index, token in token.isEmpty ? nil : KeyedValue(path: "admin_tokens[\(index)]", value: token) }
        } ?? []
        adminTokenKeys = single + list
        adminTokens = adminTokenKeys.map(\.value)
        metricsTokenKeys = reader.stringOrList("metrics_token", problems: &problems) ?? []
        metricsTokens = metricsTokenKeys.map(\.value)
        idleTimeoutSeconds = reader.number("idle_timeout_seconds", problems: &problems) ?? idleTimeoutSeconds
        bodyTimeoutSeconds = reader.number("body_timeout_seconds", problems: &problems) ?? bodyTimeoutSeconds
        maxConnections = reader.integer("max_connections", problems: &problems) ?? maxConnections
        maxHeaderBytes = reader.integer("max_header_bytes", problems: &problems) ?? maxHeaderBytes
        shutdownTimeoutSeconds = reader.number("shutdown_timeout_seconds", problems: &problems) ?? shutdownTimeoutSeconds
        admin = reader.section("admin", problems: &problems).flatMap { AdminListenerConfig($0, problems: &problems) }
        tls = reader.section("tls", problems: &problems).flatMap { TLSListenerConfig($0, problems: &problems) }
        reader.rejectUnknown(problems: &problems)
    }
}
