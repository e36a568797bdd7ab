import BridgeCore
import Testing

@Suite("Bisecting a batch a platform refused whole")
struct BatchBisectionTests {
    let refusal = DeadLetterReason(code: .invalidParameters, message: "Invalid parameter", platformCode: "100")

    @Test("splits in halves, the smaller half first when odd")
    func halves() {
        #expect(BatchBisection.bisect(0..<8)! == (0..<4, 4..<8))
        #expect(BatchBisection.bisect(3..<10)! == (3..<6, 6..<10))
        #expect(BatchBisection.bisect(5..<6) == nil)
    }

    @Test("isolates one bad event among 8, driven step by step")
    func stepByStep() {
        var search = BatchBisection(refusedBatchOf: 8, reason: refusal)
        #expect(search.next == .send(0..<4))
        search.accepted(0..<4)
        #expect(search.next == .send(4..<8))
        search.refused(4..<8, reason: refusal)
        #expect(search.next == .send(4..<6))
        search.refused(4..<6, reason: refusal)
        #expect(search.next == .send(4..<5))
        search.accepted(4..<5)
        #expect(search.next == .send(5..<6))
        search.refused(5..<6, reason: refusal)
        #expect(search.next == .send(6..<8))
        search.accepted(6..<8)
        #expect(search.next == .finished)
        #expect(search.isolated == [IsolatedEvent(index: 5, reason: refusal)])
        #expect(search.delivered == [0..<4, 4..<5, 6..<8])
    }

    @Test("a named suspect: the rest in two requests, then the suspect alone")
    func suspectNamed() {
        let named = DeadLetterReason(code: .invalidParameters, message: "data[5] invalid", platformCode: "40002", suspectIndex: 5)
        var search = BatchBisection(refusedBatchOf: 8, reason: named)
        #expect(search.next == .send(0..<5))
        search.accepted(0..<5)
        #expect(search.next == .send(6..<8))
        search.accepted(6..<8)
        #expect(search.next == .send(5..<6))
        search.refused(5..<6, reason: named)
        #expect(search.next == .finished)
        #expect(search.isolated.map(\.index) == [5])
        #expect(search.delivered == [0..<5, 6..<8])
    }

    @Test("a wrong suspect costs requests, never a good event")
    func wrongSuspect() {
        // The platform names index 1, but event 6 is the bad one.
        let named = DeadLetterReason(code: .invalidParameters, message: "Index: 1", suspectIndex: 1)
        var search = BatchBisection(refusedBatchOf: 8, reason: named)
        var requests = 0
        while case .send(let range) = search.next {
            requests += 1
            if range.contains(6) {
                // The sub-request names its own first element, relative to the range.
                search.refused(range, reason: DeadLetterReason(code: .invalidParameters, message: "x", suspectIndex: 6 - range.lowerBound))
            } else {
                search.accepted(range)
            }
        }
        #expect(search.isolated.map(\.index) == [6])
        #expect(search.delivered.flatMap { Array($0) }.sorted() == [0, 1, 2, 3, 4, 5, 7])
        #expect(requests <= 6)
    }

    @Test("a suspect index outside the batch falls back to halves")
    func suspectOutOfRange() {
        let named = DeadLetterReason(code: .invalidParameters, message: "x", suspectIndex: 42)
        let search = BatchBisection(refusedBatchOf: 8, reason: named)
        #expect(search.next == .send(0..<4))
    }

    @Test(
        "finds every bad event within 2·k·⌈log₂ n⌉ requests",
        arguments: [
            (8, [5]), (1000, [0]), (1000, [999]), (1000, [417]), (1000, [3, 500, 501]), (7, [0, 1, 2, 3, 4, 5, 6]), (2, [1]),
        ])
    func findsAllBadEvents(count: Int, bad: [Int]) {
        var search = BatchBisection(refusedBatchOf: count, reason: refusal)
        var requests = 0
        while case .send(let range) = search.next {
            requests += 1
            if range.contains(where: bad.contains) { search.refused(range, reason: refusal) } else { search.accepted(range) }
        }
        #expect(search.isolated.map(\.index).sorted() == bad)
        let delivered = search.delivered.flatMap { Array($0) }.sorted()
        #expect(delivered == (0..<count).filter { !bad.contains($0) })
        #expect(requests <= 2 * bad.count * log2ceil(count))
    }

    @Test("one bad event among 1,000 costs 20 requests")
    func thousand() {
        var search = BatchBisection(refusedBatchOf: 1000, reason: refusal)
        var requests = 0
        while case .send(let range) = search.next {
            requests += 1
            if range.contains(417) { search.refused(range, reason: refusal) } else { search.accepted(range) }
        }
        #expect(requests <= 20)
        #expect(search.isolated.map(\.index) == [417])
    }

    @Test("a batch of one is isolated at once")
    func single() {
        let search = BatchBisection(refusedBatchOf: 1, reason: refusal)
        #expect(search.next == .finished)
        #expect(search.isolated == [IsolatedEvent(index: 0, reason: refusal)])
    }

    @Test("a transient answer abandons the search and hands back the rest in order")
    func abandon() {
        var search = BatchBisection(refusedBatchOf: 8, reason: refusal)
        search.accepted(0..<4)
        search.refused(4..<8, reason: refusal)
        #expect(search.abandon() == [4..<6, 6..<8])
        #expect(search.next == .finished)
    }

    @Test("reports for a range other than the next one are ignored")
    func outOfOrderReport() {
        var search = BatchBisection(refusedBatchOf: 4, reason: refusal)
        search.accepted(2..<4)
        #expect(search.next == .send(0..<2))
    }

    private func log2ceil(_ n: Int) -> Int {
        var depth = 0
        while (1 << depth) < n { depth += 1 }
        return depth
    }
}
