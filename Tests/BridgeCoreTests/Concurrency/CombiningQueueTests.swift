import BridgeCore
import Synchronization
import Testing

@Suite("Combining queue")
struct CombiningQueueTests {
    struct Refused: Error, Equatable {
        var reason: String
    }

    /// Records the batches performed and how many ran at once.
    final class Recorder: Sendable {
        private let state = Mutex<(batches: [[Int]], running: Int, mostRunning: Int)>(([], 0, 0))

        func perform(_ batch: [Int]) async -> [Result<Int, Refused>] {
            state.withLock {
                $0.running += 1
                $0.mostRunning = max($0.mostRunning, $0.running)
                $0.batches.append(batch)
            }
            try? await Task.sleep(for: .milliseconds(20))
            state.withLock { $0.running -= 1 }
            return batch.map { $0 % 7 == 0 ? .failure(Refused(reason: "multiple of 7: \($0)")) : .success($0 * 10) }
        }

        var batches: [[Int]] { state.withLock { $0.batches } }
        var mostRunning: Int { state.withLock { $0.mostRunning } }
    }

    static func queue(maxBatch: Int = 1024) -> CombiningQueue<Int, Int, Refused> {
        CombiningQueue(maxBatch: maxBatch, closedFailure: { Refused(reason: "closed") }, shortResult: { Refused(reason: "short") })
    }

    @Test("concurrent callers share batches, one at a time, and each gets its own result")
    func combines() async throws {
        let queue = Self.queue()
        let recorder = Recorder()
        let results = await withTaskGroup(of: (Int, Result<Int, Refused>).self) { group in
            for value in 1...60 {
                group.addTask {
                    do throws(Refused) {
                        return (value, .success(try await queue.submit(value) { await recorder.perform($0) }))
                    } catch {
                        return (value, .failure(error))
                    }
                }
            }
            var results: [Int: Result<Int, Refused>] = [:]
            for await (value, result) in group { results[value] = result }
            return results
        }
        for value in 1...60 {
            let expected: Result<Int, Refused> = value % 7 == 0 ? .failure(Refused(reason: "multiple of 7: \(value)")) : .success(value * 10)
            #expect(results[value] == expected)
        }
        #expect(recorder.mostRunning == 1)
        #expect(recorder.batches.flatMap { $0 }.sorted() == Array(1...60))
        #expect(recorder.batches.count < 60, "callers that queued during a batch share the next one")
    }

    @Test("a batch never exceeds maxBatch, and the oldest waiting request leads the next")
    func bounded() async throws {
        let queue = Self.queue(maxBatch: 4)
        let recorder = Recorder()
        await withTaskGroup(of: Void.self) { group in
            for value in 1...30 {
                group.addTask { _ = try? await queue.submit(value) { await recorder.perform($0) } }
            }
        }
        #expect(recorder.batches.allSatisfy { $0.count <= 4 })
        #expect(recorder.batches.flatMap { $0 }.sorted() == Array(1...30))
    }

    @Test("a missing result fails its request; after close nothing is accepted")
    func shortAndClosed() async throws {
        let queue = Self.queue()
        await #expect(throws: Refused(reason: "short")) { try await queue.submit(1) { _ in [] } }
        #expect(try await queue.submit(2) { batch in batch.map { .success($0 + 1) } } == 3)
        await queue.close()
        await #expect(throws: Refused(reason: "closed")) { try await queue.submit(3) { batch in batch.map { .success($0) } } }
    }
}
