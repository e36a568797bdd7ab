import BridgeCore
import BridgeStore

/// A store that fails every platform-feedback read and write like every other.
extension FailingStore {
    func recordDiagnostics(_ entries: [DiagnosticEntry]) async throws(StoreError) { throw Self.failure }
    func diagnosticTallies(since: Timestamp, until: Timestamp, destination: String?) async throws(StoreError) -> [DiagnosticTally] { throw Self.failure }
    func awaitConfirmation(_ request: NewConfirmation) async throws(StoreError) { throw Self.failure }
    func claimConfirmations(limit: Int, owner: String, leaseUntil: Timestamp, now: Timestamp) async throws(StoreError) -> [PendingConfirmation] {
        throw Self.failure
    }
    func resolveConfirmation(id: Int64, _ resolution: ConfirmationResolution, owner: String, now: Timestamp) async throws(StoreError) -> Bool {
        throw Self.failure
    }
    func rejectedRequests(destination: String?, limit: Int) async throws(StoreError) -> [RejectedRequest] { throw Self.failure }
    func replayRejectedRequests(ids: [Int64]?, destination: String?, now: Timestamp) async throws(StoreError) -> Int { throw Self.failure }
    func confirmationCounts(since: Timestamp, until: Timestamp, destination: String?) async throws(StoreError) -> [String: ConfirmationCounts] {
        throw Self.failure
    }
    func recordPlatformScores(_ scores: [PlatformScore]) async throws(StoreError) { throw Self.failure }
    func platformScores(sinceDay: String, untilDay: String, destination: String?) async throws(StoreError) -> [PlatformScore] { throw Self.failure }
}
