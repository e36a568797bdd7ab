/// Normalizes city, state/region and postal code. State and postal code
/// depend on the country: US states become their two-letter code and US
/// ZIP codes their first five digits.
enum AddressNormalizer {
    /// The normalized city (`filter` is the platform's), or why it was dropped.
    static func city(_ raw: String, filter: TextFilter) -> NormalizationResult {
        let value = filter.apply(raw)
        if value.isEmpty { return .dropped(UnicodeText.trimmed(raw).isEmpty ? .empty : .invalidCity) }
        return .value(value)
    }

    /// The normalized state: for the US (or an unknown country) a state name
    /// or code becomes the lowercase two-letter code; elsewhere `filter` applies.
    static func state(_ raw: String, country: CountryCode?, filter: TextFilter) -> NormalizationResult {
        if ASCIIBytes.isBlank(raw) { return .dropped(.empty) }
        if country == nil || country?.alpha2 == "US" {
            if let code = USStates.code(forKey: CountryCode.lookupKey(raw)) { return .value(code) }
            if country != nil { return .dropped(.invalidState) }
        }
        let value = filter.apply(raw)
        return value.isEmpty ? .dropped(.invalidState) : .value(value)
    }

    /// The normalized postal code. US ZIP and ZIP+4 become five digits unless
    /// `keepUSFormat` (Google, which takes postal codes in clear, trimmed).
    static func postalCode(
        _ raw: String, country: CountryCode?, filter: TextFilter, keepUSFormat: Bool
    ) -> NormalizationResult {
        if ASCIIBytes.isBlank(raw) { return .dropped(.empty) }
        if !keepUSFormat, country == nil || country?.alpha2 == "US" {
            if let zip = usZIP(ASCIIBytes.trimmed(raw)) { return .value(zip) }
            if country != nil { return .dropped(.invalidPostalCode) }
        }
        let value = filter.apply(raw)
        return value.isEmpty ? .dropped(.invalidPostalCode) : .value(value)
    }

    /// The five-digit ZIP of `12345`, `12345-6789`, `12345 6789` or `123456789`
    /// (`raw` already trimmed).
    private static func usZIP(_ raw: String) -> String? {
        ASCIIBytes.withBytes(raw) { bytes -> String? in
            guard bytes.count >= 5, bytes.prefix(5).allSatisfy(ASCIIBytes.isDigit) else { return nil }
            var rest = bytes.count - 5
            var index = 5
            if rest > 0, bytes[5] == UInt8(ascii: "-") || bytes[5] == UInt8(ascii: " ") {
                index = 6
                rest -= 1
                guard rest == 4 else { return nil }
            }
            guard rest == 0 || (rest == 4 && bytes[index...].allSatisfy(ASCIIBytes.isDigit)) else { return nil }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[0..<5]), as: UTF8.self)
        }
    }
}
