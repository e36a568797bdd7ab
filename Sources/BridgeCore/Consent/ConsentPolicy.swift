/// The consent rules of one destination, decoded from the `consent:` block of
/// the YAML configuration. Every key is optional; a missing key takes the
/// destination platform's default (`ConsentPolicy.default(for:)`), and the
/// reason for each default is given on the property and in `docs/consent.md`.
///
/// ```yaml
/// consent:
///   required_tcf_purposes: [1, 7]
///   tcf_vendor_id: 755
///   explicit_consent_regions: [EEA, GB, CH]
///   default_region: DE
///   when_unknown: suppress          # suppress | send | send_limited
///   us_opt_out: limited             # limited | suppress
///   honor_gpc: true
/// ```
public struct ConsentPolicy: Sendable, Equatable {
    /// What to do when consent is required but nothing says whether it was given.
    public enum UnknownConsentAction: String, Sendable, Equatable, CaseIterable, Codable {
        /// Send nothing (the default: no legal basis is shown).
        case suppress
        /// Send as if consent were given (only where another legal basis exists).
        case send
        /// Send with every restriction flag set (limited data use, attribution only).
        case sendLimited = "send_limited"
    }

    /// What to do with a restriction the user asked for (a US opt-out, denied personalization).
    public enum RestrictionAction: String, Sendable, Equatable, CaseIterable, Codable {
        /// Send with the platform's limited mode (Meta LDU, TikTok `limited_data_use`, …).
        case limited
        /// Send nothing.
        case suppress
    }

    /// `required_tcf_purposes`: TCF purposes (1…24) that must each be
    /// consented to (or, if listed in `legitimateInterestPurposes`, covered by
    /// legitimate interest) before the event is sent where a TC string applies.
    public var requiredTCFPurposes: [Int]
    /// `personalization_tcf_purposes`: purposes without which the event may be
    /// used for measurement only (default 3 and 4, the personalised-ads purposes).
    public var personalizationTCFPurposes: [Int]
    /// `legitimate_interest_purposes`: purposes that purpose and vendor
    /// legitimate interest may satisfy instead of consent. Empty by default:
    /// sending identifiers to an ad platform server-side is rarely covered by
    /// legitimate interest, so this needs the operator's own legal review.
    public var legitimateInterestPurposes: [Int]
    /// `tcf_vendor_id`: the destination's id on the IAB Global Vendor List,
    /// whose vendor consent is then required too; `nil` checks purposes only.
    public var tcfVendorID: Int?
    /// `explicit_consent_regions`: alpha-2 countries where sending needs a
    /// shown grant (GDPR and its UK and Swiss equivalents: EEA + GB + CH).
    public var explicitConsentRegions: Set<String>
    /// `default_region`: alpha-2 country assumed when the event has no country.
    public var defaultRegion: String?
    /// `unknown_region_requires_consent`: treat a buyer of unknown country as
    /// if in an explicit-consent region (default `true`: the safe side).
    public var unknownRegionRequiresConsent: Bool
    /// `when_unknown`: what to do where consent is required but unknown.
    public var whenUnknown: UnknownConsentAction
    /// `us_opt_out`: what a US opt-out (GPC, US Privacy or GPP opt-out) leads to.
    public var usOptOut: RestrictionAction
    /// `us_opt_out_regions`: countries where those opt-outs are honoured (default `US`).
    public var usOptOutRegions: Set<String>
    /// `honor_gpc`: treat a Global Privacy Control signal as an opt-out (default `true`;
    /// California and Colorado require it).
    public var honorGPC: Bool
    /// `personalization_denied`: what denied ad personalization leads to
    /// (`limited` = measurement only, where the platform has a flag for it).
    public var personalizationDenied: RestrictionAction
    /// `marketing_consent_as_ad_consent`: count a buyer's e-mail/SMS marketing
    /// opt-in (Shopify `buyer_accepts_marketing`, Stripe `consent.promotions`)
    /// as a weak grant of ad consent. Default `false`: agreeing to newsletters
    /// is not agreeing to ad tracking.
    public var marketingConsentAsAdConsent: Bool

    public init(
        requiredTCFPurposes: [Int],
        personalizationTCFPurposes: [Int] = [3, 4],
        legitimateInterestPurposes: [Int] = [],
        tcfVendorID: Int?,
        explicitConsentRegions: Set<String> = ConsentPolicy.defaultExplicitConsentRegions,
        defaultRegion: String? = nil,
        unknownRegionRequiresConsent: Bool = true,
        whenUnknown: UnknownConsentAction = .suppress,
        usOptOut: RestrictionAction = .limited,
        usOptOutRegions: Set<String> = ["US"],
        honorGPC: Bool = true,
        personalizationDenied: RestrictionAction = .limited,
        marketingConsentAsAdConsent: Bool = false
    ) {
        self.requiredTCFPurposes = requiredTCFPurposes
        self.personalizationTCFPurposes = personalizationTCFPurposes
        self.legitimateInterestPurposes = legitimateInterestPurposes
        self.tcfVendorID = tcfVendorID
        self.explicitConsentRegions = explicitConsentRegions
        self.defaultRegion = defaultRegion
        self.unknownRegionRequiresConsent = unknownRegionRequiresConsent
        self.whenUnknown = whenUnknown
        self.usOptOut = usOptOut
        self.usOptOutRegions = usOptOutRegions
        self.honorGPC = honorGPC
        self.personalizationDenied = personalizationDenied
        self.marketingConsentAsAdConsent = marketingConsentAsAdConsent
    }

    /// EEA (EU 27 + IS, LI, NO), the United Kingdom and Switzerland.
    public static let defaultExplicitConsentRegions: Set<String> = RegionTables.eea.union(["GB", "CH"])
}
