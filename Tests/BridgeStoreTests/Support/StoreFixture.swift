import BridgeStore
import Foundation
import Logging
import PostgresNIO
import Testing

/// The store implementations the contract suite runs against: SQLite always,
/// PostgreSQL when `CAPI_TEST_POSTGRES_URL` names a server
/// (`eval "$(scripts/start-test-postgres.sh)"` starts a throwaway one).
enum StoreKind: String, Sendable, CaseIterable, CustomTestStringConvertible {
    case sqlite
    case postgres

    /// `CAPI_TEST_POSTGRES_URL`, when set and not empty.
    static let postgresURL: String? = ProcessInfo.processInfo.environment["CAPI_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }

    /// The kinds this run can test.
    static var available: [StoreKind] { postgresURL == nil ? [.sqlite] : [.sqlite, .postgres] }

    var testDescription: String { rawValue }
}

/// A throwaway place for one test's store: a new temporary directory for
/// SQLite (a file in WAL mode, as in production), a new schema for PostgreSQL
/// (tests run in parallel; each sees only its own tables). Open as many stores
/// on it as the test needs (reopening, several instances); `dispose()` deletes it.
struct StoreFixture: Sendable {
    let kind: StoreKind
    /// SQLite: the database file.
    let path: String
    /// PostgreSQL: the connection settings, with this fixture's own schema.
    let postgres: PostgresStore.Configuration?

    static let logger: Logger = {
        var logger = Logger(label: "capi-bridge.store-tests")
        logger.logLevel = .warning
        return logger
    }()

    init(_ kind: StoreKind) throws {
        self.kind = kind
        let id = UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        switch kind {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("capi-store-\(id)")
            path = directory.appendingPathComponent("outbox.sqlite").path
            postgres = nil
        case .postgres:
            let url = try #require(StoreKind.postgresURL, "CAPI_TEST_POSTGRES_URL is not set")
            var configuration = try PostgresStore.Configuration(url: url)
            configuration.schema = "capi_test_\(id)"
            // Tests run in parallel: keep each store's pool small.
            configuration.maximumConnections = 4
            path = ""
            postgres = configuration
        }
    }

    /// Opens a store on this fixture's database.
    func open() async throws -> any StoreBackend {
        switch kind {
        case .sqlite: return try SQLiteStore(path: path)
        case .postgres: return try await openPostgres()
        }
    }

    /// Opens a store with what `keys rotate` needs.
    func openForRotation() async throws -> any StoreBackend & KeyRotationStore {
        switch kind {
        case .sqlite: return try SQLiteStore(path: path)
        case .postgres: return try await openPostgres()
        }
    }

    /// Opens a PostgreSQL store (for tests of several instances) with its
    /// pool running in a task of its own until the test closes the store.
    func openPostgres() async throws -> PostgresStore {
        let store = try await PostgresStore(configuration: try #require(postgres), logger: Self.logger)
        Task { await store.run() }
        await store.waitUntilRunning()
        return store
    }

    /// Deletes the database: the temporary directory, or the schema.
    func dispose() async {
        switch kind {
        case .sqlite:
            try? FileManager.default.removeItem(at: URL(fileURLWithPath: path).deletingLastPathComponent())
        case .postgres:
            guard let schema = postgres?.schema else { return }
            try? await withAdminConnection { connection in
                _ = try await connection.query(PostgresQuery(unsafeSQL: "DROP SCHEMA IF EXISTS \(schema) CASCADE"), logger: Self.logger).collect()
            }
        }
    }

    /// True when `needle` appears in clear anywhere the store keeps data: the
    /// SQLite file and its WAL, or any row of the PostgreSQL schema (text
    /// columns and blobs alike).
    func storageContains(_ needle: String) async throws -> Bool {
        let bytes = Data(needle.utf8)
        switch kind {
        case .sqlite:
            let file = try Data(contentsOf: URL(fileURLWithPath: path))
            let wal = (try? Data(contentsOf: URL(fileURLWithPath: path + "-wal"))) ?? Data()
            return file.range(of: bytes) != nil || wal.range(of: bytes) != nil
        case .postgres:
            let schema = try #require(postgres?.schema)
            return try await withAdminConnection { connection in
                var binds = PostgresBindings()
                binds.append(needle)
                try binds.append(bytes)
                let query = PostgresQuery(
                    unsafeSQL: """
                        SELECT count(*) FROM (
                            SELECT t::text AS row, NULL::bytea AS blob FROM \(schema).events AS t
                            UNION ALL SELECT t::text, NULL FROM \(schema).delivery_keys AS t
                            UNION ALL SELECT t::text, NULL FROM \(schema).refund_totals AS t
                            UNION ALL SELECT t::text, NULL FROM \(schema).deliveries AS t
                            UNION ALL SELECT NULL, body FROM \(schema).events
                            UNION ALL SELECT NULL, sealed FROM \(schema).events
                            UNION ALL SELECT NULL, payload FROM \(schema).deliveries
                            UNION ALL SELECT NULL, sealed FROM \(schema).deliveries
                        ) AS everything
                        WHERE strpos(row, $1) > 0 OR position($2::bytea IN blob) > 0
                        """, binds: binds)
                var count = 0
                for try await value in try await connection.query(query, logger: Self.logger).decode(Int.self) { count = value }
                return count > 0
            }
        }
    }

    /// Runs `body` on a connection of its own to the test database, outside the store.
    func withAdminConnection<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        let configuration = try #require(postgres)
        let tls: PostgresConnection.Configuration.TLS
        if configuration.tls == .disable {
            tls = .disable
        } else {
            var tlsConfiguration = TLSConfiguration.makeClientConfiguration()
            tlsConfiguration.certificateVerification = .none
            tls = .prefer(try NIOSSLContext(configuration: tlsConfiguration))
        }
        let connection = try await PostgresConnection.connect(
            configuration: PostgresConnection.Configuration(
                host: configuration.host, port: configuration.port, username: configuration.username,
                password: configuration.password, database: configuration.database, tls: tls),
            id: 1, logger: Self.logger)
        do {
            let result = try await body(connection)
            try? await connection.close()
            return result
        } catch {
            try? await connection.close()
            throw error
        }
    }
}

/// Runs `body` with a fresh fixture of `kind`, deleted afterwards.
func withFixture(_ kind: StoreKind, _ body: (StoreFixture) async throws -> Void) async throws {
    let fixture = try StoreFixture(kind)
    do {
        try await body(fixture)
    } catch {
        await fixture.dispose()
        throw error
    }
    await fixture.dispose()
}

/// Runs `body` with a store of `kind` on a fresh fixture; closes the store
/// and deletes the fixture afterwards.
func withStore(_ kind: StoreKind, _ body: (any StoreBackend) async throws -> Void) async throws {
    try await withFixture(kind) { fixture in
        let store = try await fixture.open()
        do {
            try await body(store)
        } catch {
            await store.close()
            throw error
        }
        await store.close()
    }
}
