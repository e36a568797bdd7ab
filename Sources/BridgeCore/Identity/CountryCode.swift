/// An ISO 3166-1 alpha-2 country code resolved from what a source sent: a
/// code in any case (`us`, `U.S.`), an alpha-3 code (`USA`) or an English
/// name (`United States`, `Deutschland`, `Côte d'Ivoire`).
public struct CountryCode: Sendable, Hashable, CustomStringConvertible {
    /// Uppercase alpha-2 (`US`), as Google, LinkedIn and Reddit want it.
    public let alpha2: String

    /// Lowercase alpha-2 (`us`), as Meta, TikTok, Snap and Pinterest want it.
    public var lowercased: String { alpha2.lowercased() }

    /// The code itself (a country is not personal on its own).
    public var description: String { alpha2 }

    private init(alpha2: String) { self.alpha2 = alpha2 }

    /// The country `raw` names, or `nil` when it is neither a code nor a known name.
    public static func resolve(_ raw: String) -> CountryCode? {
        let fast: String? = ASCIIBytes.withBytes(raw) { bytes in
            guard bytes.count == 2 else { return nil }
            let a = bytes[0] & 0xDF, b = bytes[1] & 0xDF
            guard ASCIIBytes.isUpper(a), ASCIIBytes.isUpper(b) else { return nil }
            return CountryTable.shared.code(upperA: a, upperB: b)
        }
        if let fast { return CountryCode(alpha2: fast) }
        let key = lookupKey(raw)
        guard let code = CountryTable.shared.code(forKey: key) else { return nil }
        return CountryCode(alpha2: code)
    }

    /// `raw` lowercased, accents removed, letters a-z only: "Côte d'Ivoire" → "cotedivoire".
    static func lookupKey(_ raw: String) -> String {
        let isASCII = raw.utf8.allSatisfy { $0 < 0x80 }
        if isASCII {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(raw.utf8.count)
            for byte in raw.utf8 {
                if (0x61...0x7A).contains(byte) {
                    bytes.append(byte)
                } else if (0x41...0x5A).contains(byte) {
                    bytes.append(byte | 0x20)
                }
            }
            return String(decoding: bytes, as: UTF8.self)
        }
        let folded = UnicodeText.foldedForLookup(raw)
        var view = String.UnicodeScalarView()
        for scalar in UnicodeText.lowercased(folded) where (0x61...0x7A).contains(scalar.value) {
            view.append(scalar)
        }
        return String(view)
    }
}

/// The parsed `CountryNames.table`: valid alpha-2 codes and lookup keys.
struct CountryTable: Sendable {
    /// Built lazily and thread-safely at first use.
    static let shared = CountryTable(table: CountryNames.table)

    private let codes: Set<String>
    private let byKey: [String: String]
    /// The alpha-2 codes by `(a - 65) * 26 + (b - 65)`, `nil` where unassigned.
    private let bySlot: [String?]

    init(table: String) {
        var codes = Set<String>()
        var byKey: [String: String] = ["uk": "GB"]
        for line in table.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard let first = fields.first else { continue }
            let code = String(first).uppercased()
            guard code.utf8.count == 2 else { continue }
            codes.insert(code)
            for key in fields.dropFirst() { byKey[String(key)] = code }
        }
        self.codes = codes
        self.byKey = byKey
        var bySlot = [String?](repeating: nil, count: 26 * 26)
        for code in codes {
            let bytes = Array(code.utf8)
            bySlot[Int(bytes[0] - 65) * 26 + Int(bytes[1] - 65)] = code
        }
        self.bySlot = bySlot
    }

    /// The code for two uppercase ASCII letters, if assigned (no allocation).
    func code(upperA: UInt8, upperB: UInt8) -> String? {
        bySlot[Int(upperA - 65) * 26 + Int(upperB - 65)]
    }

    /// The uppercase alpha-2 code for a lookup key (a code or a name key).
    func code(forKey key: String) -> String? {
        if key.utf8.count == 2 {
            let upper = key.uppercased()
            return codes.contains(upper) ? upper : byKey[key]
        }
        return byKey[key]
    }
}
