import BridgeCore

/// `server.admin:` — a second listener for the admin routes (dead letters,
/// erasure, reports) and `/metrics`, so that a reverse proxy forwarding only
/// `/v1/webhooks` and `/v1/events` to the public listener never exposes them.
public struct AdminListenerConfig: Sendable {
    /// Loopback unless said otherwise.
    public var host = "127.0.0.1"
    /// 0 picks a free port.
    public var port: Int

    public init(host: String = "127.0.0.1", port: Int) {
        self.host = host
        self.port = port
    }

    /// `nil` when `port` is missing or not an integer (a problem then).
    init?(_ reader: ConfigReader, problems: inout [ConfigProblem]) {
        var reader = reader
        host = reader.string("host", problems: &problems) ?? host
        let port = reader.integer("port", problems: &problems)
        if !reader.contains("port") { problems.append(ConfigProblem(reader.keyPath("port"), "required key is missing")) }
        reader.rejectUnknown(problems: &problems)
        guard let port else { return nil }
        self.port = port
    }
}
