import BridgeCore
import BridgeStore
import Logging

/// Keeps the leases of one claim alive while its work runs: every
/// `policy.renewEvery` it extends them (`LeaseStore.renewLeases`), and it
/// stops when the work returns. Structured: the renewal task is a child of
/// the caller's task and never outlives the claim (see `LeasePolicy`).
struct LeaseHeartbeat: Sendable {
    let store: any LeaseStore
    let kind: LeaseKind
    let owner: String
    let policy: LeasePolicy
    let logger: Logger
    let now: @Sendable () -> Timestamp

    /// Runs `work` while renewing the leases on `ids`.
    func holding<T: Sendable>(_ ids: [Int64], while work: () async -> T) async -> T {
        guard !ids.isEmpty else { return await work() }
        return await withTaskGroup(of: Void.self, returning: T.self) { group in
            group.addTask { await self.renew(ids) }
            let result = await work()
            group.cancelAll()
            return result
        }
    }

    /// Renews until cancelled; a renewal that finds fewer leases than it
    /// holds means another worker took some over (this one was too slow to
    /// renew): logged, since that worker will now also send them.
    private func renew(_ ids: [Int64]) async {
        while !Task.isCancelled {
            do { try await Task.sleep(for: policy.renewEvery) } catch { return }
            do {
                let held = try await store.renewLeases(kind, ids: ids, owner: owner, until: policy.leaseUntil(from: now()))
                if held < ids.count {
                    logger.warning(
                        "leases lost to another worker", metadata: ["lease.kind": "\(kind.rawValue)", "lease.held": "\(held)", "lease.claimed": "\(ids.count)"])
                }
            } catch {
                logger.warning("lease renewal failed", metadata: ["lease.kind": "\(kind.rawValue)", "error": "\(error)"])
            }
        }
    }
}
