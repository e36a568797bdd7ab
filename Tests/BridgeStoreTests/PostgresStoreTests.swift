import BridgeCore
import BridgeStore
import Foundation
import Logging
import PostgresNIO
import Testing

/// What only the PostgreSQL store has: its URL, its errors, and several
/// instances sharing one database. The contract itself is in the shared suites.
@Suite("PostgreSQL store")
struct PostgresStoreTests: StoreTestCase {
    let sealer = IdentifierSealer.ephemeral()
    let t0 = Timestamp(secondsSinceEpoch: 1_767_300_000)

    // MARK: Configuration (no server needed)

    @Test("parses a postgres URL with its parameters and never prints the password")
    func parsesURL() throws {
        let configuration = try PostgresStore.Configuration(
            url: "postgresql://bridge:s%40cret@db.internal:6543/capi?schema=capi_bridge&sslmode=require&pool_size=20")
        #expect(
            configuration
                == PostgresStore.Configuration(
                    host: "db.internal", port: 6543, username: "bridge", password: "s@cret", database: "capi", schema: "capi_bridge",
                    tls: .require, maximumConnections: 20))
        #expect(!String(describing: configuration).contains("cret"))
        let plain = try PostgresStore.Configuration(url: "postgres://capi@127.0.0.1/capi_bridge_test")
        #expect(plain.port == 5432 && plain.password == nil && plain.schema == nil && plain.tls == .prefer && plain.maximumConnections == 10)
    }

    @Test("a host that is not loopback gets verified TLS (verify-full) by default; loopback keeps prefer")
    func tlsDefaults() throws {
        let remote = try PostgresStore.Configuration(url: "postgres://bridge:pw@db.internal/capi")
        #expect(remote.tls == .verifyFull && !remote.isLoopback)
        #expect(remote.tlsConfiguration().certificateVerification == .fullVerification)
        #expect("\(remote)".hasSuffix("?sslmode=verify-full"))
        for host in ["127.0.0.1", "localhost", "[::1]", "127.0.0.53"] {
            let local = try PostgresStore.Configuration(url: "postgres://capi@\(host)/capi")
            #expect(local.tls == .prefer && local.isLoopback, "\(host)")
        }
        let pinned = try PostgresStore.Configuration(url: "postgres://bridge@db.internal/capi?sslrootcert=/etc/capi-bridge/db-ca.pem")
        #expect(pinned.tls == .verifyFull && pinned.rootCertificatePath == "/etc/capi-bridge/db-ca.pem")
        #expect(pinned.tlsConfiguration().trustRoots == .file("/etc/capi-bridge/db-ca.pem"))
        // An explicit sslmode=require encrypts without verifying, as libpq does.
        #expect(try PostgresStore.Configuration(url: "postgres://bridge@db.internal/capi?sslmode=require").tlsConfiguration().certificateVerification == .none)
    }

    @Test("clear text (disable, or prefer's fallback) to a host that is not loopback needs the explicit opt-in", arguments: ["disable", "prefer"])
    func insecureRemote(_ mode: String) throws {
        let url = "postgres://bridge:pw@10.1.2.3:5432/capi?sslmode=\(mode)"
        #expect {
            _ = try PostgresStore.Configuration(url: url)
        } throws: { error in
            guard let error = error as? StoreError else { return false }
            return error.code == .misconfigured && error.detail.contains("allow_insecure") && !error.detail.contains("pw")
        }
        #expect(try PostgresStore.Configuration(url: url, allowInsecure: true).tls.rawValue == mode)
        #expect(try PostgresStore.Configuration(url: "postgres://capi@127.0.0.1/capi?sslmode=\(mode)").tls.rawValue == mode)
    }

    @Test(
        "refuses a malformed URL as misconfigured, without echoing the password",
        arguments: [
            "mysql://u:pw@127.0.0.1/db", "postgres://127.0.0.1/db", "postgres://u:pw@127.0.0.1", "postgres://u:pw@127.0.0.1/a/b",
            "postgres://u:pw@127.0.0.1/db?schema=Bad-Name", "postgres://u:pw@127.0.0.1/db?sslmode=sometimes",
            "postgres://u:pw@127.0.0.1/db?pool_size=0", "postgres://u:pw@127.0.0.1/db?password=x", "not a url",
            "postgres://u:pw@127.0.0.1/db?sslrootcert=",
        ])
    func refusesBadURL(_ url: String) {
        #expect {
            _ = try PostgresStore.Configuration(url: url)
        } throws: { error in
            guard let error = error as? StoreError else { return false }
            return error.code == .misconfigured && !error.detail.contains("pw")
        }
    }

    @Test("an unreachable server gives StoreError.unavailable without waiting out the pool's retry loop")
    func unreachable() async throws {
        let started = ContinuousClock.now
        await #expect {
            _ = try await PostgresStore(url: "postgres://capi@127.0.0.1:1/capi?sslmode=disable", logger: StoreFixture.logger)
        } throws: { error in
            (error as? StoreError)?.code == .unavailable
        }
        // Generous: under a parallel test run the task may queue behind others;
        // the pool's own retry loop would take a minute or more.
        #expect(ContinuousClock.now - started < .seconds(45))
    }

    @Test("a schema name that is not a plain identifier is refused before connecting")
    func refusesBadSchema() async throws {
        var configuration = try PostgresStore.Configuration(url: "postgres://capi@127.0.0.1:1/capi")
        configuration.schema = "x; DROP TABLE events"
        await #expect {
            _ = try await PostgresStore(configuration: configuration, logger: StoreFixture.logger)
        } throws: { error in
            (error as? StoreError)?.code == .misconfigured
        }
    }

    // MARK: Against a server

    @Test("instances opening one database at once apply each migration once", .enabled(if: StoreKind.postgresURL != nil))
    func concurrentMigrations() async throws {
        try await withFixture(.postgres) { fixture in
            let stores = try await withThrowingTaskGroup(of: PostgresStore.self) { group in
                for _ in 0..<4 { group.addTask { try await fixture.openPostgres() } }
                return try await group.reduce(into: [PostgresStore]()) { $0.append($1) }
            }
            for store in stores { try await store.checkReachable() }
            for store in stores { await store.close() }
            let schema = try #require(fixture.postgres?.schema)
            let names = try await fixture.withAdminConnection { connection in
                var names: [String] = []
                let rows = try await connection.query(
                    PostgresQuery(unsafeSQL: "SELECT name FROM \(schema).schema_migrations ORDER BY name"), logger: StoreFixture.logger)
                for try await name in rows.decode(String.self) { names.append(name) }
                return names
            }
            // (Recorded once each: `name` is the table's primary key; a race would have failed an open above.)
            // (Sorted by name, so `v10-…` comes before `v2-…`.)
            #expect(Set(["v1-outbox", "v2-deliveries", "v3-privacy", "v10-platform-feedback"]).isSubset(of: names))
            #expect(Set(names).count == names.count)
        }
    }

    @Test("dedupe holds across instances sharing the database", .enabled(if: StoreKind.postgresURL != nil))
    func crossInstanceDedupe() async throws {
        try await withFixture(.postgres) { fixture in
            let first = try await fixture.openPostgres()
            let second = try await fixture.openPostgres()
            let instances: [any StoreBackend] = [first, second]
            // Identical requests through both instances at once: one copy
            let identical = try await withThrowingTaskGroup(of: IngestResult.self) { group in
                for copy in 0..<32 {
                    let store = instances[copy % 2]
                    group.addTask { try await store.ingestUntyped(request([purchase("sale:same")], keys: ["webhook:same"])) }
                }
                return try await group.reduce(into: [IngestResult]()) { $0.append($1) }
            }
            #expect(identical.filter { $0 == .stored([.accepted]) }.count == 1)
            // Distinct requests through both: all stored, each once
            try await withThrowingTaskGroup(of: IngestResult.self) { group in
                for index in 0..<200 {
                    let store = instances[index % 2]
                    // Every event is sent twice, through different instances, under different delivery keys.
                    group.addTask { try await store.ingestUntyped(request([purchase("sale:\(index / 2)")], keys: ["webhook:\(index)"])) }
                }
                for try await _ in group {}
            }
            #expect(try await first.countEventsUntyped() == ["backend": 101])
            await first.close()
            await second.close()
        }
    }

    @Test("instances storing the same events in opposite orders each store them once, and no request fails", .enabled(if: StoreKind.postgresURL != nil))
    func crossInstanceOppositeOrders() async throws {
        try await withFixture(.postgres) { fixture in
            // Given two instances whose group commits insert the same event ids in
            // opposite orders (each may wait for a row the other has not committed:
            // PostgreSQL breaks the deadlock, the store runs the loser again)
            let first = try await fixture.openPostgres()
            let second = try await fixture.openPostgres()
            let count = 150
            let results = try await withThrowingTaskGroup(of: (Int, IngestResult).self) { group in
                for index in 0..<count {
                    group.addTask { (index, try await first.ingestUntyped(request([purchase("sale:\(index)")], keys: ["a:\(index)"]))) }
                    let reversed = count - 1 - index
                    group.addTask { (reversed, try await second.ingestUntyped(request([purchase("sale:\(reversed)")], keys: ["b:\(reversed)"]))) }
                }
                return try await group.reduce(into: [(Int, IngestResult)]()) { $0.append($1) }
            }
            // Then every event was accepted exactly once, the other copy a duplicate
            let accepted = results.filter { $0.1 == .stored([.accepted]) }.map(\.0)
            #expect(accepted.sorted() == Array(0..<count))
            #expect(results.filter { $0.1 == .stored([.duplicate]) }.count == count)
            #expect(try await first.countEventsUntyped() == ["backend": count])
            await first.close()
            await second.close()
        }
    }

    @Test("a request aborted to break a deadlock is applied again after its group commits", .enabled(if: StoreKind.postgresURL != nil))
    func deadlockRetry() async throws {
        try await withFixture(.postgres) { fixture in
            let store = try await fixture.openPostgres()
            let schema = try #require(fixture.postgres?.schema)
            let (result, otherWon) = try await fixture.withAdminConnection { other in
                // Given another writer holding sale:b, not yet committed
                func run(_ sql: String) async throws { _ = try await other.query(PostgresQuery(unsafeSQL: sql), logger: StoreFixture.logger).collect() }
                func insert(_ eventID: String) async throws {
                    try await run(
                        """
                        INSERT INTO \(schema).events (source, event_id, event_name, event_time_ms, received_at_ms, is_test, body)
                        VALUES ('backend', '\(eventID)', 'Purchase', 0, 0, false, '\\x7b7d'::bytea)
                        """)
                }
                try await run("BEGIN")
                try await insert("sale:b")
                // When the store inserts sale:a, then waits for sale:b…
                async let stored = store.ingestUntyped(request([purchase("sale:a"), purchase("sale:b")]))
                try await Task.sleep(for: .milliseconds(300))
                // …and the other writer then waits for sale:a: a deadlock PostgreSQL breaks after deadlock_timeout
                var otherWon = true
                do { try await insert("sale:a") } catch { otherWon = false }
                try await run(otherWon ? "COMMIT" : "ROLLBACK")
                return (try await stored, otherWon)
            }
            // Then no request failed: either the store lost, set the request aside and
            // found both events committed by the other writer, or it won and stored both
            #expect(result == (otherWon ? .stored([.duplicate, .duplicate]) : .stored([.accepted, .accepted])))
            #expect(try await store.countEventsUntyped() == ["backend": 2])
            await store.close()
        }
    }

    @Test("instances never claim the same rows, and a dead instance's claims return after the lease", .enabled(if: StoreKind.postgresURL != nil))
    func crossInstanceClaims() async throws {
        try await withFixture(.postgres) { fixture in
            let first = try await fixture.openPostgres()
            let second = try await fixture.openPostgres()
            try await seedPending(first, count: 80, at: t0)
            let instances: [any StoreBackend] = [first, second]
            let claims = try await withThrowingTaskGroup(of: [Int64].self) { group in
                for worker in 0..<8 {
                    let store = instances[worker % 2]
                    group.addTask {
                        var mine: [Int64] = []
                        while true {
                            let batch = try await store.claimDeliveries(
                                destination: "meta", limit: 3, maxBytes: 10_000, owner: "instance-\(worker % 2)/worker-\(worker)",
                                leaseUntil: t0.advanced(by: .seconds(30)), now: t0)
                            if batch.isEmpty { return mine }
                            mine += batch.map(\.id)
                        }
                    }
                }
                return try await group.reduce(into: [[Int64]]()) { $0.append($1) }
            }
            let all = claims.flatMap { $0 }
            #expect(all.count == 80 && Set(all).count == 80)
            // The first instance dies holding its claims; after the lease the second takes them all
            await first.close()
            let later = t0.advanced(by: .seconds(31))
            let reclaimed = try await second.claimDeliveries(
                destination: "meta", limit: 100, maxBytes: 1_000_000, owner: "instance-1/rescue", leaseUntil: later.advanced(by: .seconds(30)), now: later)
            #expect(Set(reclaimed.map(\.id)) == Set(all))
            await second.close()
        }
    }

    @Test("server errors keep their SQLSTATE", .enabled(if: StoreKind.postgresURL != nil))
    func sqlState() async throws {
        var configuration = try PostgresStore.Configuration(url: try #require(StoreKind.postgresURL))
        configuration.database = "capi_no_such_database"
        await #expect {
            _ = try await PostgresStore(configuration: configuration, logger: StoreFixture.logger)
        } throws: { error in
            guard let error = error as? StoreError else { return false }
            return error.code == .misconfigured && error.detail.contains("SQLSTATE 3D000")
        }
    }

    @Test("a server that does not make commits durable is refused", .enabled(if: StoreKind.postgresURL != nil))
    func refusesNonDurable() async throws {
        try await withFixture(.postgres) { fixture in
            // A database of its own whose sessions default to synchronous_commit = off
            let database = "capi_nondurable_\(UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: ""))"
            try await fixture.withAdminConnection { connection in
                _ = try await connection.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(database)"), logger: StoreFixture.logger).collect()
                _ = try await connection.query(
                    PostgresQuery(unsafeSQL: "ALTER DATABASE \(database) SET synchronous_commit = off"), logger: StoreFixture.logger
                ).collect()
            }
            var configuration = try #require(fixture.postgres)
            configuration.database = database
            await #expect {
                _ = try await PostgresStore(configuration: configuration, logger: StoreFixture.logger)
            } throws: { error in
                guard let error = error as? StoreError else { return false }
                return error.code == .misconfigured && error.detail.contains("synchronous_commit=off")
            }
            try await fixture.withAdminConnection { connection in
                _ = try await connection.query(PostgresQuery(unsafeSQL: "DROP DATABASE \(database)"), logger: StoreFixture.logger).collect()
            }
        }
    }

    @Test("a closed store answers with StoreError.closed", .enabled(if: StoreKind.postgresURL != nil))
    func closedStore() async throws {
        try await withFixture(.postgres) { fixture in
            let store = try await fixture.openPostgres()
            try await store.checkReachable()
            await store.close()
            await #expect {
                try await store.checkReachable()
            } throws: { error in
                (error as? StoreError)?.code == .closed
            }
        }
    }
}
