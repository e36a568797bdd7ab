import BridgeCore

/// The outbox's group commit: concurrent ingests share one durable
/// transaction (`CombiningQueue`), so the cost of an fsync is shared by every
/// request that arrived during the previous one. With one request at a time
/// this degrades to one commit per request; under load, batches grow by
/// themselves without adding latency. A request's failure (its savepoint
/// rolled back) does not fail the others; a failure of the whole transaction
/// fails every request in it.
typealias GroupCommit = CombiningQueue<IngestRequest, IngestResult, StoreError>

extension CombiningQueue where Request == IngestRequest, Response == IngestResult, Failure == StoreError {
    /// A group commit of up to 1,024 requests per transaction.
    static func groupCommit() -> GroupCommit {
        GroupCommit(
            maxBatch: 1024, closedFailure: { StoreError(.closed, "the store is shutting down") },
            shortResult: { StoreError(.unavailable, "commit returned too few results") })
    }
}
