import PostgresNIO
import Synchronization

/// Runs a store's PostgreSQL connection pool in the task that calls `run()`
/// (structured: no detached or fire-and-forget task), until `stop()` or the
/// task's cancellation.
///
/// The caller owns that task: `capi-bridge` runs it beside the command or
/// the server's service group (`withRunningStore`), never inside the group,
/// so that SIGTERM stops the listeners and workers first and the pool only
/// when the store closes, after the group commit has drained.
final class PostgresPoolRunner: Sendable {
    private struct State {
        var running = false
        var finished = false
        var stopRequested = false
        var stopWaiter: CheckedContinuation<Void, Never>?
        var runningWaiters: [CheckedContinuation<Void, Never>] = []
        var finishedWaiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())
    let client: PostgresClient

    init(client: PostgresClient) {
        self.client = client
    }

    /// Runs the pool until `stop()` or cancellation. A second call, or a
    /// call after `stop()`, returns at once.
    func run() async {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>]? in
            guard !state.running, !state.stopRequested else { return nil }
            state.running = true
            defer { state.runningWaiters = [] }
            return state.runningWaiters
        }
        guard let waiters else { return }
        for waiter in waiters { waiter.resume() }
        await withDiscardingTaskGroup { group in
            group.addTask { await self.client.run() }
            await waitForStop()
            group.cancelAll()
        }
        let finished = state.withLock { state in
            state.finished = true
            defer { state.finishedWaiters = [] }
            return state.finishedWaiters
        }
        for waiter in finished { waiter.resume() }
    }

    /// Returns once `run()` has started (or `stop()` was called), so that no
    /// query waits for a pool nobody runs.
    func waitUntilRunning() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let now = state.withLock { state -> Bool in
                if state.running || state.stopRequested { return true }
                state.runningWaiters.append(continuation)
                return false
            }
            if now { continuation.resume() }
        }
    }

    /// Ends `run()` and waits until it has returned (at once when it never ran).
    func stop() async {
        let (stopWaiter, runningWaiters, mustWait) = state.withLock { state in
            state.stopRequested = true
            defer {
                state.stopWaiter = nil
                state.runningWaiters = []
            }
            return (state.stopWaiter, state.runningWaiters, state.running && !state.finished)
        }
        stopWaiter?.resume()
        for waiter in runningWaiters { waiter.resume() }
        guard mustWait else { return }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = state.withLock { state -> Bool in
                if state.finished { return true }
                state.finishedWaiters.append(continuation)
                return false
            }
            if done { continuation.resume() }
        }
    }

    /// Suspends until `stop()` is called or the task is cancelled.
    private func waitForStop() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let now = state.withLock { state -> Bool in
                    if state.stopRequested || Task.isCancelled { return true }
                    state.stopWaiter = continuation
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { state in
                defer { state.stopWaiter = nil }
                return state.stopWaiter
            }
            waiter?.resume()
        }
    }
}
