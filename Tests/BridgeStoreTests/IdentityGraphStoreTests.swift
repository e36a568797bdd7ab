import BridgeCore
import BridgeStore
import Foundation
import Testing

/// The identity graph's storage (`IdentityGraphStore`), run against every
/// available store: the same observations give the same people, lookups and
/// erasures on SQLite and PostgreSQL.
@Suite("Identity graph store")
struct IdentityGraphStoreTests: StoreTestCase {
    let sealer = IdentifierSealer.ephemeral()
    let t0 = Timestamp(secondsSinceEpoch: 1_767_300_000)

    func at(_ seconds: Int64) -> Timestamp { t0.advanced(by: .seconds(seconds)) }

    /// A link key whose digest is the SHA-256 of `value` (the graph never sees raw values).
    func key(_ kind: String, _ value: String) -> IdentityLinkKey {
        IdentityLinkKey(kind: kind, digest: IdentifierHasher.sha256Hex(value))
    }

    func attribute(_ kind: String, _ value: String) -> IdentityAttribute {
        IdentityAttribute(kind: kind, digest: IdentifierHasher.sha256Hex(value))
    }

    func observe(_ keys: [IdentityLinkKey], _ attributes: [IdentityAttribute] = [], at seconds: Int64 = 0) -> IdentityObservation {
        IdentityObservation(keys: keys, attributes: attributes, seenAt: at(seconds))
    }

    /// Runs `body` with the store of `kind` as an `IdentityGraphStore`.
    func withGraph(_ kind: StoreKind, _ body: (any IdentityGraphStore) async throws -> Void) async throws {
        try await withStore(kind) { store in
            try await body(store)
        }
    }

    @Test("keys seen together make one person, found by any of them, with its attributes", arguments: StoreKind.available)
    func learnAndLookUp(_ kind: StoreKind) async throws {
        try await withGraph(kind) { graph in
            // Given one event with an e-mail and a phone
            try await graph.learnIdentities([
                observe([key("email", "ann@example.com"), key("phone", "16505550101")], [attribute("email@meta", "e"), attribute("first_name@meta", "f")])
            ])
            // When either key is looked up, the same person answers with both attributes
            let byPhone = try await graph.identityProfile(for: [key("phone", "16505550101")])
            let byEmail = try await graph.identityProfile(for: [key("email", "ann@example.com"), key("external_id", "unknown")])
            #expect(byPhone?.attributes == ["email@meta": IdentifierHasher.sha256Hex("e"), "first_name@meta": IdentifierHasher.sha256Hex("f")])
            #expect(byEmail != nil && byEmail == byPhone)
            // And unknown keys, or none, find nobody
            let unknown = try await graph.identityProfile(for: [key("email", "bob@example.com")])
            let none = try await graph.identityProfile(for: [])
            #expect(unknown == nil && none == nil)
            // And learning nothing changes nothing
            try await graph.learnIdentities([])
            try await graph.learnIdentities([observe([], [attribute("email@meta", "orphan")])])
            let again = try await graph.identityProfile(for: [key("phone", "16505550101")])
            #expect(again == byPhone)
        }
    }

    @Test("a lookup uses an event's e-mail, phone or external id; its click ids only when it has none", arguments: StoreKind.available)
    func lookupStrength(_ kind: StoreKind) async throws {
        try await withGraph(kind) { graph in
            // Given a person known by an e-mail and a click id
            try await graph.learnIdentities([observe([key("email", "ann@example.com"), key("gclid", "G-1")], [attribute("first_name@meta", "ann")])])
            // Then an event with another e-mail and the same click id is not filled from her
            let otherCustomer = try await graph.identityProfile(for: [key("email", "bob@example.com"), key("gclid", "G-1")])
            #expect(otherCustomer == nil)
            // But an event with only the click id is, and so is one with her e-mail
            let clickOnly = try await graph.identityProfile(for: [key("gclid", "G-1")])
            let strong = try await graph.identityProfile(for: [key("gclid", "G-2"), key("external_id", "c-9"), key("email", "ann@example.com")])
            #expect(clickOnly?.attributes["first_name@meta"] == IdentifierHasher.sha256Hex("ann"))
            #expect(strong == clickOnly)
        }
    }

    @Test("an event joining two people's strong keys merges them; a shared click id never does", arguments: StoreKind.available)
    func merging(_ kind: StoreKind) async throws {
        try await withGraph(kind) { graph in
            // Given Ann (e-mail), a phone's owner (phone and a click id), and Zed sharing that click id
            try await graph.learnIdentities([
                observe([key("email", "a@example.com")], [attribute("first_name@meta", "ann")], at: 1),
                observe([key("phone", "16505550101"), key("gclid", "G-shared")], [attribute("last_name@meta", "lee")], at: 2),
                observe([key("email", "z@example.com"), key("gclid", "G-shared")], [attribute("first_name@meta", "zed")], at: 3),
            ])
            // Then Zed did not join the phone's person through the click id, nor did the click id move to him
            let zed = try await graph.identityProfile(for: [key("email", "z@example.com")])
            let phoneOwner = try await graph.identityProfile(for: [key("phone", "16505550101")])
            let click = try await graph.identityProfile(for: [key("gclid", "G-shared")])
            #expect(zed?.attributes == ["first_name@meta": IdentifierHasher.sha256Hex("zed")])
            #expect(phoneOwner?.person != zed?.person)
            #expect(click?.person == phoneOwner?.person)
            // When an event carries Ann's e-mail and the phone
            try await graph.learnIdentities([observe([key("email", "a@example.com"), key("phone", "16505550101")], at: 4)])
            // Then they are one person with both people's attributes, the click id included
            let merged = try await graph.identityProfile(for: [key("phone", "16505550101")])
            let ann = try await graph.identityProfile(for: [key("email", "a@example.com")])
            let clickAfter = try await graph.identityProfile(for: [key("gclid", "G-shared")])
            #expect(merged?.attributes == ["first_name@meta": IdentifierHasher.sha256Hex("ann"), "last_name@meta": IdentifierHasher.sha256Hex("lee")])
            #expect(ann == merged && clickAfter == merged)
        }
    }

    @Test("newer attributes replace older ones, also across a merge; older ones never replace newer", arguments: StoreKind.available)
    func attributeAge(_ kind: StoreKind) async throws {
        try await withGraph(kind) { graph in
            let email = key("email", "a@example.com")
            let phone = key("phone", "16505550101")
            // Given Ann's first name seen at 10, then an older observation at 5
            try await graph.learnIdentities([observe([email], [attribute("first_name@meta", "new")], at: 10)])
            try await graph.learnIdentities([observe([email], [attribute("first_name@meta", "old")], at: 5)])
            let kept = try await graph.identityProfile(for: [email])
            #expect(kept?.attributes["first_name@meta"] == IdentifierHasher.sha256Hex("new"))
            // And one at the same time replaces it (the last one learned wins)
            try await graph.learnIdentities([observe([email], [attribute("first_name@meta", "same-time"), attribute("first_name@meta", "last")], at: 10)])
            let replaced = try await graph.identityProfile(for: [email])
            #expect(replaced?.attributes["first_name@meta"] == IdentifierHasher.sha256Hex("last"))
            // When another person, seen later with another first name, is merged in
            try await graph.learnIdentities([observe([phone], [attribute("first_name@meta", "later"), attribute("city@meta", "x")], at: 20)])
            try await graph.learnIdentities([observe([email, phone], at: 15)])
            // Then the newer attribute wins, whichever person held it
            let merged = try await graph.identityProfile(for: [email])
            #expect(merged?.attributes == ["first_name@meta": IdentifierHasher.sha256Hex("later"), "city@meta": IdentifierHasher.sha256Hex("x")])
        }
    }

    @Test("people merged by one event are taken oldest first, in one batch as across batches", arguments: StoreKind.available)
    func mergeOrder(_ kind: StoreKind) async throws {
        try await withGraph(kind) { graph in
            // Given Ann (by external id: her person decides), then Bob and Cid, whose first names were seen at the same, later time
            func person(_ prefix: String, _ name: String) -> IdentityLinkKey { key(name == "ann" ? "external_id" : "email", prefix + name) }
            func people(_ prefix: String) -> [IdentityObservation] {
                [("ann", 5), ("bob", 7), ("cid", 7)].map { name, seconds in
                    observe([person(prefix, name)], [attribute("first_name@meta", name)], at: seconds)
                }
            }
            func joining(_ prefix: String) -> IdentityObservation {
                observe(["ann", "bob", "cid"].map { person(prefix, $0) }, at: 9)
            }
            // When one event joins all three, learned in the same batch as them
            try await graph.learnIdentities(people("batch-") + [joining("batch-")])
            // And, elsewhere, the same events learned one by one
            for observation in people("single-") + [joining("single-")] { try await graph.learnIdentities([observation]) }
            // Then Bob, merged first, gives the name; Cid's, no newer, does not replace it
            for prefix in ["batch-", "single-"] {
                let merged = try await graph.identityProfile(for: [person(prefix, "cid")])
                #expect(merged?.attributes["first_name@meta"] == IdentifierHasher.sha256Hex("bob"), "\(prefix)")
            }
        }
    }

    @Test("a person holds at most 32 keys: no more are attached, and no merge goes beyond", arguments: StoreKind.available)
    func keyLimit(_ kind: StoreKind) async throws {
        try await withGraph(kind) { graph in
            // Given an event with an e-mail and 40 click ids (a shared device)
            let clicks = (0..<40).map { key("gclid", "G-\($0)") }
            try await graph.learnIdentities([observe([key("email", "a@example.com")] + clicks, [attribute("first_name@meta", "ann")])])
            // Then the e-mail and the first 31 click ids (in key order) are attached, the rest are not
            var attached: [IdentityLinkKey] = []
            for click in clicks.sorted() {
                let profile = try await graph.identityProfile(for: [click])
                if profile != nil { attached.append(click) }
            }
            #expect(attached == Array(clicks.sorted().prefix(IdentityGraphLimits.maxKeysPerPerson - 1)))
            // And a person with a phone and two click ids is not merged into her full person
            try await graph.learnIdentities([observe([key("phone", "16505550101"), key("gclid", "other-1"), key("gclid", "other-2")])])
            try await graph.learnIdentities([observe([key("email", "a@example.com"), key("phone", "16505550101")])])
            let ann = try await graph.identityProfile(for: [key("email", "a@example.com")])
            let phoneOwner = try await graph.identityProfile(for: [key("phone", "16505550101")])
            #expect(ann != nil && phoneOwner != nil && ann?.person != phoneOwner?.person)
        }
    }

    @Test("erasure deletes every key and attribute of each person a digest belongs to, and nobody else's", arguments: StoreKind.available)
    func erasure(_ kind: StoreKind) async throws {
        try await withGraph(kind) { graph in
            // Given Ann (e-mail, phone, external id; four attributes) and Bob (e-mail; one attribute)
            let ann = [key("email", "ann@example.com"), key("phone", "16505550101"), key("external_id", "c-1")]
            let bob = key("email", "bob@example.com")
            try await graph.learnIdentities([
                observe(ann, ["email@meta", "phone@meta", "first_name@meta", "external_id@meta"].map { attribute($0, "ann-\($0)") }),
                observe([bob], [attribute("email@tiktok", "bob-email")]),
            ])
            // When erasure is given Ann's e-mail digest (in capitals)
            let deleted = try await graph.eraseIdentityGraph(digests: [IdentifierHasher.sha256Hex("ann@example.com").uppercased()])
            // Then her 3 keys and 4 attributes are gone, and Bob stays
            #expect(deleted == 3 + 4)
            for annKey in ann {
                let profile = try await graph.identityProfile(for: [annKey])
                #expect(profile == nil)
            }
            let bobProfile = try await graph.identityProfile(for: [bob])
            #expect(bobProfile?.attributes.count == 1)
            // And erasing her again, or nothing, deletes nothing
            let again = try await graph.eraseIdentityGraph(digests: [IdentifierHasher.sha256Hex("ann@example.com")])
            let nothing = try await graph.eraseIdentityGraph(digests: [])
            #expect(again == 0 && nothing == 0)
            // And a digest held as an attribute finds its person too
            let byAttribute = try await graph.eraseIdentityGraph(digests: [IdentifierHasher.sha256Hex("bob-email")])
            #expect(byAttribute == 2)
            let bobAfter = try await graph.identityProfile(for: [bob])
            #expect(bobAfter == nil)
        }
    }

    @Test("preparation learns each finished event's observation with its deliveries; an event whose lease was lost teaches nothing", arguments: StoreKind.available)
    func learnsInPreparation(_ kind: StoreKind) async throws {
        try await withStore(kind) { store in
            let graph: any IdentityGraphStore = store
            // Given two events claimed by A
            _ = try await store.ingest(request([purchase("sale:1"), purchase("sale:2")], keys: ["w1"]))
            let claimed = try await store.claimForPreparation(limit: 10, owner: "A", leaseUntil: at(30), now: t0)
            #expect(claimed.count == 2)
            let ann = observe([key("email", "ann@example.com")], [attribute("first_name@meta", "ann")])
            let bob = observe([key("email", "bob@example.com")], [attribute("first_name@meta", "bob")])
            // When B, who holds no lease, records the first event, the graph learns nothing
            try await store.recordPreparation(
                [PreparedEvent(eventSequence: claimed[0].sequence, deliveries: [pending("meta")], identityObservation: ann)], owner: "B", now: t0)
            let notLearned = try await graph.identityProfile(for: ann.keys)
            #expect(notLearned == nil)
            // When A records both, with the deliveries
            try await store.recordPreparation(
                [
                    PreparedEvent(eventSequence: claimed[0].sequence, deliveries: [pending("meta")], identityObservation: ann),
                    PreparedEvent(eventSequence: claimed[1].sequence, deliveries: [pending("meta")], identityObservation: bob),
                ], owner: "A", now: t0)
            // Then both people are known, as two people
            let annProfile = try await graph.identityProfile(for: ann.keys)
            let bobProfile = try await graph.identityProfile(for: bob.keys)
            #expect(annProfile?.attributes["first_name@meta"] == IdentifierHasher.sha256Hex("ann"))
            #expect(bobProfile?.attributes["first_name@meta"] == IdentifierHasher.sha256Hex("bob"))
            #expect(annProfile?.person != bobProfile?.person)
            #expect(try await store.queueStats(now: t0)["meta"]?.pending == 2)
        }
    }

    @Test("two store instances learning a chain of linked keys at once make one person of it", arguments: StoreKind.available)
    func concurrentLearners(_ kind: StoreKind) async throws {
        try await withFixture(kind) { fixture in
            // Given two instances on one database
            let first = try await fixture.open()
            let second = try await fixture.open()
            let graphs: [any IdentityGraphStore] = [first, second]
            // When 23 events, each linking e-mail i to e-mail i + 1, are learned at once, alternating instances
            let emails = (0..<24).map { key("email", "person-\($0)@example.com") }
            do {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for index in 0..<(emails.count - 1) {
                        let observation = observe([emails[index], emails[index + 1]], [attribute("note_\(index)@test", "\(index)")], at: Int64(index))
                        let graph = graphs[index % 2]
                        group.addTask { try await graph.learnIdentities([observation]) }
                    }
                    try await group.waitForAll()
                }
            } catch {
                await first.close()
                await second.close()
                throw error
            }
            // Then every e-mail finds the same person, holding every event's attribute
            var people = Set<Int64>()
            var attributeCounts = Set<Int>()
            for email in emails {
                let profile = try await graphs[0].identityProfile(for: [email])
                people.insert(profile?.person ?? -1)
                attributeCounts.insert(profile?.attributes.count ?? -1)
            }
            await first.close()
            await second.close()
            #expect(people.count == 1 && !people.contains(-1))
            #expect(attributeCounts == [emails.count - 1])
        }
    }

    /// 300 observations over a small universe of keys (so people meet,
    /// merge, share click ids and hit the 32-key limit), with attributes
    /// seen at a few times (so newer, older and equal times all occur).
    func randomObservations(seed: UInt64) -> (observations: [IdentityObservation], keys: [IdentityLinkKey]) {
        var random = SeededGenerator(seed: seed)
        let strong = (0..<12).map { key("email", "e\($0)") } + (0..<8).map { key("phone", "p\($0)") } + (0..<4).map { key("external_id", "x\($0)") }
        let weak = (0..<40).map { key($0 % 2 == 0 ? "gclid" : "fbc", "c\($0)") }
        let kinds = ["email@meta", "phone@meta", "first_name@meta", "city@tiktok"]
        var observations: [IdentityObservation] = []
        for _ in 0..<300 {
            var keys: [IdentityLinkKey] = []
            for _ in 0..<Int.random(in: 0...2, using: &random) { keys.append(strong.randomElement(using: &random)!) }
            let clicks = Int.random(in: 0..<20, using: &random) == 0 ? 14 : Int.random(in: 0...2, using: &random)
            for _ in 0..<clicks { keys.append(weak.randomElement(using: &random)!) }
            let attributes = (0..<Int.random(in: 0...3, using: &random)).map { _ in
                attribute(kinds.randomElement(using: &random)!, "v\(Int.random(in: 0..<6, using: &random))")
            }
            observations.append(observe(keys, attributes, at: Int64.random(in: 0..<30, using: &random)))
        }
        return (observations, strong + weak)
    }

    /// The graph as seen through lookups of each of `keys` alone: which keys
    /// share a person, and that person's attributes (person numbers left out).
    func describe(_ graph: any IdentityGraphStore, keys: [IdentityLinkKey]) async throws -> Set<String> {
        var members: [Int64: [String]] = [:]
        var attributes: [Int64: String] = [:]
        for key in keys {
            guard let profile = try await graph.identityProfile(for: [key]) else { continue }
            members[profile.person, default: []].append("\(key.kind):\(key.digest.prefix(8))")
            attributes[profile.person] = profile.attributes.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.prefix(8))" }.joined(separator: ",")
        }
        return Set(members.map { person, keys in keys.sorted().joined(separator: " ") + " | " + (attributes[person] ?? "") })
    }

    @Test("learning observations in one batch or one at a time gives the same graph", arguments: StoreKind.available)
    func batchEqualsOneByOne(_ kind: StoreKind) async throws {
        let (observations, keys) = randomObservations(seed: 3)
        var graphs: [Set<String>] = []
        for oneByOne in [false, true] {
            try await withGraph(kind) { graph in
                if oneByOne {
                    for observation in observations { try await graph.learnIdentities([observation]) }
                } else {
                    try await graph.learnIdentities(observations)
                }
                graphs.append(try await describe(graph, keys: keys))
            }
        }
        #expect(graphs.count == 2 && graphs[0] == graphs[1])
        #expect(graphs[0].count > 3, "the observations should leave several people")
    }

    @Test("SQLite and PostgreSQL learn the same graph from the same observations", .enabled(if: StoreKind.postgresURL != nil))
    func backendsAgree() async throws {
        for seed: UInt64 in [5, 6] {
            let (observations, keys) = randomObservations(seed: seed)
            var graphs: [Set<String>] = []
            for kind in [StoreKind.sqlite, .postgres] {
                try await withGraph(kind) { graph in
                    // In batches of varying size, as preparation would learn them
                    var random = SeededGenerator(seed: seed)
                    var rest = observations[...]
                    while !rest.isEmpty {
                        let size = Int.random(in: 1...40, using: &random)
                        try await graph.learnIdentities(Array(rest.prefix(size)))
                        rest = rest.dropFirst(size)
                    }
                    graphs.append(try await describe(graph, keys: keys))
                }
            }
            #expect(graphs.count == 2 && graphs[0] == graphs[1], "seed \(seed)")
        }
    }
}
