import BridgeCore
@testable import BridgePipeline
import Testing

@Suite("Enrichment chain")
struct EnrichmentChainTests {
    @Test("never overwrites: the backend's values win, then the first provider to fill a field")
    func neverOverwrites() async {
        let first = StubProvider(name: "first") { _ in EnrichmentContribution(customer: [.email: "other@example.com", .phone: "+16505550101"]) }
        let second = StubProvider(name: "second") { _ in
            EnrichmentContribution(customer: [.phone: "+16505550199", .lastName: "Stone"], clickIDs: [.gclid: "G-1"])
        }
        let chain = EnrichmentChain(providers: [first, second], budget: .seconds(60), logger: EnrichmentFixtures.logger)
        let result = await chain.enrich(EnrichmentFixtures.event(customer: [.email: "b@example.com"]))
        #expect(result.event.customer[.email]?.rawValue == "b@example.com")
        #expect(result.event.customer[.phone]?.rawValue == "+16505550101")
        #expect(result.event.customer[.lastName]?.rawValue == "Stone")
        #expect(result.event.client[clickID: .gclid]?.rawValue == "G-1")
        #expect(result.addedByProvider == ["first": IdentifierSet([.phone]), "second": IdentifierSet([.lastName, .gclid])])
        #expect(result.added == IdentifierSet([.phone, .lastName, .gclid]))
    }

    @Test("a later provider sees what earlier ones added")
    func draftsAccumulate() async {
        let clicks = ClickIDProvider(name: "clicks")
        let seen = StubProvider(name: "check") { draft in
            EnrichmentContribution(customer: draft.event.client[clickID: .fbc] != nil ? [.lastName: "seen"] : [:])
        }
        var client = ClientContext()
        client.landingURL = "https://shop.example.com/p?fbclid=AbC"
        let result = await EnrichmentChain(providers: [clicks, seen], budget: .seconds(60), logger: EnrichmentFixtures.logger)
            .enrich(EnrichmentFixtures.event(client: client))
        #expect(result.addedByProvider["clicks"] == IdentifierSet([.fbclid, .fbc]))
        #expect(result.addedByProvider["check"] == IdentifierSet([.lastName]))
        #expect(result.event.client[clickID: .fbc]?.rawValue == "fb.1.\(EnrichmentFixtures.eventTime.millisecondsSinceEpoch).AbC")
    }

    @Test("a provider that does not answer is abandoned at the budget; the event is intact")
    func budget() async {
        let stuck = StubProvider(name: "stuck", delay: .seconds(60)) { _ in EnrichmentContribution(customer: [.phone: "+16505550101"]) }
        let chain = EnrichmentChain(providers: [stuck], budget: .milliseconds(100), logger: EnrichmentFixtures.logger)
        let event = EnrichmentFixtures.event(customer: [.email: "b@example.com"])
        let start = ContinuousClock.now
        let result = await chain.enrich(event)
        // Well below the provider's 60 s. Loose on purpose: with the whole suite
        // running in parallel on two cores, timers fire late (13 s seen once).
        #expect(ContinuousClock.now - start < .seconds(40))
        #expect(result.event == event)
        #expect(result.added.isEmpty)
    }

    @Test("digests are per platform: each destination gets its own, or nothing")
    func digestsPerPlatform() async {
        let meta = IdentifierPreparer.prepare(.phone, "+1 650 555 0101", for: .meta, region: nil).value?.wireValue ?? ""
        let tiktok = IdentifierPreparer.prepare(.phone, "+1 650 555 0101", for: .tiktok, region: nil).value?.wireValue ?? ""
        let graph = StubProvider(name: "graph") { _ in EnrichmentContribution(digests: [.phone: [.meta: meta, .tiktok: tiktok]]) }
        let result = await EnrichmentChain(providers: [graph], budget: .seconds(60), logger: EnrichmentFixtures.logger)
            .enrich(EnrichmentFixtures.event(customer: [.email: "b@example.com"]))
        #expect(result.added == IdentifierSet([.phone]))
        #expect(meta != tiktok)
        let forMeta = IdentifierPreparer.prepare(customer: result.event(for: .meta).customer, client: ClientContext(), for: .meta, defaultRegion: nil)
        #expect(forMeta[.phone]?.wireValue == meta)
        let forTikTok = IdentifierPreparer.prepare(
            customer: result.event(for: .tiktok).customer, client: ClientContext(), for: .tiktok, defaultRegion: nil)
        #expect(forTikTok[.phone]?.wireValue == tiktok)
        #expect(result.event(for: .pinterest).customer[.phone] == nil)
    }

    @Test("values that are not digests are not filled as digests")
    func rejectsBadDigests() async {
        let graph = StubProvider(name: "graph") { _ in EnrichmentContribution(digests: [.phone: [.meta: "+16505550101"]]) }
        let result = await EnrichmentChain(providers: [graph], budget: .seconds(60), logger: EnrichmentFixtures.logger).enrich(EnrichmentFixtures.event())
        #expect(result.added.isEmpty)
        #expect(result.digests.isEmpty)
    }
}
