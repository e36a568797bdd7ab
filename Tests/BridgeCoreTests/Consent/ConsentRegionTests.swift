import BridgeCore
import Testing

@Suite("Consent region resolution")
struct ConsentRegionTests {
    @Test(
        "normalizes countries as buyers type them",
        arguments: [
            ("DE", "DE"), ("de", "DE"), (" De ", "DE"), ("DEU", "DE"), ("Germany", "DE"), ("Deutschland", "DE"),
            ("Österreich", "AT"), ("España", "ES"), ("UK", "GB"), ("United Kingdom", "GB"), ("EL", "GR"),
            ("U.S.A.", "US"), ("usa", "US"), ("United States", "US"), ("Schweiz", "CH"), ("ch", "CH"),
            ("the  Netherlands", "NL"), ("XK", "XK"),
        ]
    )
    func normalizesCountries(raw: String, code: String) {
        #expect(ConsentRegion.normalizeCountry(raw) == code)
    }

    @Test("returns nil for what it cannot recognise", arguments: ["", "  ", "ZZ", "Narnia", "EU", "Europe", "D"])
    func unknownCountries(raw: String) {
        #expect(ConsentRegion.normalizeCountry(raw) == nil)
    }

    @Test(
        "normalizes US states",
        arguments: [
            ("CA", "CA"), ("ca", "CA"), ("California", "CA"), ("US-CA", "CA"), ("texas", "TX"),
            ("New York", "NY"), ("Washington DC", "DC"), ("Puerto Rico", "PR"),
        ]
    )
    func normalizesStates(raw: String, code: String) {
        #expect(ConsentRegion.normalizeUSState(raw) == code)
    }

    @Test("resolves the event's country first, the default only when it is absent")
    func resolution() {
        #expect(
            ConsentRegion.resolve(country: "germany", state: "Bavaria", defaultRegion: "US")
                == ConsentRegion(country: "DE", state: nil, source: .event))
        #expect(
            ConsentRegion.resolve(country: nil, state: "California", defaultRegion: "US")
                == ConsentRegion(country: "US", state: "CA", source: .policyDefault))
        #expect(
            ConsentRegion.resolve(country: "Narnia", state: nil, defaultRegion: "US")
                == ConsentRegion(country: nil, state: nil, source: .unknown))
        #expect(ConsentRegion.resolve(country: nil, state: nil, defaultRegion: nil).source == .unknown)
        #expect(ConsentRegion.resolve(country: "US", state: "Ontario", defaultRegion: nil).state == nil)
    }
}
