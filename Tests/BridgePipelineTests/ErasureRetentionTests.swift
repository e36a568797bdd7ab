import BridgeCore
import BridgeMocks
@testable import BridgePipeline
import BridgeServer
@testable import BridgeStore
import Foundation
import GRDB
import Logging
import Testing

@Suite("Erasure and retention", .serialized)
struct ErasureRetentionTests {
    /// Every text and blob column of every table except the sealed ones.
    static func everyStoredText(_ store: SQLiteStore) async throws -> [String] {
        try await store.pool.read { db in
            var texts: [String] = []
            for table in try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'") {
                for row in try Row.fetchAll(db, sql: "SELECT * FROM \(table)") {
                    for column in row.columnNames where column != "sealed" {
                        switch (row[column] as DatabaseValue).storage {
                        case .string(let text): texts.append(text)
                        case .blob(let data):
                            // Typed records hold digests as raw bytes: search their hex too.
                            texts.append(String(decoding: data, as: UTF8.self))
                            texts.append(HexText.lowercase(data))
                        default: break
                        }
                    }
                }
            }
            return texts
        }
    }

    @Test("erasure by email removes the person's events, deliveries and index entries, and audits it with digests only")
    func erasureLeavesNothingBehind() async throws {
        let harness = try await PipelineHarness()
        // Given two purchases by Zoe and one by someone else, prepared and one delivered
        try await harness.post([
            PipelineHarness.purchase("sale:e:1", email: "Zoe.Erase@Example.com"),
            PipelineHarness.purchase("sale:e:2", email: "zoe.erase@example.com "),
            PipelineHarness.purchase("sale:e:3", email: "other@example.com"),
        ])
        try await harness.prepareAll()
        _ = try await harness.deliverUntil { try await harness.states()["delivered"] == 3 }
        let zoeHash = IdentifierHasher.sha256Hex("zoe.erase@example.com")
        #expect(try await Self.everyStoredText(harness.store).contains { $0.contains(zoeHash) }, "delivered payloads hold her hashed email")
        // When she asks to be erased
        let report = try await harness.runtime.components.erasure.erase(.init(email: " ZOE.ERASE@example.com"))
        // Then both of her events and their deliveries are gone, the other remains
        #expect(Set(report.result.eventIDs) == ["sale:e:1", "sale:e:2"])
        #expect(report.result.sentDeliveries == 2)
        #expect(try await harness.store.countEventsUntyped() == ["events-api": 1])
        let texts = try await Self.everyStoredText(harness.store)
        #expect(!texts.contains { $0.contains(zoeHash) })
        #expect(!texts.contains { $0.lowercased().contains("zoe.erase") })
        let keyed = try await harness.store.pool.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM events WHERE erasure_keys IS NOT NULL") ?? -1
        }
        #expect(keyed == 1, "the other buyer's event stays findable for her own erasure")
        // And the audit chain has an erasure entry with keyed digests, never the address
        let lines = try harness.auditFiles().flatMap(\.lines)
        let erasure = try #require(lines.first { $0.contains("\"type\":\"erasure\"") })
        #expect(erasure.contains("hmac-sha256:"))
        #expect(!erasure.lowercased().contains("zoe"))
        #expect(AuditVerifier().verify(files: try harness.auditFiles()).passed)
        // Erasing again finds nothing
        let again = try await harness.runtime.components.erasure.erase(.init(email: "zoe.erase@example.com"))
        #expect(again.result.eventIDs.isEmpty)
        await harness.close()
    }

    @Test("an erasure request without a usable identifier is refused", arguments: [
        ErasureService.Subject(), ErasureService.Subject(email: "   "), ErasureService.Subject(email: "not-an-email"),
    ])
    func refusesEmptyErasure(subject: ErasureService.Subject) async throws {
        let harness = try await PipelineHarness()
        await #expect(throws: ErasureService.Failure.self) { try await harness.runtime.components.erasure.erase(subject) }
        await harness.close()
    }

    @Test("past the retention limit, undelivered events lose their sealed identifiers and are dead-lettered as expired")
    func retentionExpiry() async throws {
        let harness = try await PipelineHarness()
        // Given a purchase prepared but never delivered (Meta is down), and an old audit file
        try await harness.post([PipelineHarness.purchase("sale:r:1"), PipelineHarness.purchase("sale:r:2")])
        try await harness.prepareAll()
        try FileManager.default.createDirectory(at: harness.auditDirectory, withIntermediateDirectories: true)
        try "{}\n".write(to: harness.auditDirectory.appendingPathComponent("audit-2024-01-01.jsonl"), atomically: true, encoding: .utf8)
        // When the sweep runs eight days later
        let later = Timestamp.now().advanced(by: .seconds(8 * 86_400))
        let service = RetentionService(
            store: harness.store, policy: RetentionPolicy(), auditDirectory: harness.auditDirectory, interval: .seconds(600),
            logger: Logger(label: "test"), now: { later })
        let (result, deleted) = try await service.sweep()
        // Then the deliveries are dead letters coded "expired", nothing sealed is left, the old audit file is gone
        #expect(result.deliveriesExpired == 2)
        #expect(try await harness.states() == ["dead": 2])
        let letters = try await harness.store.deadLetters(DeadLetterFilter(code: "expired"), limit: 10)
        #expect(letters.count == 2)
        let sealed = try await harness.store.pool.read { db in
            try Int.fetchOne(db, sql: "SELECT (SELECT COUNT(*) FROM events WHERE sealed IS NOT NULL) + (SELECT COUNT(*) FROM deliveries WHERE sealed IS NOT NULL)") ?? -1
        }
        #expect(sealed == 0)
        #expect(deleted == ["audit-2024-01-01.jsonl"])
        #expect(harness.mock.requestCount == 0)
        await harness.close()
    }
}

extension EventStore {
    func countEventsUntyped() async throws -> [String: Int] { try await countEvents() }
}
