import BridgeCore

/// The reconciliations' view of the store: the bridge's side of the
/// three-way comparison (purchase events with each destination's outcome),
/// the marks a backfill leaves, and the runs themselves, so the CLI, the
/// admin API, the schedule and the console read the same records.
public protocol ReconciliationStore: Sendable {
    /// The purchase events of `source` that happened in `[from, to)` or
    /// whose event id is one of `eventIDs`, each with its deliveries (no
    /// personal data: ids, times, values, states and reason codes).
    func reconciliationEvents(source: String, from: Timestamp, to: Timestamp, eventIDs: [String]) async throws(StoreError) -> [ReconciliationEvent]

    /// Of `eventIDs`, those the bridge held and erased (at a buyer's
    /// request): a reconciliation counts them as expected and a backfill
    /// never stores them again.
    func erasedEventIDs(source: String, among eventIDs: [String]) async throws(StoreError) -> Set<String>

    /// Marks events of `source` as stored by the backfill of run `runID`
    /// (`events.backfill_run`).
    func markBackfilled(source: String, eventIDs: [String], runID: String) async throws(StoreError)

    /// Inserts `run`, or replaces the stored run with its id.
    func saveReconciliationRun(_ run: ReconciliationRun) async throws(StoreError)

    /// The run with `id`, with its report; `nil` when there is none.
    func reconciliationRun(id: String) async throws(StoreError) -> ReconciliationRun?

    /// Runs, newest first, without their reports; only `source`'s when given.
    func reconciliationRuns(source: String?, limit: Int) async throws(StoreError) -> [ReconciliationRun]

    /// Takes the oldest queued run for `owner` (now `running`); `nil` when
    /// none is queued. Two instances never take the same run.
    func claimQueuedReconciliation(owner: String, now: Timestamp) async throws(StoreError) -> ReconciliationRun?

    /// The newest scheduled run of `source`, without its report: with
    /// `completedOnly` the newest completed one (its `alertSince` says whether
    /// the reconciliation alert is active), else the newest not failed (its
    /// slot says whether the latest slot ran or is running).
    func lastScheduledReconciliation(source: String, completedOnly: Bool) async throws(StoreError) -> ReconciliationRun?

    /// Marks the runs still `running` under an owner `match` selects (a
    /// previous incarnation of this process) as failed; returns how many.
    func failInterruptedReconciliations(ownedBy match: LeaseOwnerMatch, now: Timestamp) async throws(StoreError) -> Int

    /// Runs `body` while holding the store-wide reconciliation lock, so that
    /// of several instances sharing the database one runs the schedule;
    /// returns `nil` at once, without running it, when another holds the
    /// lock. PostgreSQL: a session advisory lock (`pg_try_advisory_lock`);
    /// SQLite: one `serve` per file (the serve lock), so `body` just runs.
    func withReconciliationLock<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T?
}
