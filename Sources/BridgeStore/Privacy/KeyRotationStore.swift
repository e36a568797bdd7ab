import BridgeCore

/// What `capi-bridge keys rotate` needs from a store: the sealed blobs not
/// yet under the current seal key, in bounded batches, and a safe way to
/// replace them while the bridge runs.
///
/// Every write is a compare-and-set on the old blob: a row that a running
/// bridge prepared (its sealed identifiers erased), delivered or deleted
/// meanwhile is left as that bridge left it. A batch is one transaction, so
/// a rotation killed half-way loses nothing: rerunning it selects what is
/// still under an older key.
public protocol KeyRotationStore: Sendable {
    /// How many rows of `column` hold a blob that does not start with
    /// `currentHeader` (sealed under an older key, or before key rings).
    func countStaleSealed(_ column: SealedColumn, currentHeader: [UInt8]) async throws(StoreError) -> Int

    /// How many events keep erasure keys made under another key than
    /// `currentKeyID` (or before key rings). Those whose sealed identifiers
    /// were already erased cannot be re-indexed: erasure finds them while
    /// that key stays in the ring.
    func countStaleErasureKeys(currentKeyID: String) async throws(StoreError) -> Int

    /// One batch: up to `limit` rows of `column` after `cursor` (in key
    /// order) whose blob does not start with `currentHeader`, each passed to
    /// `reseal` and, when it returns a replacement, written back in the same
    /// transaction (compare-and-set on the old blob; for events, the erasure
    /// keys are replaced too).
    func resealBatch(
        _ column: SealedColumn, currentHeader: [UInt8], after cursor: Int64, limit: Int,
        reseal: @escaping @Sendable (SealedRow) -> ResealedRow?
    ) async throws(StoreError) -> ResealBatch
}

/// A column of sealed blobs.
public enum SealedColumn: String, Sendable, CaseIterable {
    /// `events.sealed`: an event's identifiers until it is prepared.
    case events
    /// `events.client_sealed`: what an event's deliveries send in clear
    /// (`EventSendContext`), until none of them can be sent any more.
    case eventContexts = "event_contexts"
    /// `deliveries.sealed`: the clear fields of deliveries prepared by
    /// earlier versions, until delivered.
    case deliveries

    /// Table, key column, blob column and, for deliveries, the destination column.
    public var sql: (table: String, key: String, blob: String, destination: String?) {
        switch self {
        case .events: ("events", "sequence", "sealed", nil)
        case .eventContexts: ("events", "sequence", "client_sealed", nil)
        case .deliveries: ("deliveries", "id", "sealed", "destination")
        }
    }
}

/// A stored blob with what its AES-GCM context is made of.
public struct SealedRow: Sendable, Equatable {
    /// `events.sequence` or `deliveries.id`.
    public let id: Int64
    public let source: String
    public let eventID: String
    /// The destination (deliveries only).
    public let destination: String?
    /// The event's clear part (events only), to rebuild the event and
    /// recompute its erasure keys.
    public let body: [UInt8]?
    public let sealed: [UInt8]

    public init(id: Int64, source: String, eventID: String, destination: String?, body: [UInt8]?, sealed: [UInt8]) {
        self.id = id
        self.source = source
        self.eventID = eventID
        self.destination = destination
        self.body = body
        self.sealed = sealed
    }
}

/// The replacement of one row's blob.
public struct ResealedRow: Sendable, Equatable {
    public let sealed: [UInt8]
    /// Events only: the erasure keys under the new key (replacing the row's).
    public let erasureKeys: [ErasureKeys.Key]?

    public init(sealed: [UInt8], erasureKeys: [ErasureKeys.Key]?) {
        self.sealed = sealed
        self.erasureKeys = erasureKeys
    }
}

/// What one `resealBatch` did.
public struct ResealBatch: Sendable, Equatable {
    /// Rows read.
    public var examined = 0
    /// Rows written under the current key.
    public var resealed = 0
    /// Rows a running bridge changed between the read and the write (left alone).
    public var changedMeanwhile = 0
    /// Rows no key of the ring opens (left alone), by id.
    public var unreadable: [Int64] = []
    /// The last id read: the next batch's cursor; `nil` when the batch was empty.
    public var lastID: Int64?

    public init() {}
}
