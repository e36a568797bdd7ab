/// Bounds how long a caller waits for the store. A PostgreSQL that is
/// restarting or unreachable does not fail a query: the connection pool
/// keeps the request waiting for a connection. A webhook sender gives up
/// after a few seconds (Shopify after 5) and learns nothing; an answer of
/// `unavailable` in time becomes `503` with `Retry-After`.
public enum StoreDeadline {
    /// Runs `operation`, or gives up after `limit` with `StoreError.unavailable`.
    ///
    /// The operation is cancelled when the limit passes; one that had
    /// already committed is reported as unavailable all the same, and the
    /// sender's retry is then answered as a duplicate: never a loss.
    public static func run<T: Sendable>(
        within limit: Duration, _ operation: @escaping @Sendable () async throws(StoreError) -> T
    ) async throws(StoreError) -> T {
        do {
            return try await withThrowingTaskGroup(of: T?.self) { group in
                group.addTask { try await operation() }
                group.addTask {
                    try await Task.sleep(for: limit)
                    return nil
                }
                defer { group.cancelAll() }
                guard let first = try await group.next(), let value = first else {
                    throw StoreError(.unavailable, "the store did not answer within \(limit.components.seconds) s")
                }
                return value
            }
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError(.unavailable, "the wait for the store was cancelled")
        }
    }
}
