/// A JSON number read exactly from its text (`-12.50e3`): a sign, its
/// significant digits and a power of ten. Numbers of any size and precision
/// compare exactly, which JSON Schema's `minimum`, `maximum` and `integer`
/// need (a `Double` would round `1e400` to infinity and `0.1` to
/// `0.1000000000000000055…`), and an integral number written with an
/// exponent (`1e2`) reads as the integer it is.
public struct JSONDecimal: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Whether the number is below zero (never for zero).
    public let isNegative: Bool
    /// The significant digits (values 0–9), without leading or trailing
    /// zeros; empty for zero.
    let digits: [UInt8]
    /// The value is `digits × 10^exponent`.
    let exponent: Int

    /// Exponents are clamped to this magnitude: far beyond any bound a
    /// schema sets, and small enough that arithmetic on them cannot overflow.
    static let exponentLimit = 1_000_000

    /// Parses JSON number text (`-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`);
    /// `nil` for anything else.
    public init?(_ text: some StringProtocol) {
        var bytes = Substring(text).utf8[...]
        var negative = false
        if bytes.first == UInt8(ascii: "-") {
            negative = true
            bytes = bytes.dropFirst()
        }
        let integer = bytes.prefix(while: Self.isDigit)
        guard !integer.isEmpty, integer.count == 1 || integer.first != UInt8(ascii: "0") else { return nil }
        bytes = bytes.dropFirst(integer.count)
        var fraction: [UInt8] = []
        if bytes.first == UInt8(ascii: ".") {
            fraction = Array(bytes.dropFirst().prefix(while: Self.isDigit))
            guard !fraction.isEmpty else { return nil }
            bytes = bytes.dropFirst(1 + fraction.count)
        }
        var power = 0
        if let marker = bytes.first, marker == UInt8(ascii: "e") || marker == UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            var negativePower = false
            if let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
                negativePower = sign == UInt8(ascii: "-")
                bytes = bytes.dropFirst()
            }
            let powerDigits = bytes.prefix(while: Self.isDigit)
            guard !powerDigits.isEmpty else { return nil }
            bytes = bytes.dropFirst(powerDigits.count)
            for digit in powerDigits where power <= Self.exponentLimit { power = power * 10 + Int(digit - 0x30) }
            power = min(power, Self.exponentLimit)
            if negativePower { power = -power }
        }
        guard bytes.isEmpty else { return nil }
        var all = (Array(integer) + fraction).map { $0 - 0x30 }
        var exponent = power - fraction.count
        while all.last == 0 {
            all.removeLast()
            exponent += 1
        }
        let leading = all.prefix(while: { $0 == 0 }).count
        all.removeFirst(leading)
        if all.isEmpty {
            self.init(isNegative: false, digits: [], exponent: 0)
        } else {
            self.init(isNegative: negative, digits: all, exponent: exponent)
        }
    }

    init(isNegative: Bool, digits: [UInt8], exponent: Int) {
        self.isNegative = isNegative
        self.digits = digits
        self.exponent = exponent
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

    /// Whether the number has no fractional part (`3`, `3.0`, `3e2`, `0`).
    public var isInteger: Bool { digits.isEmpty || exponent >= 0 }

    /// The number as an `Int` when it is an integer that fits (at most 18 digits).
    public var intValue: Int? {
        guard isInteger else { return nil }
        guard !digits.isEmpty else { return 0 }
        guard digits.count + exponent <= 18 else { return nil }
        var value = 0
        for digit in digits { value = value * 10 + Int(digit) }
        for _ in 0..<exponent { value *= 10 }
        return isNegative ? -value : value
    }

    /// Plain decimal text, exponent written out (`-12500`, `0.125`); for
    /// messages about schema bounds, which are small.
    public var description: String {
        guard !digits.isEmpty else { return "0" }
        let text = String(decoding: digits.map { $0 + 0x30 }, as: UTF8.self)
        let sign = isNegative ? "-" : ""
        if exponent >= 0 { return sign + text + String(repeating: "0", count: min(exponent, 64)) }
        let point = text.count + exponent
        if point > 0 { return sign + String(text.prefix(point)) + "." + String(text.dropFirst(point)) }
        return sign + "0." + String(repeating: "0", count: min(-point, 64)) + text
    }

    public static func < (lhs: JSONDecimal, rhs: JSONDecimal) -> Bool {
        if lhs.isNegative != rhs.isNegative { return lhs.isNegative }
        return lhs.isNegative ? magnitudeLess(rhs, lhs) : magnitudeLess(lhs, rhs)
    }

    /// Compares absolute values: first by the position of the leading digit,
    /// then digit by digit.
    private static func magnitudeLess(_ a: JSONDecimal, _ b: JSONDecimal) -> Bool {
        if a.digits.isEmpty || b.digits.isEmpty { return a.digits.isEmpty && !b.digits.isEmpty }
        let aLead = a.digits.count + a.exponent
        let bLead = b.digits.count + b.exponent
        if aLead != bLead { return aLead < bLead }
        for (x, y) in zip(a.digits, b.digits) where x != y { return x < y }
        return a.digits.count < b.digits.count
    }
}
