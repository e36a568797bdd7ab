import BridgeStore
import Synchronization
import Testing

/// An operation that never finishes on its own and ignores cancellation, as
/// a PostgreSQL query whose answer the driver lost: it returns only when the
/// test opens the gate (so nothing is left suspended after the test).
final class StuckOperation: Sendable {
    private struct State {
        var open = false
        var waiters: [CheckedContinuation<Void, Never>] = []
        var started = 0
        var finished = 0
    }

    private let state = Mutex(State())

    /// Waits until `open()`, whatever happens to the calling task; returns `value`.
    func run<T: Sendable>(returning value: T) async -> T {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let open = state.withLock { state -> Bool in
                state.started += 1
                if state.open { return true }
                state.waiters.append(continuation)
                return false
            }
            if open { continuation.resume() }
        }
        state.withLock { $0.finished += 1 }
        return value
    }

    var started: Int { state.withLock { $0.started } }
    var finished: Int { state.withLock { $0.finished } }

    /// Lets every waiting and future call return.
    func open() {
        let waiters = state.withLock { state in
            state.open = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Waits until `count` calls have started.
    func waitUntilStarted(_ count: Int = 1) async {
        while started < count { await Task.yield() }
    }
}

@Suite("Abandonable calls and the store deadline", .timeLimit(.minutes(1)))
struct AbandonableCallTests {
    @Test("an operation's result is returned when it comes first")
    func result() async throws {
        let value = try await AbandonableCall.run(within: .seconds(60)) { 42 }
        #expect(value == 42)
    }

    @Test("an operation's own error is thrown unchanged")
    func ownError() async {
        await #expect(throws: StoreError(.misconfigured, "no")) {
            try await AbandonableCall.run { () async throws -> Int in throw StoreError(.misconfigured, "no") }
        }
    }

    @Test("a stuck operation that ignores cancellation is abandoned at the deadline; its late result goes to discard")
    func deadline() async throws {
        let stuck = StuckOperation()
        let discarded = Mutex<[Int]>([])
        await #expect(throws: AbandonableCall.Abandoned.deadline) {
            try await AbandonableCall.run(within: .milliseconds(50), discard: { value in discarded.withLock { $0.append(value) } }) {
                await stuck.run(returning: 7)
            }
        }
        // The call returned while the operation was still suspended.
        #expect(stuck.finished == 0)
        stuck.open()
        while discarded.withLock({ $0.isEmpty }) { await Task.yield() }
        #expect(discarded.withLock { $0 } == [7])
    }

    @Test("a result that comes in time is returned, not discarded")
    func notDiscarded() async throws {
        let discarded = Mutex<[Int]>([])
        let value = try await AbandonableCall.run(within: .seconds(60), discard: { value in discarded.withLock { $0.append(value) } }) { 3 }
        #expect(value == 3)
        #expect(discarded.withLock { $0 }.isEmpty)
    }

    @Test("a stuck operation is abandoned when the waiting task is cancelled")
    func cancelled() async throws {
        let stuck = StuckOperation()
        let waiting = Task { try await AbandonableCall.run { await stuck.run(returning: 1) } }
        await stuck.waitUntilStarted()
        waiting.cancel()
        await #expect(throws: AbandonableCall.Abandoned.cancelled) { try await waiting.value }
        #expect(stuck.finished == 0)
        stuck.open()
    }

    @Test("a task cancelled before the call does not start the operation")
    func cancelledBefore() async throws {
        let stuck = StuckOperation()
        let waiting = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await AbandonableCall.run { await stuck.run(returning: 1) }
        }
        await #expect(throws: AbandonableCall.Abandoned.cancelled) { try await waiting.value }
        #expect(stuck.started == 0)
    }

    @Test("the store deadline answers unavailable at the limit although the store call ignores cancellation")
    func storeDeadline() async throws {
        let stuck = StuckOperation()
        do {
            _ = try await StoreDeadline.run(within: .milliseconds(50)) { () async throws(StoreError) -> Int in await stuck.run(returning: 1) }
            Issue.record("expected StoreError.unavailable")
        } catch {
            #expect(error.code == .unavailable)
            #expect(error.detail.contains("did not answer"))
        }
        #expect(stuck.finished == 0)
        stuck.open()
    }
}
