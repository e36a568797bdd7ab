import BridgeCore
@testable import BridgePipeline
@testable import BridgeStore
import Foundation
import GRDB
import Testing

@Suite("Identity graph (SQLite)", .serialized)
struct IdentityGraphTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("capi-graph-\(UUID().uuidString)")

    func withStore(_ body: (SQLiteStore) async throws -> Void) async throws {
        let store = try SQLiteStore(path: directory.appendingPathComponent("graph.sqlite").path)
        do { try await body(store) } catch {
            await store.close()
            try? FileManager.default.removeItem(at: directory)
            throw error
        }
        await store.close()
        try? FileManager.default.removeItem(at: directory)
    }

    func provider(_ store: SQLiteStore) -> IdentityGraphProvider {
        IdentityGraphProvider(name: "graph", store: store, platforms: [.meta, .tiktok], defaultRegion: "US", logger: EnrichmentFixtures.logger)
    }

    @Test("fills what a later event of the same person lacks, as each platform hashes it")
    func fillsAcrossEvents() async throws {
        try await withStore { store in
            let graph = provider(store)
            let chain = EnrichmentChain(providers: [graph], budget: .seconds(60), logger: EnrichmentFixtures.logger)
            // Given a first event with e-mail, phone and names
            let first = await chain.enrich(
                EnrichmentFixtures.event(
                    "sale:1", customer: [.email: "Ann@Example.com", .phone: "(650) 555-0101", .firstName: "Ann", .lastName: "O'Neil", .externalID: "c-1"]))
            #expect(first.added.isEmpty)
            let observation = try #require(first.identityObservation)
            try await store.learnIdentities([observation])
            // When a later event carries only the external id
            let later = await chain.enrich(EnrichmentFixtures.event("sale:2", customer: [.externalID: " c-1 "]))
            // Then e-mail, phone and names are filled, with each platform's own digests
            #expect(later.added == IdentifierSet([.email, .phone, .firstName, .lastName]))
            for platform in [Platform.meta, .tiktok] {
                let prepared = IdentifierPreparer.prepare(customer: later.event(for: platform).customer, client: ClientContext(), for: platform, defaultRegion: "US")
                #expect(prepared[.phone]?.wireValue == IdentifierPreparer.prepare(.phone, "(650) 555-0101", for: platform, region: "US").value?.wireValue)
                #expect(prepared[.email]?.wireValue == IdentifierPreparer.prepare(.email, "Ann@Example.com", for: platform, region: "US").value?.wireValue)
            }
            #expect(later.event.customer[.email] == nil, "raw values are never made up: only digests are filled")
        }
    }

    @Test("an event joining two people's identifiers merges them; a shared click id does not")
    func merging() async throws {
        try await withStore { store in
            func observe(_ customer: [CustomerField: String], click: String? = nil) -> IdentityObservation? {
                var client = ClientContext()
                if let click { client[clickID: .gclid] = PersonalData(click) }
                return IdentityDigests.observation(of: EnrichmentFixtures.event(customer: customer, client: client), defaultRegion: "US", platforms: [.meta])
            }
            try await store.learnIdentities(
                [
                    observe([.email: "a@example.com", .firstName: "Ann"]), observe([.phone: "+16505550101", .lastName: "Lee"], click: "G-shared"),
                    observe([.email: "z@example.com", .firstName: "Zed"], click: "G-shared"),
                ].compactMap { $0 })
            // z@ did not join the phone's person through the shared click id
            let zed = try await store.identityProfile(for: IdentityDigests.linkKeys(customer: CustomerIdentifiers([.email: "z@example.com"]), client: ClientContext(), region: nil))
            #expect(zed?.attributes["last_name@meta"] == nil)
            // An event with a@ and the phone merges those two people
            try await store.learnIdentities([observe([.email: "a@example.com", .phone: "+16505550101"])!])
            let merged = try await store.identityProfile(
                for: IdentityDigests.linkKeys(customer: CustomerIdentifiers([.phone: "+16505550101"]), client: ClientContext(), region: nil))
            #expect(merged?.attributes["first_name@meta"] != nil)
            #expect(merged?.attributes["last_name@meta"] != nil)
        }
    }

    @Test("stores digests only, and erasure removes every entry of the person")
    func digestsOnlyAndErasure() async throws {
        try await withStore { store in
            let event = EnrichmentFixtures.event(customer: [.email: "ann@example.com", .phone: "+16505550101", .externalID: "c-1", .firstName: "Ann"])
            let other = EnrichmentFixtures.event(customer: [.email: "bob@example.com", .firstName: "Bob"])
            let observations = [event, other].compactMap { IdentityDigests.observation(of: $0, defaultRegion: "US", platforms: [.meta, .tiktok]) }
            try await store.learnIdentities(observations)
            let rows: [Row] = try store.pool.read { db in
                try Row.fetchAll(db, sql: "SELECT kind, digest FROM identity_keys UNION ALL SELECT kind, digest FROM identity_attributes")
            }
            #expect(!rows.isEmpty)
            for row in rows { #expect(IdentifierHasher.isLowercaseSHA256Hex(row["digest"] as String)) }
            // When erasure is given the person's e-mail digest (Meta normalization)
            let digest = try #require(IdentityDigests.linkDigest(.email, raw: "Ann@Example.com ", region: nil))
            let deleted = try await store.eraseIdentityGraph(digests: [digest.uppercased()])
            // Then every key and attribute of that person is gone, the other person's stay
            // 3 keys (email, phone, external id) + 8 attributes (email, phone, first name, external id, each for meta and tiktok)
            #expect(deleted == 3 + 8)
            let remaining = try await store.pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM identity_keys") ?? -1 }
            #expect(remaining == 1)
            let gone = try await store.identityProfile(
                for: IdentityDigests.linkKeys(customer: CustomerIdentifiers([.externalID: "c-1"]), client: ClientContext(), region: nil))
            #expect(gone == nil)
            #expect(try await store.eraseIdentityGraph(digests: [digest]) == 0)
        }
    }
}
