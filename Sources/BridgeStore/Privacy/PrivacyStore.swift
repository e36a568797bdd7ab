import BridgeCore

/// Erasure and retention: the store's part of the privacy rules.
public protocol PrivacyStore: Sendable {
    /// Deletes every event (and all its deliveries and index entries) linked
    /// to any of `keys`, in one transaction.
    func erase(keys: [ErasureKeys.Key]) async throws(StoreError) -> ErasureResult

    /// Enforces the retention limits once; returns what it changed.
    func applyRetention(_ policy: RetentionPolicy, now: Timestamp) async throws(StoreError) -> RetentionResult

    /// The audit chain head recorded by the audit log (for truncation checks).
    func auditHead() async throws(StoreError) -> AuditChainHead?

    /// Records the audit chain head after an append.
    func recordAuditHead(_ head: AuditChainHead) async throws(StoreError)
}

/// What an erasure removed. Event ids are not personal data.
public struct ErasureResult: Sendable, Equatable {
    public var eventIDs: [String]
    public var unsentDeliveries: Int
    public var sentDeliveries: Int

    public init(eventIDs: [String] = [], unsentDeliveries: Int = 0, sentDeliveries: Int = 0) {
        self.eventIDs = eventIDs
        self.unsentDeliveries = unsentDeliveries
        self.sentDeliveries = sentDeliveries
    }
}

/// How long the store keeps what. YAML `retention:` keys:
/// `sealed_identifiers_days` (default 7), `delivered_payload_days` (30),
/// `audit_days` (400), `sweep_interval_seconds` (600).
public struct RetentionPolicy: Sendable, Equatable {
    /// Sealed raw identifiers are erased after this, delivered or not; a
    /// delivery still pending then is dead-lettered as `expired`.
    public var sealedIdentifiers: Duration
    /// Delivered (hashed) payloads are dropped after this, and dead letters'
    /// payloads this long after they were dead-lettered; the delivery row and
    /// its report columns stay.
    public var deliveredPayloads: Duration
    /// Audit files older than this are deleted.
    public var auditFiles: Duration

    public init(sealedIdentifiers: Duration = .seconds(7 * 86_400), deliveredPayloads: Duration = .seconds(30 * 86_400),
                auditFiles: Duration = .seconds(400 * 86_400)) {
        self.sealedIdentifiers = sealedIdentifiers
        self.deliveredPayloads = deliveredPayloads
        self.auditFiles = auditFiles
    }
}

/// What one retention sweep changed.
public struct RetentionResult: Sendable, Equatable {
    /// Events whose sealed identifiers were erased.
    public var eventsErased: Int = 0
    /// Pending deliveries dead-lettered as expired.
    public var deliveriesExpired: Int = 0
    /// Sealed clear fields erased from dead deliveries.
    public var deadLettersErased: Int = 0
    /// Delivered payloads dropped.
    public var payloadsDropped: Int = 0
    /// Dead letters' payloads dropped (same limit as delivered ones, counted
    /// from when the delivery was dead-lettered; `dlq replay` skips them).
    public var deadLetterPayloadsDropped: Int = 0

    public init() {}
}
