/// Turns an event's raw identifiers into what one platform receives:
/// normalized, then hashed or kept in clear per the platform's rules.
public enum IdentifierPreparer {
    /// Prepares every identifier of an event for `platform`.
    ///
    /// - Parameters:
    ///   - customer: the raw customer identifiers.
    ///   - client: the raw browser context.
    ///   - platform: the destination platform.
    ///   - defaultRegion: the configured region for phone numbers (and US
    ///     state/ZIP and date handling) when the event's own `country` is
    ///     absent or not a recognisable country.
    /// - Returns: each customer field as sent or dropped, and the client fields
    ///   the platform takes. Hashed values are 64 lowercase hex characters.
    public static func prepare(
        customer: CustomerIdentifiers, client: ClientContext, for platform: Platform, defaultRegion: String?
    ) -> PreparedIdentifiers {
        var prepared = PreparedIdentifiers(platform: platform)
        let region = region(customer: customer, defaultRegion: defaultRegion)
        for (field, raw) in customer.values {
            prepared.customer[field] = prepare(field, raw.rawValue, for: platform, region: region)
        }
        for field in clientFields(for: platform) {
            if let value = clientValue(field, of: client, for: platform) { prepared.client[field] = value }
        }
        return prepared
    }

    /// Normalizes `raw` as `field` for `platform` and encodes it for the wire.
    public static func prepare(_ field: CustomerField, _ raw: String, for platform: Platform, region: String?) -> PreparedField {
        switch IdentifierNormalizer.normalize(field, raw, for: platform, region: region) {
        case .dropped(let reason):
            return .dropped(reason)
        case .value(let normalized):
            return .sent(encode(normalized, as: platform.encoding(for: field) ?? .sha256))
        }
    }

    /// The region used for phones: the event's `country` when it names a
    /// country, else `defaultRegion`.
    public static func region(customer: CustomerIdentifiers, defaultRegion: String?) -> String? {
        if let country = customer[.country]?.rawValue, let code = CountryCode.resolve(country) { return code.alpha2 }
        return defaultRegion
    }

    /// The browser fields `platform` takes (never hashed, except Reddit's IP).
    public static func clientFields(for platform: Platform) -> [ClientField] {
        switch platform {
        case .meta: [.ipAddress, .userAgent, .clickID(.fbclid), .clickID(.fbc), .clickID(.fbp)]
        case .google: [.ipAddress, .userAgent, .clickID(.gclid), .clickID(.gbraid), .clickID(.wbraid)]
        case .ga4: [.ipAddress, .userAgent]
        case .tiktok: [.ipAddress, .userAgent, .clickID(.ttclid)]
        case .snapchat: [.ipAddress, .userAgent, .clickID(.sccid)]
        case .pinterest: [.ipAddress, .userAgent, .clickID(.epik)]
        case .linkedin: [.clickID(.liFatID)]
        case .reddit: [.ipAddress, .userAgent, .clickID(.rdtCID)]
        }
    }

    /// How `platform` takes a browser field: Reddit hashes the IP address, everything else is clear.
    public static func encoding(of field: ClientField, for platform: Platform) -> WireEncoding {
        platform == .reddit && field == .ipAddress ? .sha256 : .clear
    }

    private static func clientValue(_ field: ClientField, of client: ClientContext, for platform: Platform) -> PreparedValue? {
        let raw: PersonalData?
        switch field {
        case .ipAddress: raw = client.ipAddress
        case .userAgent: raw = client.userAgent
        case .clickID(let kind): raw = client[clickID: kind]
        }
        guard let raw else { return nil }
        let trimmed = ASCIIBytes.trimmed(raw.rawValue)
        guard !trimmed.isEmpty else { return nil }
        switch encoding(of: field, for: platform) {
        case .clear: return PreparedValue(wireValue: trimmed, encoding: .clear)
        case .sha256: return PreparedValue(wireValue: IdentifierHasher.sha256Hex(trimmed.lowercased()), encoding: .sha256)
        }
    }

    private static func encode(_ normalized: String, as encoding: WireEncoding) -> PreparedValue {
        switch encoding {
        case .clear: PreparedValue(wireValue: normalized, encoding: .clear)
        case .sha256: PreparedValue(wireValue: IdentifierHasher.sha256Hex(normalized), encoding: .sha256)
        }
    }
}
