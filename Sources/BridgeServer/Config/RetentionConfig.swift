import BridgeCore
import BridgeStore

/// `retention:` — how long personal data and payloads are kept.
public struct RetentionConfig: Sendable, Decodable {
    /// Sealed raw identifiers (default 7 days, even when undelivered).
    public var sealedIdentifiersDays: Double = 7
    /// Delivered (hashed) payloads (default 30 days).
    public var deliveredPayloadDays: Double = 30
    /// Audit files (default 400 days).
    public var auditDays: Double = 400
    /// How often the sweep runs (default 600 s).
    public var sweepIntervalSeconds: Double = 600

    enum CodingKeys: String, CodingKey, CaseIterable {
        case sealedIdentifiersDays = "sealed_identifiers_days"
        case deliveredPayloadDays = "delivered_payload_days"
        case auditDays = "audit_days"
        case sweepIntervalSeconds = "sweep_interval_seconds"
    }

    public init() {}

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        sealedIdentifiersDays = try c.decodeIfPresent(Double.self, forKey: .sealedIdentifiersDays) ?? sealedIdentifiersDays
        deliveredPayloadDays = try c.decodeIfPresent(Double.self, forKey: .deliveredPayloadDays) ?? deliveredPayloadDays
        auditDays = try c.decodeIfPresent(Double.self, forKey: .auditDays) ?? auditDays
        sweepIntervalSeconds = try c.decodeIfPresent(Double.self, forKey: .sweepIntervalSeconds) ?? sweepIntervalSeconds
    }

    /// The store's policy.
    public var policy: RetentionPolicy {
        RetentionPolicy(
            sealedIdentifiers: .seconds(Int64(sealedIdentifiersDays * 86_400)),
            deliveredPayloads: .seconds(Int64(deliveredPayloadDays * 86_400)),
            auditFiles: .seconds(Int64(auditDays * 86_400)))
    }
}
