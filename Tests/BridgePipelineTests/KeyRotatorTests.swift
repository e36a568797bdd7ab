import BridgeCore
@testable import BridgePipeline
import BridgeSources
import BridgeStore
import Foundation
import Synchronization
import Testing

@Suite("keys rotate: re-sealing under the new key")
struct KeyRotatorTests {
    static let keyA = IdentifierSealer.generateKey()
    static let keyB = IdentifierSealer.generateKey()

    static func event(_ id: String, email: String) -> IngestEvent {
        var event = ConversionEvent(eventID: id, eventName: .purchase, eventTime: Timestamp(secondsSinceEpoch: 1_767_268_800), source: "backend")
        event.customer.fill(.email, with: email)
        return IngestEvent(event: event)
    }

    /// A SQLite store with `count` unprepared events sealed under key A, for `body`.
    func withStore(events count: Int, _ body: (SQLiteStore) async throws -> Void) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("capi-rotate-\(UUID().uuidString)")
        let store = try SQLiteStore(path: directory.appendingPathComponent("outbox.sqlite").path)
        let old = try IdentifierSealer(keys: [SealKey(id: "a", base64Key: Self.keyA)])
        let records = (0..<count).map { OutboxRecord(Self.event("sale:\($0)", email: "buyer\($0)@example.com"), sealer: old) }
        _ = try await store.ingest(IngestRequest(source: "backend", deliveryKeys: ["w"], records: records, receivedAt: Timestamp(secondsSinceEpoch: 1_767_268_805)))
        do {
            try await body(store)
        } catch {
            await store.close()
            try? FileManager.default.removeItem(at: directory)
            throw error
        }
        await store.close()
        try? FileManager.default.removeItem(at: directory)
    }

    @Test("re-seals in batches with progress after each; a second run finds nothing to do; erasure then needs only the new key")
    func rotate() async throws {
        try await withStore(events: 5) { store in
            let ring = try IdentifierSealer(keys: [SealKey(id: "b", base64Key: Self.keyB), SealKey(id: "a", base64Key: Self.keyA)])
            let rotator = KeyRotator(store: store, sealer: ring, batchSize: 2)
            #expect(try await rotator.plan().remaining == [.events: 5, .eventContexts: 0, .deliveries: 0])
            let progress = Mutex<[KeyRotator.Progress]>([])
            // When rotating, two rows per transaction
            let report = try await rotator.rotate { step in progress.withLock { $0.append(step) } }
            // Then every row is re-sealed, with a progress step per batch
            #expect(report.isComplete && report.resealed == [.events: 5, .eventContexts: 0, .deliveries: 0] && report.staleErasureKeys == 0)
            #expect(progress.withLock { $0.map(\.resealed) } == [2, 4, 5])
            #expect(progress.withLock { $0.allSatisfy { $0.total == 5 && $0.column == .events } })
            // And again: nothing left
            #expect(try await rotator.rotate().resealed == [.events: 0, .eventContexts: 0, .deliveries: 0])
            // And key B alone opens and finds everything
            let newOnly = try IdentifierSealer(keys: [SealKey(id: "b", base64Key: Self.keyB)])
            for stored in try await store.storedEvents(source: nil, limit: 10) {
                #expect(try stored.restore(with: newOnly).customer[.email]?.rawValue.hasSuffix("@example.com") == true)
            }
            let erased = try await store.erase(keys: ErasureKeys.lookupKeys(.email, "buyer4@example.com", region: nil, sealer: newOnly))
            #expect(erased.eventIDs == ["sale:4"])
        }
    }

    @Test("what no key of the ring opens is reported as left under an older key, and the rest is done")
    func unreadable() async throws {
        try await withStore(events: 3) { store in
            // A ring that lost key A: nothing opens
            let lost = try IdentifierSealer(keys: [SealKey(id: "b", base64Key: Self.keyB)])
            let report = try await KeyRotator(store: store, sealer: lost, batchSize: 2).rotate()
            #expect(!report.isComplete)
            #expect(report.unreadable == [.events: 3, .eventContexts: 0, .deliveries: 0] && report.remaining == [.events: 3, .eventContexts: 0, .deliveries: 0])
        }
    }
}
