import BridgeCore
import Synchronization

/// The mutable part of `MockMetaServer`: the script, the standing rules and
/// the recorded requests. A `final class` around a `Mutex` (not an actor)
/// so request handlers take the lock briefly without a hop.
final class MockMetaState: Sendable {
    struct Rule: Sendable {
        var subcode: Int
        var rejects: @Sendable (String) -> Bool
    }

    struct Contents: Sendable {
        var script: [MockMetaBehaviour] = []
        var rules: [Rule] = []
        var received: [MockMetaRequest] = []
        var requestCount = 0
        var acceptedEventIDs: [String] = []
        var acceptedEventCount = 0
        var traceCounter = 0
    }

    let contents = Mutex(Contents())

    /// The next scripted behaviour, or `.accept` when the script is empty.
    func nextBehaviour() -> MockMetaBehaviour {
        contents.withLock { state in state.script.isEmpty ? .accept : state.script.removeFirst() }
    }

    /// The subcode of the first rule rejecting one of `eventIDs`, if any.
    func ruleRejecting(_ eventIDs: [String]) -> Int? {
        let rules = contents.withLock { $0.rules }
        for rule in rules where eventIDs.contains(where: rule.rejects) { return rule.subcode }
        return nil
    }

    /// A fresh `fbtrace_id`.
    func nextTraceID() -> String {
        let n = contents.withLock { state in
            state.traceCounter += 1
            return state.traceCounter
        }
        return "AMockTrace\(n)"
    }

    /// Records an answered request.
    func record(_ request: MockMetaRequest, keep: Bool, acceptedEvents: Int, eventIDs: [String]) {
        contents.withLock { state in
            state.requestCount += 1
            if request.wasAccepted {
                state.acceptedEventCount += acceptedEvents
                if keep { state.acceptedEventIDs += eventIDs }
            }
            if keep { state.received.append(request) }
        }
    }
}
