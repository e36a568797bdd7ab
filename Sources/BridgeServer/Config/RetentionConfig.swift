import BridgeCore
import BridgeStore

/// `retention:` — how long personal data and payloads are kept.
public struct RetentionConfig: Sendable {
    /// Sealed raw identifiers (default 7 days, even when undelivered).
    public var sealedIdentifiersDays: Double = 7
    /// Delivered (hashed) payloads (default 30 days).
    public var deliveredPayloadDays: Double = 30
    /// Audit files (default 400 days).
    public var auditDays: Double = 400
    /// How often the sweep runs (default 600 s).
    public var sweepIntervalSeconds: Double = 600

    public init() {}

    init(_ reader: ConfigReader, problems: inout [ConfigProblem]) {
        var reader = reader
        sealedIdentifiersDays = reader.number("sealed_identifiers_days", problems: &problems) ?? sealedIdentifiersDays
        deliveredPayloadDays = reader.number("delivered_payload_days", problems: &problems) ?? deliveredPayloadDays
        auditDays = reader.number("audit_days", problems: &problems) ?? auditDays
        sweepIntervalSeconds = reader.number("sweep_interval_seconds", problems: &problems) ?? sweepIntervalSeconds
        reader.rejectUnknown(problems: &problems)
    }

    /// The store's policy.
    public var policy: RetentionPolicy {
        RetentionPolicy(
            sealedIdentifiers: .seconds(Int64(sealedIdentifiersDays * 86_400)),
            deliveredPayloads: .seconds(Int64(deliveredPayloadDays * 86_400)),
            auditFiles: .seconds(Int64(auditDays * 86_400)))
    }
}
