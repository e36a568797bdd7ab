extension ConsentPolicy: Decodable {
    /// The YAML keys, snake_case.
    enum CodingKeys: String, CodingKey, CaseIterable {
        case requiredTCFPurposes = "required_tcf_purposes"
        case personalizationTCFPurposes = "personalization_tcf_purposes"
        case legitimateInterestPurposes = "legitimate_interest_purposes"
        case tcfVendorID = "tcf_vendor_id"
        case explicitConsentRegions = "explicit_consent_regions"
        case defaultRegion = "default_region"
        case unknownRegionRequiresConsent = "unknown_region_requires_consent"
        case whenUnknown = "when_unknown"
        case usOptOut = "us_opt_out"
        case usOptOutRegions = "us_opt_out_regions"
        case honorGPC = "honor_gpc"
        case personalizationDenied = "personalization_denied"
        case marketingConsentAsAdConsent = "marketing_consent_as_ad_consent"
    }

    /// Set a `Platform` under this key in the decoder's `userInfo` to take
    /// that platform's defaults in `init(from:)`; without it the `generic`
    /// defaults apply.
    // `CodingUserInfoKey(rawValue:)` fails for no string; this literal is not input.
    public static let platformUserInfoKey = CodingUserInfoKey(rawValue: "capi_bridge.consent.platform")!

    /// Decodes a policy; missing keys take the defaults of the platform in
    /// `userInfo[platformUserInfoKey]`, or `generic`.
    /// - Throws: `DecodingError` for an unknown key, a wrong type, a purpose
    ///   outside 1…24, a vendor id outside 1…65535 or an unknown region.
    public init(from decoder: any Decoder) throws {
        let platform = decoder.userInfo[Self.platformUserInfoKey] as? Platform
        try self.init(platform: platform, from: decoder)
    }

    /// Decodes a policy over the defaults of `platform` (`generic` when `nil`),
    /// e.g. from a destination's own `init(from:)` once its `kind` is known:
    /// `try ConsentPolicy(platform: kind, from: container.superDecoder(forKey: .consent))`.
    public init(platform: Platform?, from decoder: any Decoder) throws {
        self = platform.map(ConsentPolicy.default(for:)) ?? .generic
        if let single = try? decoder.singleValueContainer(), single.decodeNil() { return }

        let raw = try decoder.container(keyedBy: AnyPolicyKey.self)
        let known = Set(CodingKeys.allCases.map(\.rawValue))
        if let unknown = raw.allKeys.first(where: { !known.contains($0.stringValue) }) {
            throw DecodingError.dataCorruptedError(
                forKey: unknown, in: raw,
                debugDescription: "unknown consent policy key '\(unknown.stringValue)'; expected one of \(known.sorted().joined(separator: ", "))"
            )
        }

        let c = try decoder.container(keyedBy: CodingKeys.self)
        if let value = try c.decodeIfPresent([Int].self, forKey: .requiredTCFPurposes) {
            requiredTCFPurposes = try Self.purposes(value, .requiredTCFPurposes, c)
        }
        if let value = try c.decodeIfPresent([Int].self, forKey: .personalizationTCFPurposes) {
            personalizationTCFPurposes = try Self.purposes(value, .personalizationTCFPurposes, c)
        }
        if let value = try c.decodeIfPresent([Int].self, forKey: .legitimateInterestPurposes) {
            legitimateInterestPurposes = try Self.purposes(value, .legitimateInterestPurposes, c)
        }
        if c.contains(.tcfVendorID) {
            let id = try c.decodeNil(forKey: .tcfVendorID) ? nil : try c.decode(Int.self, forKey: .tcfVendorID)
            if let id, !(1...65_535).contains(id) {
                throw DecodingError.dataCorruptedError(
                    forKey: .tcfVendorID, in: c, debugDescription: "tcf_vendor_id \(id) is outside 1…65535")
            }
            tcfVendorID = id
        }
        if let value = try c.decodeIfPresent([String].self, forKey: .explicitConsentRegions) {
            explicitConsentRegions = try Self.regions(value, .explicitConsentRegions, c)
        }
        if c.contains(.defaultRegion) {
            if try c.decodeNil(forKey: .defaultRegion) {
                defaultRegion = nil
            } else {
                let value = try c.decode(String.self, forKey: .defaultRegion)
                guard let code = ConsentRegion.normalizeCountry(value) else {
                    throw DecodingError.dataCorruptedError(
                        forKey: .defaultRegion, in: c,
                        debugDescription: "default_region '\(value)' is not an ISO 3166-1 alpha-2 country code")
                }
                defaultRegion = code
            }
        }
        unknownRegionRequiresConsent =
            try c.decodeIfPresent(Bool.self, forKey: .unknownRegionRequiresConsent) ?? unknownRegionRequiresConsent
        whenUnknown = try c.decodeIfPresent(UnknownConsentAction.self, forKey: .whenUnknown) ?? whenUnknown
        usOptOut = try c.decodeIfPresent(RestrictionAction.self, forKey: .usOptOut) ?? usOptOut
        if let value = try c.decodeIfPresent([String].self, forKey: .usOptOutRegions) {
            usOptOutRegions = try Self.regions(value, .usOptOutRegions, c)
        }
        honorGPC = try c.decodeIfPresent(Bool.self, forKey: .honorGPC) ?? honorGPC
        personalizationDenied =
            try c.decodeIfPresent(RestrictionAction.self, forKey: .personalizationDenied) ?? personalizationDenied
        marketingConsentAsAdConsent =
            try c.decodeIfPresent(Bool.self, forKey: .marketingConsentAsAdConsent) ?? marketingConsentAsAdConsent
    }

    private static func purposes(
        _ values: [Int], _ key: CodingKeys, _ c: KeyedDecodingContainer<CodingKeys>
    ) throws -> [Int] {
        if let bad = values.first(where: { !(1...24).contains($0) }) {
            throw DecodingError.dataCorruptedError(
                forKey: key, in: c, debugDescription: "\(key.rawValue) lists purpose \(bad); TCF purposes are 1…24")
        }
        return Array(Set(values)).sorted()
    }

    /// Expands `EEA` and `EU` and normalizes each country to alpha-2.
    private static func regions(
        _ values: [String], _ key: CodingKeys, _ c: KeyedDecodingContainer<CodingKeys>
    ) throws -> Set<String> {
        var result = Set<String>()
        for value in values {
            switch value.trimmingWhitespace().uppercased() {
            case "EEA": result.formUnion(RegionTables.eea)
            case "EU": result.formUnion(RegionTables.eu)
            default:
                guard let code = ConsentRegion.normalizeCountry(value) else {
                    throw DecodingError.dataCorruptedError(
                        forKey: key, in: c,
                        debugDescription: "\(key.rawValue) lists '\(value)'; use ISO 3166-1 alpha-2 codes, EEA or EU")
                }
                result.insert(code)
            }
        }
        return result
    }
}

/// Any key, to find keys the policy does not know.
struct AnyPolicyKey: CodingKey {
    let stringValue: String
    let intValue: Int?
    init?(stringValue: String) {
        self.stringValue = stringValue
        intValue = nil
    }
    init?(intValue: Int) {
        stringValue = String(intValue)
        self.intValue = intValue
    }
}
