/// Normalizes gender to the single lowercase initial platforms take:
/// `f` or `m` (Meta, Snap), plus `n` for non-binary (Pinterest).
enum GenderNormalizer {
    private static let female: Set<String> = [
        "f", "female", "woman", "w", "girl", "weiblich", "frau", "femme", "feminin", "mujer", "femenino",
        "feminino", "donna", "femmina",
    ]
    private static let male: Set<String> = [
        "m", "male", "man", "boy", "mannlich", "maennlich", "mann", "homme", "masculin", "hombre", "masculino",
        "uomo", "maschio",
    ]
    private static let nonBinary: Set<String> = ["n", "nonbinary", "nb", "x", "divers", "diverse", "enby"]

    /// `f`, `m` or (when `allowsNonBinary`) `n`; otherwise dropped.
    static func normalize(_ raw: String, allowsNonBinary: Bool) -> NormalizationResult {
        // Fast path: a single ASCII letter, the common case.
        let initial: UInt8? = ASCIIBytes.withBytes(raw) { bytes in
            guard let range = ASCIIBytes.trimmedASCIIRange(bytes), range.count == 1 else { return nil }
            return ASCIIBytes.lower(bytes[range.lowerBound])
        }
        switch initial {
        case UInt8(ascii: "f"): return .value("f")
        case UInt8(ascii: "m"): return .value("m")
        default: break
        }
        if ASCIIBytes.isBlank(raw) { return .dropped(.empty) }
        let key = CountryCode.lookupKey(raw)
        if female.contains(key) { return .value("f") }
        if male.contains(key) { return .value("m") }
        if allowsNonBinary, nonBinary.contains(key) { return .value("n") }
        return .dropped(.invalidGender)
    }
}
