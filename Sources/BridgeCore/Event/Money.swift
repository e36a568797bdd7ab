/// A value with its currency, kept as one pair so they can never be mixed up.
public struct Money: Sendable, Equatable {
    public var amount: Amount
    public var currency: Currency

    public init(amount: Amount, currency: Currency) {
        self.amount = amount
        self.currency = currency
    }

    /// The amount as a decimal string with exactly the currency's minor-unit
    /// digits: `129.90`, `4980`, `12.340`.
    public var formattedAmount: String { amount.formatted(fractionDigits: currency.minorUnit) }

    /// An exact decimal number: `units × 10^-scale`. Never a `Double`.
    public struct Amount: Sendable, Hashable, Comparable, CustomStringConvertible {
        /// The digits as an integer (`129.90` → 12990).
        public let units: Int64
        /// How many of those digits are after the decimal point (`129.90` → 2).
        public let scale: Int

        /// The most digits an amount may have, so every value fits an `Int64`.
        public static let maxDigits = 18

        public init(units: Int64, scale: Int) {
            precondition(scale >= 0 && scale <= Amount.maxDigits, "scale out of range")
            self.units = units
            self.scale = scale
        }

        /// Parses a plain decimal string (`-?digits(.digits)?`); `nil` for anything
        /// else (exponents, `+`, spaces, more than 18 digits).
        public init?(_ text: some StringProtocol) {
            var utf8 = Substring(text).utf8[...]
            var negative = false
            if utf8.first == UInt8(ascii: "-") {
                negative = true
                utf8 = utf8.dropFirst()
            }
            var units: Int64 = 0
            var scale = 0
            var digits = 0
            var seenPoint = false
            var digitsAfterPoint = 0
            for byte in utf8 {
                if byte == UInt8(ascii: ".") {
                    guard !seenPoint, digits > 0 else { return nil }
                    seenPoint = true
                    continue
                }
                guard byte >= 0x30, byte <= 0x39 else { return nil }
                digits += 1
                if seenPoint { digitsAfterPoint += 1 }
                guard digits <= Amount.maxDigits else { return nil }
                units = units * 10 + Int64(byte - 0x30)
            }
            guard digits > 0, !(seenPoint && digitsAfterPoint == 0) else { return nil }
            scale = digitsAfterPoint
            self.init(units: negative ? -units : units, scale: scale)
        }

        /// An amount given in integer minor units (`4998` with exponent 2 → 49.98).
        public init(minorUnits: Int64, exponent: Int) {
            self.init(units: minorUnits, scale: exponent)
        }

        /// The same number with trailing fractional zeros removed (`19.90` → `19.9`).
        public var reduced: Amount {
            var units = self.units
            var scale = self.scale
            while scale > 0, units % 10 == 0 {
                units /= 10
                scale -= 1
            }
            return Amount(units: units, scale: scale)
        }

        /// Digits after the point that are significant (`19.90` → 1, `5.00` → 0).
        public var significantFractionDigits: Int { reduced.scale }

        public var isNegative: Bool { units < 0 }

        /// The number rendered with exactly `fractionDigits` decimals, rounding
        /// half away from zero if digits must be dropped.
        public func formatted(fractionDigits: Int) -> String {
            let value = rescaled(to: fractionDigits)
            let negative = value.units < 0
            var digits = String(value.units.magnitude)
            if fractionDigits > 0 {
                if digits.count <= fractionDigits {
                    digits = String(repeating: "0", count: fractionDigits - digits.count + 1) + digits
                }
                digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -fractionDigits))
            }
            return (negative ? "-" : "") + digits
        }

        /// The canonical text: the shortest exact form (`19.9`, `4980`).
        public var description: String { formatted(fractionDigits: reduced.scale) }

        /// This number with `scale` decimals (rounded half away from zero when
        /// shrinking; saturating on overflow, which `maxDigits` makes unreachable
        /// for parsed input).
        public func rescaled(to newScale: Int) -> Amount {
            if newScale == scale { return self }
            if newScale > scale {
                var units = self.units
                for _ in scale..<newScale {
                    let (product, overflow) = units.multipliedReportingOverflow(by: 10)
                    if overflow { return Amount(units: units < 0 ? Int64.min : Int64.max, scale: newScale) }
                    units = product
                }
                return Amount(units: units, scale: newScale)
            }
            var units = self.units
            var remainderDigit: Int64 = 0
            for _ in newScale..<scale {
                remainderDigit = abs(units % 10)
                units /= 10
            }
            if remainderDigit >= 5 { units += units < 0 ? -1 : 1 }
            return Amount(units: units, scale: newScale)
        }

        /// The sum of two amounts, or `nil` on overflow.
        public func adding(_ other: Amount) -> Amount? {
            let scale = max(self.scale, other.scale)
            let (sum, overflow) = rescaled(to: scale).units.addingReportingOverflow(other.rescaled(to: scale).units)
            return overflow ? nil : Amount(units: sum, scale: scale)
        }

        public static func == (lhs: Amount, rhs: Amount) -> Bool {
            let l = lhs.reduced, r = rhs.reduced
            return l.units == r.units && l.scale == r.scale
        }

        public func hash(into hasher: inout Hasher) {
            let r = reduced
            hasher.combine(r.units)
            hasher.combine(r.scale)
        }

        public static func < (lhs: Amount, rhs: Amount) -> Bool {
            let scale = max(lhs.scale, rhs.scale)
            return lhs.rescaled(to: scale).units < rhs.rescaled(to: scale).units
        }
    }
}
