import BridgeCore
import BridgeStore

/// `store:` — where the outbox lives and how identifiers are sealed.
public struct StoreConfig: Sendable, Decodable {
    public enum Kind: String, Sendable, Decodable, CaseIterable {
        case sqlite
        case postgres
    }

    public var kind = Kind.sqlite
    /// SQLite file (relative paths are relative to the working directory).
    public var path = "data/bridge.sqlite"
    /// PostgreSQL connection URL.
    public var url: String?
    /// PostgreSQL to a host that is not loopback without verified TLS
    /// (`sslmode=disable` or `prefer`): an explicit, logged opt-in.
    public var allowInsecure = false
    /// Base64 of 32 bytes: the AES-GCM key sealing raw identifiers.
    public var sealKey: String?
    /// Explicit opt-in to a random per-process key when `seal_key` is empty:
    /// for development only, loudly logged.
    public var ephemeralSealKey = false

    enum CodingKeys: String, CodingKey, CaseIterable {
        case kind, path, url
        case allowInsecure = "allow_insecure"
        case sealKey = "seal_key"
        case ephemeralSealKey = "ephemeral_seal_key"
    }

    public init() {}

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        kind = try c.decodeIfPresent(Kind.self, forKey: .kind) ?? kind
        path = try c.decodeIfPresent(String.self, forKey: .path) ?? path
        url = try c.decodeIfPresent(String.self, forKey: .url)
        allowInsecure = try c.decodeIfPresent(Bool.self, forKey: .allowInsecure) ?? false
        sealKey = try c.decodeIfPresent(String.self, forKey: .sealKey).flatMap { $0.isEmpty ? nil : $0 }
        ephemeralSealKey = try c.decodeIfPresent(Bool.self, forKey: .ephemeralSealKey) ?? false
    }

    /// Problems of the PostgreSQL URL (parameters, TLS to a host that is
    /// not loopback), never quoting the password.
    public func connectionProblems() -> [ConfigProblem] {
        guard kind == .postgres, let url else { return [] }
        do {
            _ = try PostgresStore.Configuration(url: url, allowInsecure: allowInsecure)
            return []
        } catch {
            return [ConfigProblem("store.url", error.detail)]
        }
    }
}
