/// Bounds how long a caller waits for the store. A PostgreSQL that is
/// restarting or unreachable does not fail a query: the connection pool
/// keeps the request waiting for a connection, and a query sent on a
/// connection the server just closed may never be answered at all. A
/// webhook sender gives up after a few seconds (Shopify after 5) and learns
/// nothing; an answer of `unavailable` in time becomes `503` with
/// `Retry-After`.
public enum StoreDeadline {
    /// Runs `operation`, or gives up after `limit` with `StoreError.unavailable`.
    ///
    /// The answer comes at the limit whatever the operation does: it runs in
    /// a task of its own (`AbandonableCall`), cancelled when the limit
    /// passes, and is not waited for. An operation that commits after the
    /// limit is reported as unavailable all the same; the sender retries with
    /// the same id and is answered as a duplicate: never a loss, and never an
    /// acknowledgement after the 503.
    public static func run<T: Sendable>(
        within limit: Duration, _ operation: @escaping @Sendable () async throws(StoreError) -> T
    ) async throws(StoreError) -> T {
        do {
            return try await AbandonableCall.run(within: limit) { try await operation() }
        } catch let error as StoreError {
            throw error
        } catch AbandonableCall.Abandoned.deadline {
            throw StoreError(.unavailable, "the store did not answer within \(limit.components.seconds) s")
        } catch {
            throw StoreError(.unavailable, "the wait for the store was cancelled")
        }
    }
}
