import BridgeCore
import Synchronization

/// The mutable part of `MockPlatformServer`: script, rules, issued tokens
/// and what was received, behind one lock.
final class MockPlatformState: Sendable {
    /// A standing `rejectEvents` rule: which event ids, and what the
    /// platform is told about each.
    struct Rule: Sendable {
        var message: String
        var rejects: @Sendable (String) -> Bool
    }

    struct Contents: Sendable {
        var script: [MockPlatformBehaviour] = []
        var rejects: [Rule] = []
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

    /// The events a `rejectEvents` rule refuses (index → the first
    /// matching rule's message).
    func rejections(_ eventIDs: [String]) -> [Int: String] {
        let rules = contents.withLock { $0.rejects }
        guard !rules.isEmpty else { return [:] }
        var refused: [Int: String] = [:]
        for index in eventIDs.indices {
            if let rule = rules.first(where: { $0.rejects(eventIDs[index]) }) { refused[index] = rule.message }
        }
        return refused
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
