import Synchronization

/// Waits for an operation that may never finish, without being held by it:
/// the wait ends with the operation's result, at a deadline, or when the
/// waiting task is cancelled, whichever comes first.
///
/// Why: postgres-nio 1.33 can lose a query's answer. A query written on a
/// pooled connection the server has just closed goes out with no write
/// promise, so its failure is dropped and the query's own promise is never
/// completed: the awaiting task is suspended forever and ignores
/// cancellation. Seen in the reliability harness (scenario 6): ingest
/// answered only after the load generator's 10 s, and `serve` did not exit
/// on SIGTERM because a delivery worker waited on such a query.
///
/// The operation runs in a task of its own, unstructured on purpose: it is
/// the only way to stop waiting for work that cannot be interrupted. That
/// task is cancelled as soon as the wait is abandoned, so an operation that
/// honours cancellation (a wait for a pooled connection) ends at once; one
/// whose answer was lost stays suspended, holding only its memory. Its
/// result, should it come after all, is dropped: callers treat an abandoned
/// write as "maybe applied" (ingest answers 503; the sender's retry with the
/// same id is a duplicate).
public enum AbandonableCall {
    /// Why the wait ended before the operation did.
    public enum Abandoned: Error, Equatable, Sendable {
        /// `limit` passed.
        case deadline
        /// The waiting task was cancelled.
        case cancelled
    }

    /// Runs `operation` and returns its result, or throws `Abandoned` when
    /// `limit` (if any) passes or the calling task is cancelled first.
    /// - Parameter discard: receives a result that came after the wait was
    ///   abandoned (to release what it holds, e.g. drain a row stream that
    ///   keeps its pooled connection leased).
    public static func run<T: Sendable>(
        within limit: Duration? = nil, discard: (@Sendable (T) async -> Void)? = nil,
        _ operation: @escaping @Sendable () async throws -> T
    ) async throws -> T {
        guard !Task.isCancelled else { throw Abandoned.cancelled }
        let outcome = CallOutcome<T>()
        let worker = Task {
            do {
                let value = try await operation()
                if !outcome.finish(.success(value)) { await discard?(value) }
            } catch {
                outcome.finish(.failure(error))
            }
        }
        let result = await withTaskCancellationHandler {
            await withTaskGroup(of: Void.self, returning: Result<T, any Error>.self) { group in
                if let limit {
                    group.addTask {
                        guard (try? await Task.sleep(for: limit)) != nil else { return }
                        outcome.finish(.failure(Abandoned.deadline))
                    }
                }
                let result = await outcome.value()
                group.cancelAll()
                return result
            }
        } onCancel: {
            outcome.finish(.failure(Abandoned.cancelled))
        }
        if case .failure(let error as Abandoned) = result {
            worker.cancel()
            throw error
        }
        return try result.get()
    }
}

/// The first result of a call: the operation's, the deadline's or the
/// cancellation's. Later ones are dropped; the one waiter is resumed once.
final class CallOutcome<T: Sendable>: Sendable {
    private enum State {
        case waiting(CheckedContinuation<Result<T, any Error>, Never>?)
        case finished(Result<T, any Error>)
    }

    private let state = Mutex(State.waiting(nil))

    /// Records `result` unless a result was already recorded (returns
    /// whether it was); resumes the waiter.
    @discardableResult
    func finish(_ result: Result<T, any Error>) -> Bool {
        let waiter = state.withLock { state -> CheckedContinuation<Result<T, any Error>, Never>?? in
            guard case .waiting(let waiter) = state else { return nil }
            state = .finished(result)
            return .some(waiter)
        }
        guard case .some(let waiting) = waiter else { return false }
        waiting?.resume(returning: result)
        return true
    }

    /// The first result, once there is one. One caller only.
    func value() async -> Result<T, any Error> {
        await withCheckedContinuation { (continuation: CheckedContinuation<Result<T, any Error>, Never>) in
            let ready = state.withLock { state -> Result<T, any Error>? in
                switch state {
                case .finished(let result): return result
                case .waiting:
                    state = .waiting(continuation)
                    return nil
                }
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}
