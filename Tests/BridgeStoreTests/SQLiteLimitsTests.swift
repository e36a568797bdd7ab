import BridgeCore
import BridgeSources
import BridgeStore
import Foundation
import GRDB
import Testing

/// What only SQLite needs: its limit on values bound to one statement
/// (999 in SQLite builds before 3.32: each test's store is opened with it)
/// and the erasure words written before key rings.
@Suite("SQLite: variable limits and older erasure words")
struct SQLiteLimitsTests: StoreTestCase {
    static let key = IdentifierSealer.generateKey()
    /// The `seal_key:` shorthand: one key, id `default`.
    let sealer: IdentifierSealer

    init() throws {
        sealer = try IdentifierSealer(base64Key: Self.key)
    }

    /// The smallest limit SQLite builds have on values bound to one statement.
    static let variableLimit: Int32 = 999
    /// More rows than that.
    static let manyRows = 3_000

    /// A SQLite store with the smallest variable limit, for `body`.
    func withLimitedStore(_ body: (SQLiteStore) async throws -> Void) async throws {
        try await withFixture(.sqlite) { fixture in
            let store = try SQLiteStore(path: fixture.path, variableLimit: Self.variableLimit)
            do {
                try await body(store)
            } catch {
                await store.close()
                throw error
            }
            await store.close()
        }
    }

    @Test("an erasure matching more events than SQLite binds at once deletes them all, in one call")
    func largeErasure() async throws {
        try await withLimitedStore { store in
            // Given 3,000 events of one buyer (one webhook, one transaction) and one of another
            _ = try await store.ingest(request((0..<Self.manyRows).map { purchase("bulk:\($0)") }, keys: ["bulk"]))
            _ = try await store.ingest(request([purchase("other", email: "mia@example.de")], keys: ["other"]))
            // When the buyer is erased
            let result = try await store.erase(keys: ErasureKeys.lookupKeys(.email, "noah@example.de", region: nil, sealer: sealer))
            // Then every one of them is gone, and only them
            #expect(result.eventIDs.count == Self.manyRows)
            #expect(try await store.countEvents() == ["backend": 1])
        }
    }

    @Test("replaying, listing and purging more dead letters by id than SQLite binds at once")
    func largeDeadLetterSelections() async throws {
        try await withLimitedStore { store in
            // Given 3,000 dead letters
            _ = try await store.ingest(request((0..<Self.manyRows).map { purchase("dead:\($0)") }, keys: ["dead"]))
            let claimed = try await store.claimForPreparation(
                limit: Self.manyRows, owner: "p", leaseUntil: receivedAt.advanced(by: .seconds(60)), now: receivedAt)
            var dead = pending("meta")
            dead.state = .dead
            try await store.recordPreparation(
                claimed.map { PreparedEvent(eventSequence: $0.sequence, deliveries: [dead]) }, owner: "p", now: receivedAt)
            let ids = try await store.deadLetters(DeadLetterFilter(), limit: -1).map(\.id)
            #expect(ids.count == Self.manyRows)
            // When selected by their ids: a page of them, all of them replayed
            let page = try await store.deadLetters(DeadLetterFilter(ids: ids), limit: 10)
            #expect(page.map(\.id) == Array(ids.sorted(by: >).prefix(10)))
            #expect(try await store.replayDeadLetters(DeadLetterFilter(ids: ids), now: receivedAt) == Self.manyRows)
            #expect(try await store.deadLetters(DeadLetterFilter(), limit: -1).isEmpty)
            #expect(try await store.purgeDeadLetters(DeadLetterFilter(ids: ids)) == 0)
        }
    }

    @Test("erasure finds events indexed before key rings (words without a key id) under any key of the ring")
    func olderErasureWords() async throws {
        try await withFixture(.sqlite) { fixture in
            // Given an event indexed as before key rings: `email:digest` words
            let store = try await fixture.open()
            _ = try await store.ingest(request([purchase("old")], keys: ["w"]))
            await store.close()
            let queue = try DatabaseQueue(path: fixture.path)
            try await queue.write { db in
                try db.execute(sql: "UPDATE events SET erasure_keys = replace(erasure_keys, ':default:', ':')")
            }
            #expect(try await queue.read { db in try String.fetchOne(db, sql: "SELECT erasure_keys FROM events") }?.hasPrefix("email:") == true)
            try queue.close()
            // When erasing with a ring whose older key made that digest
            let ring = try IdentifierSealer(keys: [SealKey(id: "new", base64Key: IdentifierSealer.generateKey()), SealKey(id: "default", base64Key: Self.key)])
            let reopened = try await fixture.open()
            let result = try await reopened.erase(keys: ErasureKeys.lookupKeys(.email, "noah@example.de", region: nil, sealer: ring))
            await reopened.close()
            // Then it is found
            #expect(result.eventIDs == ["old"])
        }
    }
}
