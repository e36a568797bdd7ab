import BridgeCore
import Synchronization

/// The mutable part of `MockPlatformServer`: script, rules, issued tokens
/// and what was received, behind one lock.
final class MockPlatformState: Sendable {
    struct Contents: Sendable {
        var script: [MockPlatformBehaviour] = []
        var rejects: [@Sendable (String) -> Bool] = []
        var exchanges: [MockExchange] = []
        var requestCount = 0
        var acceptedEventIDs: [String] = []
        var acceptedEventCount = 0
        var issuedTokens: Set<String> = []
        var tokenRequests = 0
        var tokenCounter = 0
    }

    let contents = Mutex(Contents())

    func nextBehaviour() -> MockPlatformBehaviour {
        contents.withLock { $0.script.isEmpty ? .accept : $0.script.removeFirst() }
    }

    /// Indices of the events a `rejectEvents` rule refuses.
    func rejectedIndices(_ eventIDs: [String]) -> [Int] {
        let rules = contents.withLock { $0.rejects }
        guard !rules.isEmpty else { return [] }
        return eventIDs.indices.filter { index in rules.contains { $0(eventIDs[index]) } }
    }

    /// A new token, remembered as valid.
    func issueToken() -> String {
        contents.withLock { state in
            state.tokenCounter += 1
            state.tokenRequests += 1
            let token = "mock-access-token-\(state.tokenCounter)"
            state.issuedTokens.insert(token)
            return token
        }
    }

    func record(_ exchange: MockExchange, keep: Bool, acceptedIDs: [String]) {
        contents.withLock { state in
            state.requestCount += 1
            state.acceptedEventCount += acceptedIDs.count
            if keep {
                state.acceptedEventIDs += acceptedIDs
                state.exchanges.append(exchange)
            }
        }
    }
}
