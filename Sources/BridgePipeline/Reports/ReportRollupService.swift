import BridgeStore
import Logging
import ServiceLifecycle

/// Folds the report rollup's delta rows into their hourly cells
/// (`ReportRollupStore.compactReportRollups`) every `interval`, batch after
/// batch until none is left. Reports are exact without it (they read the
/// deltas not folded yet); it keeps them fast. On PostgreSQL every instance
/// runs one, and one at a time compacts.
public struct ReportRollupService: Service {
    let store: any ReportRollupStore
    let interval: Duration
    let batch: Int
    let logger: Logger

    /// - Parameter batch: deltas folded per transaction. Each batch holds
    ///   SQLite's one writer while it runs, so batches are kept small (a few
    ///   tens of milliseconds) and ingest's commits get in between them.
    public init(store: any ReportRollupStore, interval: Duration = .seconds(2), batch: Int = 5_000, logger: Logger) {
        self.store = store
        self.interval = interval
        self.batch = batch
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            do {
                try await compact()
            } catch {
                logger.warning("report rollup compaction failed", metadata: ["error": "\(error)"])
            }
            var slept = Duration.zero
            while slept < interval, !Task.isShuttingDownGracefully, !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(200))
                slept += .milliseconds(200)
            }
        }
    }

    /// Folds batches until one comes back short; returns how many deltas it folded.
    @discardableResult
    public func compact() async throws(StoreError) -> Int {
        var total = 0
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            let folded = try await store.compactReportRollups(limit: batch)
            total += folded
            if folded < batch { break }
        }
        return total
    }
}
