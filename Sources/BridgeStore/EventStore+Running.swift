extension EventStore {
    /// Nothing runs in the background by default.
    public func run() async {}

    /// Nothing to wait for by default.
    public func waitUntilRunning() async {}
}

/// Runs `body` (which uses `store`) with the store's background work
/// (`run()`) in a child task beside it, then closes the store, whether `body`
/// returned or threw.
///
/// This is how every process uses a store: one-shot commands around their
/// work, `serve` around its whole service group, so that the connection pool
/// outlives every service and stops only when the store closes.
public func withRunningStore<Result>(_ store: any EventStore, _ body: () async throws -> Result) async throws -> Result {
    try await withThrowingTaskGroup(of: Void.self, returning: Result.self) { group in
        group.addTask { await store.run() }
        await store.waitUntilRunning()
        let result: Result
        do {
            result = try await body()
        } catch {
            await store.close()
            throw error
        }
        await store.close()
        return result
    }
}
