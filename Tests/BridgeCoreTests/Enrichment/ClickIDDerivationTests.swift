import BridgeCore
import Testing

/// One landing URL and the click ids it holds.
struct ClickIDVector: Sendable, CustomTestStringConvertible {
    let url: String
    let expected: [String: String]
    var testDescription: String { url }
}

@Suite("Click-id derivation")
struct ClickIDDerivationTests {
    static let vectors: [ClickIDVector] = [
        ClickIDVector(url: "https://shop.example.com/p?gclid=Cj0KCQ-abc_123", expected: ["gclid": "Cj0KCQ-abc_123"]),
        ClickIDVector(url: "/products/shoe?gbraid=0AAAAA-x&wbraid=ClkKCQ", expected: ["gbraid": "0AAAAA-x", "wbraid": "ClkKCQ"]),
        ClickIDVector(url: "https://shop.example.com/?ttclid=E.C.P.abc%3D%3D", expected: ["ttclid": "E.C.P.abc=="]),
        ClickIDVector(url: "https://shop.example.com/?ScCid=7f1e-22&sccid=ignored-lowercase", expected: ["sccid": "7f1e-22"]),
        ClickIDVector(url: "https://shop.example.com/?epik=dj0yJnU9&utm_source=pinterest", expected: ["epik": "dj0yJnU9"]),
        ClickIDVector(url: "https://shop.example.com/?rdt_cid=3141592653589793238", expected: ["rdt_cid": "3141592653589793238"]),
        ClickIDVector(url: "https://shop.example.com/?li_fat_id=a1b2-c3", expected: ["li_fat_id": "a1b2-c3"]),
        ClickIDVector(url: "https://shop.example.com/?fbclid=IwAR2aBcDeF&x=1#section", expected: ["fbclid": "IwAR2aBcDeF"]),
        ClickIDVector(url: "https://shop.example.com/?GCLID=upper&Gclid=mixed", expected: [:]),
        ClickIDVector(url: "https://shop.example.com/?gclid=&ttclid=%20%20", expected: [:]),
        ClickIDVector(url: "https://shop.example.com/?gclid=a+b", expected: [:]),
        ClickIDVector(url: "https://shop.example.com/?gclid=%FF%FE", expected: [:]),
        ClickIDVector(url: "https://shop.example.com/#gclid=fragment-only", expected: [:]),
        ClickIDVector(url: "https://shop.example.com/?gclid=first&gclid=second", expected: ["gclid": "first"]),
        ClickIDVector(url: "no query at all", expected: [:]),
    ]

    @Test("landing URL vectors", arguments: vectors)
    func landingURLs(_ vector: ClickIDVector) {
        var found: [String: String] = [:]
        for (kind, value) in ClickIDDerivation.clickIDs(inURL: vector.url) where found[kind.rawValue] == nil { found[kind.rawValue] = value }
        #expect(found == vector.expected)
    }

    @Test("Shopify note attributes and Stripe metadata keys (with or without a leading underscore)")
    func attributes() {
        let found = ClickIDDerivation.clickIDs(inAttributes: [
            (name: "_fbc", value: "fb.1.1700000000000.AbC"), (name: "gclid", value: " G-1 "), (name: "ScCid", value: "snap-1"),
            (name: "_epik", value: "pin-1"), (name: "rdt_cid", value: "r-1"), (name: "ttclid", value: "t-1"), (name: "note", value: "gift"),
            (name: "wbraid", value: ""),
        ])
        #expect(found.map { "\($0.0.rawValue)=\($0.1)" } == ["fbc=fb.1.1700000000000.AbC", "gclid=G-1", "sccid=snap-1", "epik=pin-1", "rdt_cid=r-1", "ttclid=t-1"])
    }

    @Test("fbc is fb.1.<ms>.<fbclid>, the fbclid's case kept")
    func fbc() {
        let time = Timestamp(millisecondsSinceEpoch: 1_795_132_000_123)
        #expect(ClickIDDerivation.fbc(fbclid: "IwAR2aBcDeF", firstSeen: time) == "fb.1.1795132000123.IwAR2aBcDeF")
        #expect(ClickIDDerivation.fbc(fbclid: " IwAR ", firstSeen: time) == "fb.1.1795132000123.IwAR")
        #expect(ClickIDDerivation.fbc(fbclid: "Iw AR", firstSeen: time) == nil)
        #expect(ClickIDDerivation.fbc(fbclid: "", firstSeen: time) == nil)
        #expect(ClickIDDerivation.fbc(fbclid: String(repeating: "a", count: 1025), firstSeen: time) == nil)
    }

    @Test("derives only what is missing: URL ids the event lacks, fbc from the event's or the URL's fbclid")
    func missing() {
        let time = Timestamp(millisecondsSinceEpoch: 1_700_000_000_000)
        var client = ClientContext(landingURL: "https://shop.example.com/?fbclid=FromURL&gclid=G-url&ttclid=T-url")
        client[clickID: .gclid] = "G-source"
        let added = ClickIDDerivation.missing(in: client, eventTime: time)
        #expect(added == [.fbclid: "FromURL", .ttclid: "T-url", .fbc: "fb.1.1700000000000.FromURL"])
        var withFBC = ClientContext()
        withFBC[clickID: .fbclid] = "Own"
        withFBC[clickID: .fbc] = "fb.1.1.Own"
        #expect(ClickIDDerivation.missing(in: withFBC, eventTime: time).isEmpty)
        var onlyFBClid = ClientContext()
        onlyFBClid[clickID: .fbclid] = "Own"
        #expect(ClickIDDerivation.missing(in: onlyFBClid, eventTime: time) == [.fbc: "fb.1.1700000000000.Own"])
    }
}
