import BridgeCore
import Testing

@testable import BridgeSources

@Suite("Mapping helpers")
struct MappingSupportTests {
    @Test("query click ids are form-decoded like URLSearchParams")
    func queryClickIDs() {
        let ids = ClickIDQuery.clickIDs(in: "https://x.example/p?a=1&fbclid=Iw%5FA+B&ScCid=s&sccid=t&gclid&ttclid=%FF&epik=e#rdt_cid=no")
        #expect(ids.map { "\($0.0.rawValue)=\($0.1)" } == ["fbclid=Iw_A B", "sccid=s", "sccid=t", "epik=e"])
        #expect(ClickIDQuery.clickIDs(in: "/products/sock").isEmpty)
        #expect(ClickIDQuery.clickIDs(in: "/p?%zz=1&fbclid=%2").map(\.1) == ["%2"])
        #expect(ClickIDQuery.kind(forAttribute: "_fbc") == .fbc)
        #expect(ClickIDQuery.kind(forAttribute: "FBC") == nil)
    }

    @Test(
        "HTML character references are decoded once",
        arguments: [
            ("Espresso &ndash; 1 kg", "Espresso \u{2013} 1 kg"), ("&#8211;&#x2013;&#X2013;", "\u{2013}\u{2013}\u{2013}"),
            ("Fish &amp;amp; Chips", "Fish &amp; Chips"), ("a & b", "a & b"),
            ("&bogus; &#0; &#xD800; &#99999999;", "&bogus; &#0; &#xD800; &#99999999;"),
            ("Caf&eacute; &times; 2", "Caf\u{E9} \u{D7} 2"), ("&", "&"), ("&;", "&;"), ("&#039;s", "'s"),
        ])
    func htmlEntities(_ input: String, _ expected: String) {
        #expect(HTMLEntities.decode(input) == expected)
    }

    @Test(
        "a full name splits at its last space",
        arguments: [
            ("Morgan Reyes", "Morgan", "Reyes"), ("Mary Ann van Dyke", "Mary Ann van", "Dyke"), ("Cher", "Cher", nil),
            ("  Sam   O'Connor ", "Sam", "O'Connor"), ("山田 太郎", "山田", "太郎"),
        ] as [(String, String, String?)])
    func splitName(_ full: String, _ first: String, _ last: String?) {
        let split = StripeEventFields.splitName(full)
        #expect(split.first == first)
        #expect(split.last == last)
    }

    @Test("Stripe exponents differ from ISO 4217 where Stripe says so")
    func stripeExponents() {
        #expect(StripeCurrencyExponent.exponent(for: "ISK") == 2)
        #expect(Currency(code: "ISK")?.minorUnit == 0)
        #expect(StripeCurrencyExponent.exponent(for: "JPY") == 0)
        #expect(StripeCurrencyExponent.exponent(for: "MGA") == 0)
        #expect(StripeCurrencyExponent.exponent(for: "KWD") == 3)
        #expect(StripeCurrencyExponent.exponent(for: "EUR") == 2)
    }

    @Test("only topic-like names are echoed in ignore reasons")
    func describe() {
        #expect(SourceMapping.describe("orders/updated") == "orders/updated")
        #expect(SourceMapping.describe("customer.subscription.created") == "customer.subscription.created")
        #expect(SourceMapping.describe("zoe@example.com") == "(unrecognised)")
        #expect(SourceMapping.describe("Zoë") == "(unrecognised)")
        #expect(SourceMapping.describe(String(repeating: "a", count: 65)) == "(unrecognised)")
    }

    @Test("integer ids are read from text, exact beyond 2^53, and refused otherwise")
    func integerIDs() throws {
        #expect(try SourceMapping.integerID(.number("9007199254740993"), at: .root) == "9007199254740993")
        #expect(try SourceMapping.integerID(.string("18446744073709551615"), at: .root) == "18446744073709551615")
        #expect(try SourceMapping.integerID(nil, at: .root) == nil)
        #expect(try SourceMapping.integerID(.null, at: .root) == nil)
        for bad: JSONValue in [
            .number("18446744073709551616"), .number("1.0"), .number("1e3"), .number("0"), .string("12a"), .bool(true), .object([:]),
        ] {
            #expect(throws: SourceError.self) { try SourceMapping.integerID(bad, at: .root) }
        }
    }

    @Test("money follows the schema: not negative, at most 15 integer digits, the currency's decimals")
    func money() throws {
        let clf = try #require(Currency(code: "CLF"))
        #expect(try SourceMapping.money(Money.Amount("12.3456")!, clf, at: .root).formattedAmount == "12.3456")
        #expect(
            try SourceMapping.money(Money.Amount("999999999999999")!, try #require(Currency(code: "JPY")), at: .root).formattedAmount
                == "999999999999999")
        #expect(throws: SourceError.self) { try SourceMapping.money(Money.Amount("1000000000000000")!, Currency(code: "JPY")!, at: .root) }
        #expect(throws: SourceError.self) { try SourceMapping.money(Money.Amount("999999999999999")!, clf, at: .root) }
        #expect(throws: SourceError.self) { try SourceMapping.money(Money.Amount("-0.01")!, Currency(code: "EUR")!, at: .root) }
    }

    @Test("the canonical check used by the tests does catch a bad event")
    func canonicalCheckBites() {
        let bad = ConversionEvent(eventID: "has space", eventName: .purchase, eventTime: Fixtures.now, source: "s")
        withKnownIssue { expectCanonical(bad) }
    }
}
