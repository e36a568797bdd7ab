import BridgeCore
import Testing

@Suite("Money and currencies")
struct MoneyTests {
    @Test(
        "parses plain decimal strings exactly",
        arguments: [("129.90", 12990, 2), ("0", 0, 0), ("4980", 4980, 0), ("12.340", 12340, 3), ("-24.00", -2400, 2)])
    func parses(text: String, units: Int64, scale: Int) throws {
        let amount = try #require(Money.Amount(text))
        #expect(amount.units == units)
        #expect(amount.scale == scale)
    }

    @Test("refuses anything that is not a plain decimal", arguments: ["", ".5", "5.", "1e3", "+1", " 1", "1,00", "1234567890123456789", "--1", "1.2.3"])
    func refuses(text: String) {
        #expect(Money.Amount(text) == nil)
    }

    @Test("formats with exactly the currency's minor unit")
    func formatting() throws {
        let eur = try #require(Currency(code: "eur"))
        let jpy = try #require(Currency(code: "JPY"))
        let kwd = try #require(Currency(code: "KWD"))
        #expect(eur.minorUnit == 2 && jpy.minorUnit == 0 && kwd.minorUnit == 3)
        #expect(Money(amount: try #require(Money.Amount("19.9")), currency: eur).formattedAmount == "19.90")
        #expect(Money(amount: Money.Amount(minorUnits: 4980, exponent: 0), currency: jpy).formattedAmount == "4980")
        #expect(Money(amount: Money.Amount(minorUnits: 12340, exponent: 3), currency: kwd).formattedAmount == "12.340")
        #expect(Money.Amount(minorUnits: 5, exponent: 2).formatted(fractionDigits: 2) == "0.05")
        #expect(Money.Amount(minorUnits: -5, exponent: 2).formatted(fractionDigits: 2) == "-0.05")
    }

    @Test("compares and adds across scales")
    func arithmetic() throws {
        let a = try #require(Money.Amount("19.90"))
        let b = try #require(Money.Amount("19.9"))
        #expect(a == b)
        #expect(try #require(Money.Amount("0.05")) < a)
        #expect(a.adding(try #require(Money.Amount("0.105")))?.description == "20.005")
        #expect(Money.Amount(units: Int64.max, scale: 0).adding(Money.Amount(units: 1, scale: 0)) == nil)
    }

    @Test("knows ISO 4217 codes and refuses others", arguments: ["XYZ", "EU", "EURO", "", "123"])
    func unknownCurrency(code: String) {
        #expect(Currency(code: code) == nil)
    }
}
