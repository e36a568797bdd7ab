/// A count and the value it stands for, per currency, exactly (decimal
/// amounts, never `Double`). Values without a currency are counted, not summed.
public struct ValueTally: Sendable, Equatable {
    public private(set) var count = 0
    /// Sum per ISO 4217 code.
    public private(set) var values: [String: Money.Amount] = [:]

    public init() {}

    public init(count: Int, values: [String: Money.Amount]) {
        self.count = count
        self.values = values
    }

    /// Counts one item of `value` (amounts that would overflow are left out
    /// of the sum but counted).
    public mutating func add(_ value: Money?) {
        count += 1
        guard let value else { return }
        let code = value.currency.code
        let current = values[code] ?? Money.Amount(units: 0, scale: value.currency.minorUnit)
        if let sum = current.adding(value.amount) { values[code] = sum }
    }

    /// The sums as display text, one per currency: `EUR 129.90, USD 10.00`.
    public var valueText: String {
        values.keys.sorted().map { code in "\(code) \(Self.formatted(values[code], code: code))" }.joined(separator: ", ")
    }

    /// `amount` with its currency's decimals.
    static func formatted(_ amount: Money.Amount?, code: String) -> String {
        let digits = Currency(code: code)?.minorUnit ?? 2
        return (amount ?? Money.Amount(units: 0, scale: 0)).formatted(fractionDigits: digits)
    }
}
