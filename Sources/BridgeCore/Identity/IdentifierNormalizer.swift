/// The entry point of identifier normalization: one customer field, one
/// raw value, one platform's rules. Pure: no I/O, no clock, no globals but
/// the lazily parsed, immutable phone and country tables.
public enum IdentifierNormalizer {
    /// Normalizes `raw` as `field` for `platform`.
    ///
    /// - Parameters:
    ///   - field: which customer identifier `raw` is.
    ///   - raw: the value as the source sent it.
    ///   - platform: whose rules apply.
    ///   - region: the event's country (alpha-2 in any case, alpha-3 or an
    ///     English name) or a configured default; supplies the calling code
    ///     of national phone numbers and decides US state/ZIP handling and
    ///     day/month order.
    /// - Returns: the normalized, not yet hashed value (a 64-hex input
    ///   lowercased as is), or why it was dropped. Never the raw input
    ///   unchanged unless it already was in normal form.
    public static func normalize(
        _ field: CustomerField, _ raw: String, for platform: Platform, region: String?
    ) -> NormalizationResult {
        guard let encoding = platform.encoding(for: field) else { return .dropped(.notSentToPlatform) }
        if let digest = digestCheck(raw, field: field, encoding: encoding) { return digest }
        let rules = PlatformRules.for(platform)
        switch field {
        case .email:
            return EmailNormalizer.normalize(raw, rule: rules.email)
        case .phone:
            let plan = region.flatMap(PhoneNumberingPlan.shared.region(named:))
            return PhoneNormalizer.normalize(raw, region: plan, format: rules.phone)
        case .firstName:
            return NameNormalizer.normalize(raw, part: .first, rule: rules.name)
        case .lastName:
            return NameNormalizer.normalize(raw, part: .last, rule: rules.name)
        case .city:
            return AddressNormalizer.city(raw, filter: rules.city)
        case .state:
            return AddressNormalizer.state(raw, country: region.flatMap(CountryCode.resolve), filter: rules.state)
        case .postalCode:
            return AddressNormalizer.postalCode(
                raw, country: region.flatMap(CountryCode.resolve), filter: rules.postalCode,
                keepUSFormat: rules.keepsUSPostalFormat)
        case .country:
            guard let country = CountryCode.resolve(raw) else {
                return .dropped(ASCIIBytes.isBlank(raw) ? .empty : .invalidCountry)
            }
            return .value(rules.uppercaseCountry ? country.alpha2 : country.lowercased)
        case .dateOfBirth:
            return DateOfBirthNormalizer.normalize(raw, country: region.flatMap(CountryCode.resolve))
        case .gender:
            return GenderNormalizer.normalize(raw, allowsNonBinary: rules.allowsNonBinaryGender)
        case .externalID:
            let trimmed = ASCIIBytes.trimmed(raw)
            return trimmed.isEmpty ? .dropped(.empty) : .value(trimmed)
        }
    }

    /// Pre-hashed input: a 64-hex value passes through lowercased for a hashed
    /// field and is refused for a clear one; a 32-hex value (MD5) is refused
    /// except as an external id, where it is as likely a dash-less UUID.
    private static func digestCheck(_ raw: String, field: CustomerField, encoding: WireEncoding) -> NormalizationResult? {
        let count = raw.utf8.count
        guard count >= 32, count < 80 else { return nil }
        // Length of the trimmed value when it is all hex digits, else 0; nil for non-ASCII input.
        let hexLength: Int? = ASCIIBytes.withBytes(raw) { bytes in
            guard let range = ASCIIBytes.trimmedASCIIRange(bytes) else { return nil }
            guard range.count == 64 || range.count == 32 else { return 0 }
            for i in range where !ASCIIBytes.isHexDigit(bytes[i]) { return 0 }
            return range.count
        }
        let length: Int
        if let hexLength {
            length = hexLength
        } else {
            let trimmed = String(String.UnicodeScalarView(UnicodeText.trimmed(raw)))
            length = IdentifierHasher.isHex(trimmed, length: 64) ? 64 : IdentifierHasher.isHex(trimmed, length: 32) ? 32 : 0
        }
        if length == 64 {
            guard encoding == .sha256 else { return .dropped(.hashedValueForClearField) }
            return .value(ASCIIBytes.trimmed(raw).lowercased())
        }
        if length == 32, field != .externalID { return .dropped(.unsupportedDigest) }
        return nil
    }
}
