import BridgeCore

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
    /// Base64 of 32 bytes: the AES-GCM key sealing raw identifiers.
    public var sealKey: String?
    /// Explicit opt-in to a random per-process key when `seal_key` is empty:
    /// for development only, loudly logged.
    public var ephemeralSealKey = false
    /// This instance's stable name on a shared PostgreSQL database (a pod or
    /// host name that survives restarts): a restarted instance releases the
    /// leases its previous incarnation held at once instead of waiting for
    /// them to run out. Unset: leases are released by expiry only. (An SQLite
    /// store has one `serve` process, which releases every lease at start.)
    public var instanceID: String?
    /// How long a claim lasts without renewal (default 15 s; busy workers renew it).
    public var leaseSeconds: Double = 15

    enum CodingKeys: String, CodingKey, CaseIterable {
        case kind, path, url
        case sealKey = "seal_key"
        case ephemeralSealKey = "ephemeral_seal_key"
        case instanceID = "instance_id"
        case leaseSeconds = "lease_seconds"
    }

    public init() {}

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        kind = try c.decodeIfPresent(Kind.self, forKey: .kind) ?? kind
        path = try c.decodeIfPresent(String.self, forKey: .path) ?? path
        url = try c.decodeIfPresent(String.self, forKey: .url)
        sealKey = try c.decodeIfPresent(String.self, forKey: .sealKey).flatMap { $0.isEmpty ? nil : $0 }
        ephemeralSealKey = try c.decodeIfPresent(Bool.self, forKey: .ephemeralSealKey) ?? false
        instanceID = try c.decodeIfPresent(String.self, forKey: .instanceID).flatMap { $0.isEmpty ? nil : $0 }
        leaseSeconds = try c.decodeIfPresent(Double.self, forKey: .leaseSeconds) ?? leaseSeconds
    }

    /// The lease policy of `lease_seconds` (validated by the config loader).
    public var leasePolicy: LeasePolicy { .lasting(.milliseconds(Int64(leaseSeconds * 1000))) }
}
