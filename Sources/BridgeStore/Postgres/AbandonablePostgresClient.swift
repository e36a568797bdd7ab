import Logging
import PostgresNIO

/// The store's way to the connection pool: `PostgresClient`'s `query`,
/// `withTransaction` and `withConnection`, each run as an `AbandonableCall`,
/// so that a caller whose task is cancelled (ingest at its deadline, a
/// worker at shutdown) stops waiting at once, even for a query whose answer
/// the driver lost (see `AbandonableCall`). Without it, one such query kept
/// a delivery worker, and with it `serve`, from ever returning after SIGTERM.
///
/// An abandoned transaction is left to the driver: it commits, rolls back or
/// dies with its connection; the caller reports the store unavailable.
struct AbandonablePostgresClient: Sendable {
    /// The pool itself: run by `PostgresPoolRunner`.
    let pool: PostgresClient

    /// Runs `query` on a pooled connection (`PostgresClient.query`). Rows
    /// that arrive after the wait was abandoned are read and dropped: the
    /// connection stays leased until its row stream is consumed.
    func query(_ query: PostgresQuery, logger: Logger) async throws -> PostgresRowSequence {
        let pool = self.pool
        return try await AbandonableCall.run(discard: { rows in _ = try? await rows.collect() }) {
            try await pool.query(query, logger: logger)
        }
    }

    /// Runs `body` in a transaction on a pooled connection (`PostgresClient.withTransaction`).
    func withTransaction<Result: Sendable>(
        logger: Logger, _ body: @escaping @Sendable (PostgresConnection) async throws -> Result
    ) async throws -> Result {
        let pool = self.pool
        return try await AbandonableCall.run { try await pool.withTransaction(logger: logger) { try await body($0) } }
    }

    /// Runs `body` with a pooled connection (`PostgresClient.withConnection`).
    func withConnection<Result: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> Result) async throws -> Result {
        let pool = self.pool
        return try await AbandonableCall.run { try await pool.withConnection { try await body($0) } }
    }
}
