/// How a region's national (trunk) prefix is recognised when parsing.
enum NationalPrefixRule: Sendable {
    /// The region has no national prefix.
    case none
    /// Any of these literal digit strings; the longest that prefixes the number wins.
    case literals([[UInt8]])
    /// libphonenumber's regex (matched at the start) and optional transform
    /// rule with `$1`-style group references. Only ~30 small regions need it.
    case pattern(String, transform: String?)
}

/// One region's numbering plan, from libphonenumber's metadata. A class so
/// that passing one around costs a single retain, not one per array.
final class PhoneRegion: Sendable {
    /// ISO 3166-1 alpha-2, or `001` for a non-geographic calling code.
    let region: String
    /// The country calling code, as ASCII digits.
    let callingCode: [UInt8]
    /// International (exit) prefixes dialled before a calling code (`00`, `011`).
    let internationalPrefixes: [[UInt8]]
    /// How the national prefix is stripped from a national-format number.
    let nationalPrefix: NationalPrefixRule
    /// Bit `n` set: a national significant number of `n` digits is possible.
    let possibleLengths: UInt32
    /// Bit `n` set: `n` digits is dialable only locally (no area code): not E.164-complete.
    let localOnlyLengths: UInt32

    init(
        region: String, callingCode: [UInt8], internationalPrefixes: [[UInt8]],
        nationalPrefix: NationalPrefixRule, possibleLengths: UInt32, localOnlyLengths: UInt32
    ) {
        self.region = region
        self.callingCode = callingCode
        self.internationalPrefixes = internationalPrefixes
        self.nationalPrefix = nationalPrefix
        self.possibleLengths = possibleLengths
        self.localOnlyLengths = localOnlyLengths
        self.callingCodeValue = callingCode.reduce(0) { $0 * 10 + Int($1 &- 0x30) }
    }

    /// The calling code as an integer.
    let callingCodeValue: Int

    /// libphonenumber's `ValidationResult` for a national number length.
    enum LengthCheck: Equatable {
        case possible, possibleLocalOnly, tooShort, tooLong, invalidLength
    }

    /// libphonenumber's `_test_number_length` for the general description.
    func checkLength(_ count: Int) -> LengthCheck {
        guard count < 32 else { return .tooLong }
        if localOnlyLengths & (1 << UInt32(count)) != 0 { return .possibleLocalOnly }
        guard possibleLengths != 0 else { return .invalidLength }
        let minimum = possibleLengths.trailingZeroBitCount
        let maximum = 31 - possibleLengths.leadingZeroBitCount
        if count == minimum { return .possible }
        if count < minimum { return .tooShort }
        if count > maximum { return .tooLong }
        return possibleLengths & (1 << UInt32(count)) != 0 ? .possible : .invalidLength
    }

    /// Whether `count` digits is a possible full national number (the
    /// stand-in for libphonenumber's general-description pattern match).
    func isViableLength(_ count: Int) -> Bool {
        count < 32 && possibleLengths & (1 << UInt32(count)) != 0
    }
}

/// All numbering plans, parsed once from the generated `PhoneMetadata.table`.
struct PhoneNumberingPlan: Sendable {
    /// The process-wide plan; built lazily and thread-safely at first use.
    static let shared = PhoneNumberingPlan(table: PhoneMetadata.table)

    private let regions: [PhoneRegion]
    /// Index into `regions` by alpha-2 letters (`(a - 65) * 26 + (b - 65)`), -1 when unknown.
    private let regionIndex: [Int16]
    /// Index into `regions` of each calling code's main region, -1 when unassigned.
    private let mainRegionIndex: [Int16]

    init(table: String) {
        var regions: [PhoneRegion] = []
        var regionIndex = [Int16](repeating: -1, count: 26 * 26)
        var mainRegionIndex = [Int16](repeating: -1, count: 1000)
        for line in table.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count == 8, let code = Int(fields[1]), code < 1000 else { continue }
            let region = PhoneRegion(
                region: String(fields[0]),
                callingCode: Array(fields[1].utf8),
                internationalPrefixes: Self.list(fields[2]),
                nationalPrefix: Self.prefixRule(fields[4], nationalPrefix: fields[3], transform: fields[5]),
                possibleLengths: Self.lengthMask(fields[6]),
                localOnlyLengths: Self.lengthMask(fields[7])
            )
            let index = Int16(regions.count)
            regions.append(region)
            if mainRegionIndex[code] < 0 { mainRegionIndex[code] = index }
            if let slot = Self.slot(Array(fields[0].utf8)) { regionIndex[slot] = index }
        }
        self.regions = regions
        self.regionIndex = regionIndex
        self.mainRegionIndex = mainRegionIndex
    }

    /// The plan of an uppercase alpha-2 region, or `nil` when libphonenumber has none.
    func region(alpha2: [UInt8]) -> PhoneRegion? {
        guard let slot = Self.slot(alpha2) else { return nil }
        let index = regionIndex[slot]
        return index < 0 ? nil : regions[Int(index)]
    }

    /// The plan of a region given as the event's country (any case, alpha-3
    /// or name); two ASCII letters take a fast path without allocating.
    func region(named name: String) -> PhoneRegion? {
        let fast: Int16? = ASCIIBytes.withBytes(name) { bytes in
            guard bytes.count == 2 else { return nil }
            let a = bytes[0] & 0xDF, b = bytes[1] & 0xDF
            guard ASCIIBytes.isUpper(a), ASCIIBytes.isUpper(b) else { return nil }
            return regionIndex[Int(a - 65) * 26 + Int(b - 65)]
        }
        if let fast, fast >= 0 { return regions[Int(fast)] }
        guard let code = CountryCode.resolve(name) else { return nil }
        return region(alpha2: Array(code.alpha2.utf8))
    }

    /// The main region of a calling code, or `nil` when the code is unassigned.
    func mainRegion(callingCode: Int) -> PhoneRegion? {
        guard (0..<mainRegionIndex.count).contains(callingCode) else { return nil }
        let index = mainRegionIndex[callingCode]
        return index < 0 ? nil : regions[Int(index)]
    }

    private static func slot(_ letters: [UInt8]) -> Int? {
        guard letters.count == 2, (65...90).contains(letters[0]), (65...90).contains(letters[1]) else { return nil }
        return Int(letters[0] - 65) * 26 + Int(letters[1] - 65)
    }

    private static func list(_ field: Substring) -> [[UInt8]] {
        field == "-" ? [] : field.split(separator: ",").map { Array($0.utf8) }
    }

    private static func lengthMask(_ field: Substring) -> UInt32 {
        var mask: UInt32 = 0
        for part in field.split(separator: ",") {
            if let n = Int(part), (0..<32).contains(n) { mask |= 1 << UInt32(n) }
        }
        return mask
    }

    private static func prefixRule(_ field: Substring, nationalPrefix: Substring, transform: Substring) -> NationalPrefixRule {
        if field == "-" { return .none }
        if field == "=" { return .literals([Array(nationalPrefix.utf8)]) }
        if field.hasPrefix("L:") { return .literals(list(field.dropFirst(2))) }
        if field.hasPrefix("R:") {
            return .pattern(String(field.dropFirst(2)), transform: transform == "-" ? nil : String(transform))
        }
        return .none
    }
}
