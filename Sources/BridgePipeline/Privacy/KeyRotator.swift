import BridgeCore
import BridgeStore

/// Re-seals what the store holds under an older seal key with the ring's
/// current key (`capi-bridge keys rotate`): the events' sealed identifiers
/// (recomputing their erasure keys under the new key), what their deliveries
/// send in clear (`EventSendContext`), and earlier versions' deliveries'
/// sealed clear fields.
///
/// Bounded and resumable: each batch of `batchSize` rows is one
/// transaction, and rows already under the current key are never selected,
/// so a rotation stopped at any point is continued by running it again.
/// Safe beside a running bridge (every write is a compare-and-set on the old
/// blob, see `KeyRotationStore`), provided every running instance already
/// has the new key in its ring.
///
/// Per column, passes repeat while a pass re-sealed something and rows
/// other than unreadable ones remain (rows skipped because another
/// transaction held them, or sealed under an old key by an instance still
/// running the old ring), at most `maxPasses` times.
public struct KeyRotator: Sendable {
    let store: any KeyRotationStore
    let sealer: IdentifierSealer
    let batchSize: Int
    let maxPasses: Int

    /// - Parameters:
    ///   - batchSize: rows per transaction (default 500).
    public init(store: any KeyRotationStore, sealer: IdentifierSealer, batchSize: Int = 500, maxPasses: Int = 3) {
        self.store = store
        self.sealer = sealer
        self.batchSize = max(1, batchSize)
        self.maxPasses = max(1, maxPasses)
    }

    /// Where a rotation stands, after each batch.
    public struct Progress: Sendable, Equatable {
        public var column: SealedColumn
        /// Rows of `column` under an older key when the column was started.
        public var total: Int
        /// Rows re-sealed so far.
        public var resealed: Int
        /// Rows no key of the ring opens, so far.
        public var unreadable: Int
    }

    /// What a rotation did and what is left.
    public struct Report: Sendable, Equatable {
        /// Rows re-sealed under the current key, per column.
        public var resealed: [SealedColumn: Int] = [:]
        /// Rows no key of the ring opens (left as they are), per column.
        public var unreadable: [SealedColumn: Int] = [:]
        /// Rows still under an older key at the end, per column (unreadable ones included).
        public var remaining: [SealedColumn: Int] = [:]
        /// Events whose erasure keys are still under an older key (their
        /// identifiers were prepared and erased before the rotation):
        /// erasure finds them while that key stays in the ring.
        public var staleErasureKeys = 0

        /// True when every sealed blob is under the current key.
        public var isComplete: Bool { remaining.values.allSatisfy { $0 == 0 } }
    }

    /// Counts what a rotation would re-seal, changing nothing.
    public func plan() async throws(StoreError) -> Report {
        var report = Report()
        for column in SealedColumn.allCases {
            report.remaining[column] = try await store.countStaleSealed(column, currentHeader: sealer.currentHeader)
        }
        report.staleErasureKeys = try await store.countStaleErasureKeys(currentKeyID: sealer.currentKeyID)
        return report
    }

    /// Re-seals every column, calling `progress` after each batch.
    public func rotate(progress: @Sendable (Progress) -> Void = { _ in }) async throws(StoreError) -> Report {
        var report = Report()
        for column in SealedColumn.allCases {
            let header = sealer.currentHeader
            let total = try await store.countStaleSealed(column, currentHeader: header)
            var state = Progress(column: column, total: total, resealed: 0, unreadable: 0)
            var unreadable = Set<Int64>()
            var remaining = total
            var pass = 0
            while remaining > unreadable.count, pass < maxPasses {
                pass += 1
                var cursor: Int64 = 0
                var resealedThisPass = 0
                while true {
                    let batch = try await store.resealBatch(
                        column, currentHeader: header, after: cursor, limit: batchSize, reseal: Self.resealing(column, with: sealer))
                    guard let last = batch.lastID else { break }
                    cursor = last
                    resealedThisPass += batch.resealed
                    unreadable.formUnion(batch.unreadable)
                    state.resealed += batch.resealed
                    state.unreadable = unreadable.count
                    progress(state)
                }
                remaining = try await store.countStaleSealed(column, currentHeader: header)
                if resealedThisPass == 0 { break }
            }
            report.resealed[column] = state.resealed
            report.unreadable[column] = unreadable.count
            report.remaining[column] = remaining
        }
        report.staleErasureKeys = try await store.countStaleErasureKeys(currentKeyID: sealer.currentKeyID)
        return report
    }

    /// The replacement of one row: its blob opened and sealed under the
    /// current key (for events, with erasure keys recomputed from the
    /// identifiers); `nil` when no key of the ring opens it.
    static func resealing(_ column: SealedColumn, with sealer: IdentifierSealer) -> @Sendable (SealedRow) -> ResealedRow? {
        { row in
            let context: String
            switch column {
            case .events: context = OutboxRecord.sealContext(source: row.source, eventID: row.eventID)
            case .eventContexts: context = ClaimedDelivery.clientSealContext(source: row.source, eventID: row.eventID)
            case .deliveries: context = ClaimedDelivery.sealContext(destination: row.destination ?? "", source: row.source, eventID: row.eventID)
            }
            guard let opened = try? sealer.open(row.sealed, context: context) else { return nil }
            let sealed = sealer.seal(opened, context: context)
            guard column == .events else { return ResealedRow(sealed: sealed, erasureKeys: nil) }
            // The erasure keys are recomputed from the event itself; when it
            // cannot be rebuilt, the row keeps the keys it has.
            guard let identifiers = try? StoredEventCodec.identifiers(opened) else { return ResealedRow(sealed: sealed, erasureKeys: nil) }
            return ResealedRow(sealed: sealed, erasureKeys: ErasureKeys.keys(for: identifiers.customer, sealer: sealer))
        }
    }
}
