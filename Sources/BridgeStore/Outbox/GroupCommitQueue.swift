import Synchronization

/// Lets many concurrent requests share one durable commit.
///
/// Requests queue up while a commit is in flight; the next commit takes all of
/// them (up to `maxBatch`) in one transaction, so the cost of an fsync is shared
/// by every request that arrived during the previous one. With one request at a
/// time this degrades to one commit per request; under load, batches grow by
/// themselves and throughput rises without adding latency.
///
/// The commit function receives the batch and returns one result per request,
/// in order; a request's failure (its savepoint rolled back) does not fail the
/// others, a failure of the whole transaction fails every request in it.
final class GroupCommitQueue<Request: Sendable, Response: Sendable>: Sendable {
    typealias Commit = @Sendable ([Request]) async -> [Result<Response, StoreError>]

    private struct Waiter {
        let request: Request
        let continuation: CheckedContinuation<Response, any Error>
    }

    private struct State {
        var pending: [Waiter] = []
        var draining = false
        var closed = false
        var drainFinished: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())
    private let commit: Commit
    private let maxBatch: Int

    init(maxBatch: Int = 1024, commit: @escaping Commit) {
        self.maxBatch = maxBatch
        self.commit = commit
    }

    /// Queues `request` and returns once the transaction holding it committed.
    func submit(_ request: Request) async throws(StoreError) -> Response {
        do {
            return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Response, any Error>) in
                let startDrain = state.withLock { state -> Bool? in
                    if state.closed { return nil }
                    state.pending.append(Waiter(request: request, continuation: continuation))
                    if state.draining { return false }
                    state.draining = true
                    return true
                }
                switch startDrain {
                case nil: continuation.resume(throwing: StoreError(.closed, "the store is shutting down"))
                case true?: Task { await self.drain() }
                case false?: break
                }
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.unavailable, String(describing: type(of: error)))
        }
    }

    /// Refuses new requests and waits until every queued one is committed.
    func close() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let idle = state.withLock { state -> Bool in
                state.closed = true
                if !state.draining { return true }
                state.drainFinished.append(continuation)
                return false
            }
            if idle { continuation.resume() }
        }
    }

    private func drain() async {
        while true {
            let batch: [Waiter] = state.withLock { state in
                let take = min(state.pending.count, maxBatch)
                let batch = Array(state.pending.prefix(take))
                state.pending.removeFirst(take)
                return batch
            }
            if batch.isEmpty {
                let finished = state.withLock { state -> [CheckedContinuation<Void, Never>]? in
                    // Re-check under the lock: a request may have arrived meanwhile.
                    guard state.pending.isEmpty else { return nil }
                    state.draining = false
                    defer { state.drainFinished = [] }
                    return state.drainFinished
                }
                guard let finished else { continue }
                for waiter in finished { waiter.resume() }
                return
            }
            let results = await commit(batch.map(\.request))
            for (index, waiter) in batch.enumerated() {
                if index < results.count {
                    waiter.continuation.resume(with: results[index].mapError { $0 as any Error })
                } else {
                    waiter.continuation.resume(throwing: StoreError(.unavailable, "commit returned too few results"))
                }
            }
        }
    }
}
