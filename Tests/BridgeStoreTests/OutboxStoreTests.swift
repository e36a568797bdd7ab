import BridgeCore
import BridgeStore
import Foundation
import Testing

/// The outbox contract (ingest, dedupe, durability, lifecycle), run against
/// every available store: SQLite on a temporary file (WAL matters; an
/// in-memory database would hide it) and PostgreSQL when
/// `CAPI_TEST_POSTGRES_URL` is set.
@Suite("Outbox store")
struct OutboxStoreTests: StoreTestCase {
    let sealer = IdentifierSealer.ephemeral()

    @Test("stores an event with its identifiers sealed, never in clear", arguments: StoreKind.available)
    func storesSealed(_ kind: StoreKind) async throws {
        try await withFixture(kind) { fixture in
            let store = try await fixture.open()
            // Given one event with an email
            let result = try await store.ingestUntyped(request([purchase("sale:1")], keys: ["webhook:m1"]))
            // Then it is accepted and readable only through the sealer
            #expect(result == .stored([.accepted]))
            let stored = try #require(try await store.storedEvents(source: "backend", limit: 10).first)
            #expect(stored.eventID == "sale:1")
            #expect(!String(decoding: stored.body, as: UTF8.self).contains("noah@example.de"))
            let sealed = try #require(stored.sealed)
            #expect(!String(decoding: sealed, as: UTF8.self).contains("noah"))
            let restored = try stored.restore(with: sealer)
            #expect(restored.customer[.email]?.rawValue == "noah@example.de")
            #expect(restored.value?.formattedAmount == "19.90")
            // And the storage (SQLite: the file and its WAL; PostgreSQL: every row) holds no clear email either
            #expect(try await fixture.storageContains("noah@example.de") == false)
            #expect(try await fixture.storageContains("sale:1"))  // the check does see what is stored in clear
            await store.close()
        }
    }

    @Test("a repeated delivery key or event id creates no new work", arguments: StoreKind.available)
    func duplicates(_ kind: StoreKind) async throws {
        try await withStore(kind) { store throws in
            #expect(try await store.ingestUntyped(request([purchase("sale:1")], keys: ["webhook:m1"])) == .stored([.accepted]))
            // Same delivery id, even with other content: duplicate delivery.
            #expect(try await store.ingestUntyped(request([purchase("sale:2")], keys: ["webhook:m1"])) == .duplicateDelivery)
            // New delivery id, same event id: duplicate event.
            #expect(try await store.ingestUntyped(request([purchase("sale:1")], keys: ["webhook:m2"])) == .stored([.duplicate]))
            // The same event id under another source is another event.
            #expect(try await store.ingestUntyped(request([purchase("sale:1")], keys: ["webhook:m1"], source: "other")) == .stored([.accepted]))
            // The second delivery key was recorded even though its event was a duplicate.
            #expect(try await store.ingestUntyped(request([purchase("sale:3")], keys: ["webhook:m2"])) == .duplicateDelivery)
            #expect(try await store.countEventsUntyped() == ["backend": 1, "other": 1])
        }
    }

    @Test("a duplicate delivery key stores none of the request's events or other keys", arguments: StoreKind.available)
    func duplicateDeliveryRollsBack(_ kind: StoreKind) async throws {
        try await withStore(kind) { store throws in
            #expect(try await store.ingestUntyped(request([purchase("sale:1")], keys: ["webhook:b"])) == .stored([.accepted]))
            // One known key among new ones: the whole delivery is a duplicate…
            #expect(try await store.ingestUntyped(request([purchase("sale:2")], keys: ["webhook:a", "webhook:b", "webhook:c"])) == .duplicateDelivery)
            // …so its new keys were not recorded and its event was not stored.
            #expect(try await store.ingestUntyped(request([purchase("sale:2")], keys: ["webhook:a"])) == .stored([.accepted]))
            #expect(try await store.ingestUntyped(request([purchase("sale:3")], keys: ["webhook:c", "webhook:c"])) == .stored([.accepted]))
            #expect(try await store.countEventsUntyped() == ["backend": 3])
        }
    }

    @Test("identical requests arriving at the same moment store one copy", arguments: StoreKind.available)
    func concurrentDuplicates(_ kind: StoreKind) async throws {
        try await withStore(kind) { store throws in
            let copies = 64
            let results = try await withThrowingTaskGroup(of: IngestResult.self) { group in
                for _ in 0..<copies {
                    group.addTask { try await store.ingestUntyped(request([purchase("sale:same")], keys: ["webhook:same"])) }
                }
                return try await group.reduce(into: [IngestResult]()) { $0.append($1) }
            }
            #expect(results.filter { $0 == .stored([.accepted]) }.count == 1)
            #expect(results.filter(\.isDuplicate).count == copies - 1)
            #expect(try await store.countEventsUntyped() == ["backend": 1])
        }
    }

    @Test("many concurrent distinct requests are all stored (group commit)", arguments: StoreKind.available)
    func concurrentDistinct(_ kind: StoreKind) async throws {
        try await withStore(kind) { store throws in
            let count = 500
            try await withThrowingTaskGroup(of: IngestResult.self) { group in
                for i in 0..<count {
                    group.addTask { try await store.ingestUntyped(request([purchase("sale:\(i)")], keys: ["webhook:\(i)"])) }
                }
                for try await result in group { #expect(result == .stored([.accepted])) }
            }
            #expect(try await store.countEventsUntyped() == ["backend": count])
        }
    }

    @Test("a multi-event request is atomic and reports each event", arguments: StoreKind.available)
    func multiEvent(_ kind: StoreKind) async throws {
        try await withStore(kind) { store throws in
            _ = try await store.ingestUntyped(request([purchase("sale:1")]))
            let result = try await store.ingestUntyped(request([purchase("sale:1"), purchase("sale:2"), purchase("sale:2")]))
            #expect(result == .stored([.duplicate, .accepted, .duplicate]))
        }
    }

    @Test("cumulative refunds become deltas; repeats and older totals are duplicates", arguments: StoreKind.available)
    func cumulativeRefunds(_ kind: StoreKind) async throws {
        try await withStore(kind) { store throws in
            func refund(_ cumulativeMinor: Int64) -> IngestEvent {
                let total = Money(amount: Money.Amount(minorUnits: cumulativeMinor, exponent: 2), currency: Currency(code: "USD")!)
                let event = ConversionEvent(
                    eventID: "refund:stripe:pi_1:\(cumulativeMinor)", eventName: .refund, eventTime: Timestamp(secondsSinceEpoch: 1),
                    source: "stripe", value: total)
                return IngestEvent(event: event, cumulativeRefund: CumulativeRefund(key: "stripe-charge:ch_1", total: total))
            }
            #expect(try await store.ingestUntyped(request([refund(2000)], source: "stripe")) == .stored([.accepted]))
            #expect(try await store.ingestUntyped(request([refund(2000)], source: "stripe")) == .stored([.duplicate]))
            #expect(try await store.ingestUntyped(request([refund(3500)], source: "stripe")) == .stored([.accepted]))
            #expect(try await store.ingestUntyped(request([refund(3000)], source: "stripe")) == .stored([.duplicate]))
            let values = try await store.storedEvents(source: "stripe", limit: 10).map { try $0.restore(with: sealer).value?.formattedAmount }
            #expect(values == ["20.00", "15.00"])
        }
    }

    @Test("concurrent cumulative refunds of one charge add up to the last total", arguments: StoreKind.available)
    func concurrentRefunds(_ kind: StoreKind) async throws {
        try await withStore(kind) { store throws in
            func refund(_ cumulativeMinor: Int64) -> IngestEvent {
                let total = Money(amount: Money.Amount(minorUnits: cumulativeMinor, exponent: 2), currency: Currency(code: "USD")!)
                let event = ConversionEvent(
                    eventID: "refund:stripe:pi_2:\(cumulativeMinor)", eventName: .refund, eventTime: Timestamp(secondsSinceEpoch: 1),
                    source: "stripe", value: total)
                return IngestEvent(event: event, cumulativeRefund: CumulativeRefund(key: "stripe-charge:ch_2", total: total))
            }
            // Totals 1.00 … 20.00, each sent three times, all at once.
            try await withThrowingTaskGroup(of: IngestResult.self) { group in
                for copy in 0..<3 {
                    for step in 1...20 {
                        group.addTask { try await store.ingestUntyped(request([refund(Int64(step * 100))], keys: ["r\(step)-\(copy)"], source: "stripe")) }
                    }
                }
                for try await _ in group {}
            }
            // Whatever the order, the stored deltas add up to the largest total.
            let minor = try await store.storedEvents(source: "stripe", limit: 100).map { try $0.restore(with: sealer).value?.amount.rescaled(to: 2).units ?? 0 }
            #expect(minor.reduce(0, +) == 2000)
            #expect(minor.allSatisfy { $0 > 0 })
        }
    }

    @Test("a limit of zero reads nothing and a negative limit reads everything", arguments: StoreKind.available)
    func limits(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            _ = try await store.ingest(request([purchase("sale:1"), purchase("sale:2"), purchase("sale:3")]))
            #expect(try await store.storedEvents(source: nil, limit: 0).isEmpty)
            #expect(try await store.storedEvents(source: "backend", limit: -1).map(\.eventID) == ["sale:1", "sale:2", "sale:3"])
            let now = Timestamp(secondsSinceEpoch: 1_767_300_000)
            #expect(try await store.claimForPreparation(limit: 0, owner: "A", leaseUntil: now.advanced(by: .seconds(30)), now: now).isEmpty)
            #expect(try await store.claimForPreparation(limit: -1, owner: "A", leaseUntil: now.advanced(by: .seconds(30)), now: now).count == 3)
        }
    }

    @Test("acknowledged events survive reopening the store", arguments: StoreKind.available)
    func reopen(_ kind: StoreKind) async throws {
        try await withFixture(kind) { fixture in
            let store = try await fixture.open()
            _ = try await store.ingestUntyped(request([purchase("sale:1"), purchase("sale:2")]))
            await store.close()
            let reopened = try await fixture.open()
            #expect(try await reopened.countEventsUntyped() == ["backend": 2])
            await reopened.close()
        }
    }

    @Test("a closed store refuses new work with a typed error", arguments: StoreKind.available)
    func closed(_ kind: StoreKind) async throws {
        try await withFixture(kind) { fixture in
            let store = try await fixture.open()
            await store.close()
            await #expect(throws: StoreError.self) { try await store.ingestUntyped(request([purchase("sale:1")])) }
        }
    }

    @Test("close waits for the requests already accepted", arguments: StoreKind.available)
    func closeDrains(_ kind: StoreKind) async throws {
        try await withFixture(kind) { fixture in
            let store = try await fixture.open()
            // Given requests in flight when close() is called
            let stored = try await withThrowingTaskGroup(of: Bool.self) { group in
                for i in 0..<50 {
                    group.addTask {
                        do {
                            return try await store.ingestUntyped(request([purchase("sale:\(i)")])) == .stored([.accepted])
                        } catch let error as StoreError where error.code == .closed {
                            return false
                        }
                    }
                }
                group.addTask {
                    await store.close()
                    return false
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            // Then every request answered "stored" is in the database
            let reopened = try await fixture.open()
            #expect(try await reopened.countEventsUntyped()["backend", default: 0] == stored)
            await reopened.close()
        }
    }

    @Test("an unwritable path gives StoreError, not a crash")
    func unwritable() {
        #expect(throws: StoreError.self) { try SQLiteStore(path: "/proc/capi-bridge/outbox.sqlite") }
    }
}
