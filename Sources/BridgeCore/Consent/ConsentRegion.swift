import Foundation

/// Where the consent stage believes the buyer is: an ISO 3166-1 alpha-2
/// country and, in the US, a state, resolved from what the buyer typed.
///
/// The event's country wins when it can be recognised ("de", "DE", "DEU",
/// "Germany", "Deutschland" are all `DE`); an absent country falls back to the
/// policy's default region; a country that is present but unrecognised stays
/// *unknown* rather than silently taking the default, because the buyer did
/// say something and the default may be wrong.
public struct ConsentRegion: Sendable, Equatable {
    /// Where the country came from.
    public enum Source: String, Sendable, Equatable, CaseIterable {
        /// The event's own country field.
        case event
        /// The policy's `default_region`, because the event had no country.
        case policyDefault = "policy_default"
        /// Neither gave a usable country.
        case unknown
    }

    /// ISO 3166-1 alpha-2, upper case; `nil` when unknown.
    public let country: String?
    /// USPS state code (`CA`) when `country` is `US` and the state was recognised.
    public let state: String?
    /// Where `country` came from.
    public let source: Source

    public init(country: String?, state: String?, source: Source) {
        self.country = country
        self.state = state
        self.source = source
    }

    /// Resolves the event's raw country and state against a default region.
    /// - Parameters:
    ///   - country: the buyer's country as typed, or `nil`.
    ///   - state: the buyer's state or province as typed, or `nil`.
    ///   - defaultRegion: an alpha-2 code used only when `country` is absent or blank.
    public static func resolve(country: String?, state: String?, defaultRegion: String?) -> ConsentRegion {
        let resolvedCountry: String?
        let source: Source
        if let raw = country, !raw.trimmingWhitespace().isEmpty {
            resolvedCountry = normalizeCountry(raw)
            source = resolvedCountry == nil ? .unknown : .event
        } else if let fallback = defaultRegion.flatMap(normalizeCountry) {
            resolvedCountry = fallback
            source = .policyDefault
        } else {
            resolvedCountry = nil
            source = .unknown
        }
        let resolvedState = resolvedCountry == "US" ? state.flatMap(normalizeUSState) : nil
        return ConsentRegion(country: resolvedCountry, state: resolvedState, source: source)
    }

    /// Normalizes a country as a buyer might type it to ISO 3166-1 alpha-2.
    ///
    /// Accepts any assigned alpha-2 code in any case, the common alpha-3
    /// codes, `UK` (→ `GB`) and `EL` (→ `GR`), and English and native names of
    /// the EEA countries, Switzerland, the UK and the larger markets.
    /// - Returns: the upper-case code, or `nil` when not recognised.
    public static func normalizeCountry(_ raw: String) -> String? {
        let key = folded(raw)
        guard !key.isEmpty else { return nil }
        if key.count == 2 {
            let code = key.uppercased()
            if let alias = RegionTables.alpha2Aliases[code] { return alias }
            return RegionTables.alpha2.contains(code) ? code : nil
        }
        if key.count == 3, let code = RegionTables.alpha3[key.uppercased()] { return code }
        return RegionTables.countryNames[key]
    }

    /// Normalizes a US state, district or territory (`ca`, `California`, `US-CA`) to its USPS code.
    /// - Returns: the upper-case code, or `nil` when not recognised.
    public static func normalizeUSState(_ raw: String) -> String? {
        var key = folded(raw)
        if key.hasPrefix("us-") || key.hasPrefix("us ") { key = String(key.dropFirst(3)) }
        if key.count == 2 {
            let code = key.uppercased()
            return RegionTables.usStates[code] != nil ? code : nil
        }
        return RegionTables.usStateCodesByName[key]
    }

    /// Trimmed, lower-cased, accents removed, dots dropped, inner whitespace collapsed.
    static func folded(_ raw: String) -> String {
        let lowered = raw.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
            .replacingOccurrences(of: ".", with: "")
        return lowered.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }
}
