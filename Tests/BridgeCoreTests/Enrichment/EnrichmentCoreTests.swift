import BridgeCore
import Testing

@Suite("Enrichment helpers")
struct EnrichmentCoreTests {
    let t0 = Timestamp(millisecondsSinceEpoch: 1_700_000_000_000)

    @Test("LRU cache evicts the least recently used entry")
    func lruEviction() {
        var cache = LRUCache<String, Int>(capacity: 2, timeToLive: .seconds(60))
        cache.insert(1, for: "a", now: t0)
        cache.insert(2, for: "b", now: t0)
        #expect(cache.value(for: "a", now: t0) == 1)  // a is now the most recent
        cache.insert(3, for: "c", now: t0)
        #expect(cache.value(for: "b", now: t0) == nil)
        #expect(cache.value(for: "a", now: t0) == 1)
        #expect(cache.value(for: "c", now: t0) == 3)
        #expect(cache.count == 2)
    }

    @Test("LRU cache entries expire after their time to live; a re-insert renews them")
    func lruExpiry() {
        var cache = LRUCache<String, Int>(capacity: 10, timeToLive: .seconds(60))
        cache.insert(1, for: "a", now: t0)
        #expect(cache.value(for: "a", now: t0.advanced(by: .seconds(59))) == 1)
        #expect(cache.value(for: "a", now: t0.advanced(by: .seconds(60))) == nil)
        #expect(cache.count == 0)
        cache.insert(2, for: "a", now: t0)
        cache.insert(3, for: "a", now: t0.advanced(by: .seconds(50)))
        #expect(cache.value(for: "a", now: t0.advanced(by: .seconds(100))) == 3)
    }

    @Test("LRU cache stays consistent through many inserts and evictions")
    func lruChurn() {
        var cache = LRUCache<Int, Int>(capacity: 50, timeToLive: .seconds(60))
        for i in 0..<1000 {
            cache.insert(i, for: i, now: t0)
            if i % 3 == 0 { _ = cache.value(for: i / 2, now: t0) }
            if i % 7 == 0 { cache.removeValue(for: i - 1) }
        }
        #expect(cache.count <= 50)
        for i in 950..<1000 where i % 7 != 6 { #expect(cache.value(for: i, now: t0) == i) }
    }

    @Test("link digests are SHA-256 of the Meta normalization (the erasure contract)")
    func linkDigests() {
        #expect(IdentityDigests.linkDigest(.email, raw: "John_Smith@gmail.com", region: nil) == "62a14e44f765419d10fea99367361a727c12365e2520f32218d505ed9aa0f62f")
        #expect(IdentityDigests.linkDigest(.phone, raw: "(650)555-1212", region: "US") == "e323ec626319ca94ee8bff2e4c87cf613be6ea19919ed1364124e16807ab3176")
        #expect(IdentityDigests.linkDigest(.phone, raw: "(650)555-1212", region: nil) == nil)
        #expect(IdentityDigests.linkDigest(.externalID, raw: " user_123 ", region: nil) == IdentifierHasher.sha256Hex("user_123"))
    }

    @Test("an observation holds digests only: link keys strongest first, attributes per platform")
    func observation() throws {
        var client = ClientContext()
        client[clickID: .gclid] = " G-1 "
        let event = ConversionEvent(
            eventID: "e", eventName: .purchase, eventTime: t0, source: "s",
            customer: CustomerIdentifiers([.email: "A@b.com", .phone: "+1 650 555 1212", .externalID: "c-1", .city: "New York"]), client: client)
        let observation = try #require(IdentityDigests.observation(of: event, defaultRegion: nil, platforms: [.meta, .google]))
        #expect(observation.keys.map(\.kind) == ["external_id", "email", "phone", "gclid"])
        #expect(observation.keys.last?.digest == IdentifierHasher.sha256Hex("G-1"))
        let kinds = Set(observation.attributes.map(\.kind))
        #expect(kinds.contains("city@meta"))
        #expect(!kinds.contains("city@google"), "Google takes the city in clear: never filled from a digest")
        #expect(!kinds.contains("external_id@google"))
        #expect(observation.attributes.allSatisfy { IdentifierHasher.isLowercaseSHA256Hex($0.digest) })
        #expect(!"\(observation.keys)".contains(observation.keys[0].digest), "descriptions are redacted")
    }

    @Test("enrichment attribution round-trips and skips empty sets")
    func attribution() {
        let text = EnrichmentAttribution.encode(["graph": IdentifierSet([.phone]), "clicks": IdentifierSet([.fbc]), "none": IdentifierSet()])
        #expect(text == "clicks=16384;graph=2")
        #expect(EnrichmentAttribution.decode(text ?? "") == ["graph": IdentifierSet([.phone]), "clicks": IdentifierSet([.fbc])])
        #expect(EnrichmentAttribution.encode([:]) == nil)
        #expect(EnrichmentAttribution.decode("x=;=5;ok=1;bad") == ["ok": IdentifierSet([.email])])
    }
}
