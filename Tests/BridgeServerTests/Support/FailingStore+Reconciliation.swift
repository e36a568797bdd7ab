import BridgeCore
import BridgeStore

/// A store that fails every reconciliation read and write like every other.
extension FailingStore {
    func reconciliationEvents(source: String, from: Timestamp, to: Timestamp, eventIDs: [String]) async throws(StoreError) -> [ReconciliationEvent] {
        throw Self.failure
    }
    func erasedEventIDs(source: String, among eventIDs: [String]) async throws(StoreError) -> Set<String> { throw Self.failure }
    func markBackfilled(source: String, eventIDs: [String], runID: String) async throws(StoreError) { throw Self.failure }
    func saveReconciliationRun(_ run: ReconciliationRun) async throws(StoreError) { throw Self.failure }
    func reconciliationRun(id: String) async throws(StoreError) -> ReconciliationRun? { throw Self.failure }
    func reconciliationRuns(source: String?, limit: Int) async throws(StoreError) -> [ReconciliationRun] { throw Self.failure }
    func claimQueuedReconciliation(owner: String, now: Timestamp) async throws(StoreError) -> ReconciliationRun? { throw Self.failure }
    func lastScheduledReconciliation(source: String, completedOnly: Bool) async throws(StoreError) -> ReconciliationRun? { throw Self.failure }
    func failInterruptedReconciliations(ownedBy match: LeaseOwnerMatch, now: Timestamp) async throws(StoreError) -> Int { throw Self.failure }
    func withReconciliationLock<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T? { throw Self.failure }
}
