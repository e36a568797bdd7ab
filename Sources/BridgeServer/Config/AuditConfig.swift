import BridgeCore

/// `audit:` — the tamper-evident log of what was sent.
public struct AuditConfig: Sendable, Decodable {
    public var dir = "data/audit"
    /// HMAC key for the digests that replace clear fields in the audit log.
    public var digestKey: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case dir
        case digestKey = "digest_key"
    }

    public init() {}

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        dir = try c.decodeIfPresent(String.self, forKey: .dir) ?? dir
        digestKey = try c.decodeIfPresent(String.self, forKey: .digestKey).flatMap { $0.isEmpty ? nil : $0 }
    }
}
