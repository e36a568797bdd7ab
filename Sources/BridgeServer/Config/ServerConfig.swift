import BridgeCore

/// `server:` — the HTTP listener.
public struct ServerConfig: Sendable, Decodable {
    public var host = "127.0.0.1"
    public var port = 8080
    /// Largest accepted request body; larger ones get 413.
    public var maxBodyBytes = 1_048_576
    /// Bearer token for the admin routes; admin routes answer 401 without one configured.
    public var adminToken: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case host, port
        case maxBodyBytes = "max_body_bytes"
        case adminToken = "admin_token"
    }

    public init() {}

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        host = try c.decodeIfPresent(String.self, forKey: .host) ?? host
        port = try c.decodeIfPresent(Int.self, forKey: .port) ?? port
        maxBodyBytes = try c.decodeIfPresent(Int.self, forKey: .maxBodyBytes) ?? maxBodyBytes
        adminToken = try c.decodeIfPresent(String.self, forKey: .adminToken).flatMap { $0.isEmpty ? nil : $0 }
    }
}
