import BridgeCore

/// The number of decimals Stripe's API uses per currency, which is not always
/// ISO 4217's (https://docs.stripe.com/currencies, `stripe.md`):
///
/// | Stripe exponent | Currencies |
/// |---|---|
/// | 0 | BIF CLP DJF GNF JPY KMF KRW MGA PYG RWF UGX VND VUV XAF XOF XPF |
/// | 3 | BHD JOD KWD OMR TND |
/// | 2 | every other currency, **including ISK** (ISO: 0 decimals) |
///
/// So `isk` 100 is 1 króna, `jpy` 4980 is ¥4,980 and `kwd` 12340 is 12.340 KWD.
/// An amount is first read with Stripe's exponent, then expressed in the ISO
/// currency's minor unit.
enum StripeCurrencyExponent {
    static let zeroDecimal: Set<String> = [
        "BIF", "CLP", "DJF", "GNF", "JPY", "KMF", "KRW", "MGA", "PYG", "RWF", "UGX", "VND", "VUV", "XAF", "XOF", "XPF",
    ]
    static let threeDecimal: Set<String> = ["BHD", "JOD", "KWD", "OMR", "TND"]

    /// Stripe's exponent for an upper-case ISO code.
    static func exponent(for code: String) -> Int {
        if zeroDecimal.contains(code) { return 0 }
        if threeDecimal.contains(code) { return 3 }
        return 2  // ISK included: two-decimal in the API although ISO gives it none.
    }

    /// The money an integer Stripe amount stands for.
    /// - Parameters:
    ///   - amount: the member holding integer minor units (Stripe's exponent).
    ///   - currency: the member holding the lower-case code.
    /// - Returns: `nil` when the amount is absent or `null`.
    /// - Throws: `PayloadError` for a non-integer or out-of-range amount, a
    ///   negative one, an unknown currency, or an amount finer than the ISO
    ///   unit (an ISK amount that is not a multiple of 100).
    static func money(
        amount: JSONValue?, at amountPointer: JSONPointer, currency: JSONValue?, at currencyPointer: JSONPointer
    ) throws(SourceError) -> Money? {
        guard let units = try SourceMapping.integer(amount, at: amountPointer) else { return nil }
        let iso = try SourceMapping.currency(currency, at: currencyPointer)
        let decimal = Money.Amount(minorUnits: units, exponent: exponent(for: iso.code))
        return try SourceMapping.money(decimal, iso, at: amountPointer)
    }
}
