import BridgeCore
import Foundation
import GRDB
import GRDBSQLite

/// The embedded outbox: one SQLite file in WAL mode, written through a group
/// commit so that every acknowledged event is fsync'd (`synchronous = FULL`)
/// while concurrent requests share the cost of each fsync.
public final class SQLiteStore: EventStore, DeliveryStore {
    let pool: DatabasePool
    private let queue: GroupCommit
    public let path: String

    /// Opens (creating when missing) the database at `path` and migrates it.
    /// - Parameter variableLimit: lowers SQLite's limit on values bound to one
    ///   statement on every connection (SQLite builds differ: 999 before
    ///   3.32, 32,766 since, 250,000 in Debian's), so tests can check that
    ///   statements over long lists stay under the smallest.
    /// - Throws: `StoreError` when the file cannot be opened or migrated.
    public init(path: String, variableLimit: Int32? = nil) throws(StoreError) {
        self.path = path
        do {
            let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            var configuration = Configuration()
            configuration.busyMode = .timeout(10)
            configuration.label = "capi-bridge.outbox"
            if let variableLimit {
                configuration.prepareDatabase { db in
                    _ = sqlite3_limit(db.sqliteConnection, SQLITE_LIMIT_VARIABLE_NUMBER, variableLimit)
                }
            }
            let pool = try DatabasePool(path: path, configuration: configuration)
            // DatabasePool puts the writer in synchronous=NORMAL with WAL, which
            // survives a process crash but not a power loss. Acknowledged events
            // must survive both: FULL syncs the WAL on every commit.
            try pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA synchronous = FULL")
                let mode = try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? ""
                let synchronous = try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1
                guard mode.lowercased() == "wal", synchronous == 2 else {
                    throw StoreError(.misconfigured, "expected WAL and synchronous=FULL, got \(mode) and \(synchronous)")
                }
            }
            try SQLiteMigrations.migrator.migrate(pool)
            self.pool = pool
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.wrapping(error)
        }
        self.queue = .groupCommit()
    }

    public func ingest(_ request: IngestRequest) async throws(StoreError) -> IngestResult {
        try await queue.submit(request) { [pool] requests in await SQLiteStore.commit(requests, pool: pool) }
    }

    public func checkReachable() async throws(StoreError) {
        do {
            _ = try await pool.read { db in try Int.fetchOne(db, sql: "SELECT 1") }
        } catch {
            throw StoreError.wrapping(error)
        }
    }

    public func close() async {
        await queue.close()
        try? pool.close()
    }

    public func countEvents() async throws(StoreError) -> [String: Int] {
        do {
            return try await pool.read { db in
                var counts: [String: Int] = [:]
                for row in try Row.fetchAll(db, sql: "SELECT source, COUNT(*) AS n FROM events GROUP BY source") {
                    counts[row["source"]] = row["n"]
                }
                return counts
            }
        } catch {
            throw StoreError.wrapping(error)
        }
    }

    public func storedEvents(source: String?, limit: Int) async throws(StoreError) -> [StoredEvent] {
        do {
            return try await pool.read { db in
                let rows: [Row]
                if let source {
                    rows = try Row.fetchAll(
                        db, sql: "SELECT * FROM events WHERE source = ? ORDER BY sequence LIMIT ?", arguments: [source, limit])
                } else {
                    rows = try Row.fetchAll(db, sql: "SELECT * FROM events ORDER BY sequence LIMIT ?", arguments: [limit])
                }
                return rows.map(SQLiteStore.storedEvent(from:))
            }
        } catch {
            throw StoreError.wrapping(error)
        }
    }

    static func storedEvent(from row: Row) -> StoredEvent {
        let body: Data = row["body"]
        let sealed: Data? = row["sealed"]
        return StoredEvent(
            sequence: row["sequence"],
            source: row["source"],
            eventID: row["event_id"],
            eventName: row["event_name"],
            eventTime: Timestamp(millisecondsSinceEpoch: row["event_time_ms"]),
            receivedAt: Timestamp(millisecondsSinceEpoch: row["received_at_ms"]),
            isTest: row["is_test"],
            body: Array(body),
            sealed: sealed.map { Array($0) },
            traceParent: (row["trace_parent"] as String?).flatMap(TraceParent.init(header:)))
    }
}

extension StoreError {
    /// Wraps a database error, keeping SQLite's result code. GRDB leaves
    /// statement arguments out of its messages, so no row data leaks here.
    static func wrapping(_ error: any Error) -> StoreError {
        if let error = error as? StoreError { return error }
        if let error = error as? DatabaseError {
            return StoreError(.unavailable, "SQLite error \(error.extendedResultCode.rawValue): \(error.message ?? "unknown")")
        }
        if error is CancellationError { return StoreError(.closed, "cancelled") }
        return StoreError(.unavailable, String(describing: error))
    }
}
