import BridgeCore

/// `server.admin:` — a second listener for the admin routes (dead letters,
/// erasure, reports) and `/metrics`, so that a reverse proxy forwarding only
/// `/v1/webhooks` and `/v1/events` to the public listener never exposes them.
public struct AdminListenerConfig: Sendable, Decodable {
    /// Loopback unless said otherwise.
    public var host = "127.0.0.1"
    /// 0 picks a free port.
    public var port: Int

    enum CodingKeys: String, CodingKey, CaseIterable {
        case host, port
    }

    public init(host: String = "127.0.0.1", port: Int) {
        self.host = host
        self.port = port
    }

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        host = try c.decodeIfPresent(String.self, forKey: .host) ?? host
        port = try c.decode(Int.self, forKey: .port)
    }
}
