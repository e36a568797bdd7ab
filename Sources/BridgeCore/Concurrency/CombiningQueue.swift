import Synchronization

/// Lets many concurrent callers share one expensive operation (a durable
/// commit, an fsync'd append) without a task of its own.
///
/// Callers queue their requests; one of them at a time is the *leader*: it
/// takes everything queued so far (up to `maxBatch`, its own request first),
/// performs the operation once for all of them, hands every other caller its
/// result, then passes the leadership to the oldest caller still waiting, if
/// any, and returns its own result. The work runs in the callers' own tasks
/// (structured concurrency: nothing is spawned, nothing outlives its caller),
/// a leader performs exactly one batch, so no caller waits longer than the
/// batches queued ahead of it, and under load batches grow by themselves.
///
/// Each caller passes the operation with its request (the same one, in
/// practice: the leader performs its own); it receives the batch and returns
/// one result per request, in order; a missing result fails its request with
/// `shortResult`.
public final class CombiningQueue<Request: Sendable, Response: Sendable, Failure: Error>: Sendable {
    public typealias Perform = @Sendable ([Request]) async -> [Result<Response, Failure>]

    private enum Signal: Sendable {
        case lead
        case done(Result<Response, Failure>)
        case closed
    }

    private struct Waiter {
        let id: UInt64
        let request: Request
        let continuation: CheckedContinuation<Signal, Never>
    }

    private struct State {
        var pending: [Waiter] = []
        var leading = false
        var closed = false
        var nextID: UInt64 = 0
        var idle: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())
    private let maxBatch: Int
    private let closedFailure: @Sendable () -> Failure
    private let shortResult: @Sendable () -> Failure

    /// - Parameters:
    ///   - maxBatch: the most requests one batch takes.
    ///   - closedFailure: the failure of a request submitted after `close()`.
    ///   - shortResult: the failure of a request the operation returned no result for.
    public init(
        maxBatch: Int = 1024, closedFailure: @escaping @Sendable () -> Failure, shortResult: @escaping @Sendable () -> Failure
    ) {
        self.maxBatch = max(1, maxBatch)
        self.closedFailure = closedFailure
        self.shortResult = shortResult
    }

    /// Queues `request` and returns its result once the batch holding it was
    /// performed, by this caller (with `perform`) or by another.
    public func submit(_ request: Request, perform: Perform) async throws(Failure) -> Response {
        var ownID: UInt64 = 0
        let signal = await withCheckedContinuation { (continuation: CheckedContinuation<Signal, Never>) in
            let immediate = state.withLock { state -> Signal? in
                if state.closed { return .closed }
                state.nextID &+= 1
                ownID = state.nextID
                state.pending.append(Waiter(id: ownID, request: request, continuation: continuation))
                if state.leading { return nil }
                state.leading = true
                return .lead
            }
            if let immediate { continuation.resume(returning: immediate) }
        }
        switch signal {
        case .closed: throw closedFailure()
        case .done(let result): return try result.get()
        case .lead: return try await lead(ownID: ownID, perform: perform).get()
        }
    }

    /// Refuses new requests and returns once every queued one was performed.
    public func close() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let idle = state.withLock { state -> Bool in
                state.closed = true
                if !state.leading { return true }
                state.idle.append(continuation)
                return false
            }
            if idle { continuation.resume() }
        }
    }

    /// Performs one batch (holding `ownID`, the oldest waiting request), then
    /// hands the leadership on.
    private func lead(ownID: UInt64, perform: Perform) async -> Result<Response, Failure> {
        let batch: [Waiter] = state.withLock { state in
            let take = min(state.pending.count, maxBatch)
            defer { state.pending.removeFirst(take) }
            return Array(state.pending.prefix(take))
        }
        let results = await perform(batch.map(\.request))
        var own: Result<Response, Failure> = .failure(shortResult())
        for (index, waiter) in batch.enumerated() {
            let result = index < results.count ? results[index] : .failure(shortResult())
            if waiter.id == ownID { own = result } else { waiter.continuation.resume(returning: .done(result)) }
        }
        let (next, idle) = state.withLock { state -> (Waiter?, [CheckedContinuation<Void, Never>]) in
            if let next = state.pending.first { return (next, []) }
            state.leading = false
            defer { state.idle = [] }
            return (nil, state.idle)
        }
        next?.continuation.resume(returning: .lead)
        for waiter in idle { waiter.resume() }
        return own
    }
}
