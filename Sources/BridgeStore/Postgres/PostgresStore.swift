import BridgeCore
import Foundation
import Logging
import PostgresNIO
import Synchronization

/// The shared outbox: several stateless bridge instances use one PostgreSQL
/// database. Same contract and outcomes as `SQLiteStore`:
///
/// - ingest goes through the group commit: many concurrent requests share one
///   transaction, each in its own savepoint, and `ingest` returns only after
///   `COMMIT` returned (durable: the store refuses a server with
///   `synchronous_commit` or `fsync` off). Dedupe holds across instances
///   because it rests on unique keys (`ON CONFLICT DO NOTHING RETURNING`),
///   not on reads.
/// - claims lock with `FOR UPDATE SKIP LOCKED` and lease the rows to an owner
///   until a time, so two instances never claim the same rows and a dead
///   instance's claims return to the queue when the lease runs out; outcomes
///   apply only while the caller still holds the lease.
///
/// Lifecycle: the connection pool runs in the task that calls `run()`
/// (`withRunningStore` runs it beside the caller's work: a one-shot command,
/// or the server's whole service group), and `close()` drains the group
/// commit, then stops the pool and ends `run()`. Always call `close()`.
public final class PostgresStore: EventStore, DeliveryStore {
    /// The connection pool, every call abandonable (`AbandonablePostgresClient`).
    let client: AbandonablePostgresClient
    /// The logger handed to postgres-nio: never below `info`, because its
    /// `trace` output includes the rows it receives.
    let logger: Logger
    private let queue: GroupCommit
    private let pool: PostgresPoolRunner
    /// Set by `close()`: from then on every call fails with `StoreError.closed`.
    private let isClosed = Atomic(false)
    /// The connection settings this store was opened with.
    public let configuration: Configuration

    /// Connects to the database named by `url` (see `Configuration`) and
    /// migrates it.
    /// - Parameter allowInsecure: permits unverified or clear-text
    ///   connections to a host that is not loopback (`store.allow_insecure`).
    /// - Throws: `StoreError` (`misconfigured` for a bad URL, an unknown
    ///   database or a non-durable server; `unavailable` when it cannot be reached).
    public convenience init(url: String, allowInsecure: Bool = false, logger: Logger) async throws(StoreError) {
        try await self.init(configuration: Configuration(url: url, allowInsecure: allowInsecure), logger: logger)
    }

    /// Connects with `configuration`, checks that commits are durable and
    /// applies pending migrations (one connection, so that a wrong address or
    /// password fails at once with the server's own error), then starts the
    /// connection pool.
    public init(configuration: Configuration, logger: Logger) async throws(StoreError) {
        var driverLogger = logger
        if driverLogger.logLevel < .info { driverLogger.logLevel = .info }
        let logger = driverLogger
        self.logger = logger
        self.configuration = configuration
        if let schema = configuration.schema, !Configuration.isPlainIdentifier(schema) {
            throw StoreError(.misconfigured, "schema must be a lowercase SQL identifier ([a-z_][a-z0-9_]*, at most 63 characters)")
        }
        do {
            let connection = try await PostgresConnection.connect(
                configuration: try configuration.connectionConfiguration(), id: 0, logger: logger)
            do {
                try await PostgresStore.checkDurability(connection, logger: logger)
                let applied = try await PostgresMigrations.migrate(connection, schema: configuration.schema, logger: logger)
                if !applied.isEmpty {
                    logger.info("store migrated", metadata: ["store.migrations": "\(applied.joined(separator: ","))"])
                }
                try? await connection.close()
            } catch {
                try? await connection.close()
                throw error
            }
        } catch {
            throw StoreError.postgres(error)
        }
        let client = PostgresClient(configuration: configuration.clientConfiguration(), backgroundLogger: logger)
        self.client = AbandonablePostgresClient(pool: client)
        self.pool = PostgresPoolRunner(client: client)
        self.queue = .groupCommit()
    }

    /// Refuses a server that may acknowledge a commit before it is on disk.
    static func checkDurability(_ connection: PostgresConnection, logger: Logger) async throws {
        let rows = try await connection.query(
            "SELECT current_setting('synchronous_commit'), current_setting('fsync')", logger: logger
        ).collect()
        guard let row = rows.first else { throw StoreError(.misconfigured, "the server did not report its durability settings") }
        let (synchronousCommit, fsync) = try row.decode((String, String).self)
        guard synchronousCommit != "off", fsync != "off" else {
            throw StoreError(
                .misconfigured,
                "expected synchronous_commit and fsync on, got synchronous_commit=\(synchronousCommit) and fsync=\(fsync)")
        }
    }

    public func ingest(_ request: IngestRequest) async throws(StoreError) -> IngestResult {
        try await queue.submit(request) { [client, logger] requests in
            await PostgresStore.commit(requests, client: client, logger: logger)
        }
    }

    /// Succeeds when the database answers `SELECT 1` within five seconds.
    public func checkReachable() async throws(StoreError) {
        let client = self.client
        let logger = self.logger
        do {
            try await withThrowingTaskGroup(of: Bool.self) { group in
                group.addTask {
                    _ = try await client.query("SELECT 1", logger: logger).collect()
                    return true
                }
                group.addTask {
                    try await Task.sleep(for: .seconds(5))
                    return false
                }
                let answered = try await group.next() ?? false
                group.cancelAll()
                guard answered else { throw StoreError(.unavailable, "PostgreSQL did not answer within 5 s") }
            }
        } catch {
            throw storeError(error)
        }
    }

    /// Runs the connection pool until `close()`: call it in a task of its
    /// own (`withRunningStore`) before the first query.
    public func run() async {
        await pool.run()
    }

    /// Returns once `run()` has started.
    public func waitUntilRunning() async {
        await pool.waitUntilRunning()
    }

    /// Drains the group commit, then stops the pool (and `run()`). Safe to call twice.
    public func close() async {
        isClosed.store(true, ordering: .relaxed)
        await queue.close()
        await pool.stop()
    }

    public func countEvents() async throws(StoreError) -> [String: Int] {
        do {
            var counts: [String: Int] = [:]
            let rows = try await client.query("SELECT source, COUNT(*) FROM events GROUP BY source", logger: logger)
            for try await (source, count) in rows.decode((String, Int).self) {
                counts[source] = count
            }
            return counts
        } catch {
            throw storeError(error)
        }
    }

    public func storedEvents(source: String?, limit: Int) async throws(StoreError) -> [StoredEvent] {
        do {
            let query: PostgresQuery
            if let source {
                query = "SELECT \(unescaped: Self.eventColumns) FROM events WHERE source = \(source) ORDER BY sequence LIMIT \(Self.sqlLimit(limit))"
            } else {
                query = "SELECT \(unescaped: Self.eventColumns) FROM events ORDER BY sequence LIMIT \(Self.sqlLimit(limit))"
            }
            return try await client.query(query, logger: logger).collect().map(Self.storedEvent(from:))
        } catch {
            throw storeError(error)
        }
    }

    /// `error` as a `StoreError`; `closed` once the store is closed, whatever
    /// the driver reported (a query cut short, a pool shut down).
    func storeError(_ error: any Error) -> StoreError {
        isClosed.load(ordering: .relaxed) ? StoreError(.closed, "the store is closed") : StoreError.postgres(error)
    }

    /// A `LIMIT` value with SQLite's meaning: a negative limit is no limit
    /// (`LIMIT NULL` in PostgreSQL, which refuses negative ones).
    static func sqlLimit(_ limit: Int) -> Int? {
        limit < 0 ? nil : limit
    }

    /// The columns `storedEvent(from:)` reads, in its order.
    static let eventColumns = "sequence, source, event_id, event_name, event_time_ms, received_at_ms, is_test, body, sealed, trace_parent"

    static func storedEvent(from row: PostgresRow) throws -> StoredEvent {
        let (sequence, source, eventID, eventName, eventTime, receivedAt, isTest, body, sealed, traceParent) = try row.decode(
            (Int64, String, String, String, Int64, Int64, Bool, Data, Data?, String?).self)
        return StoredEvent(
            sequence: sequence, source: source, eventID: eventID, eventName: eventName,
            eventTime: Timestamp(millisecondsSinceEpoch: eventTime), receivedAt: Timestamp(millisecondsSinceEpoch: receivedAt),
            isTest: isTest, body: Array(body), sealed: sealed.map { Array($0) }, traceParent: traceParent.flatMap(TraceParent.init(header:)))
    }
}

extension PostgresConnection {
    /// Runs a statement whose rows, if any, are not needed.
    func run(_ query: PostgresQuery, logger: Logger) async throws {
        _ = try await self.query(query, logger: logger).collect()
    }
}
