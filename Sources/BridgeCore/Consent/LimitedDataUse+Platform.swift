/// The privacy values one platform's request carries, computed from a
/// `LimitedDataUse`. The destination file maps them to its wire field names.
///
/// Sources (see `docs/consent.md` and docs/destinations/*.md):
/// Meta `data_processing_options` with `_country` (1 = US, 0 = geolocate) and
/// `_state` (1000 = California, 0 = geolocate), `opt_out`; TikTok
/// `limited_data_use`; Google Data Manager / Ads / GA4 consent fields; Reddit
/// `user.data_processing_options {modes, country, region}`; Snap as Meta
/// (whether Snap wants `LDU` or `lmu` is unresolved); Pinterest `opt_out` and
/// `custom_data.opt_out_type` (`LDP`); LinkedIn has no such field.
public enum PlatformPrivacyFields: Sendable, Equatable {
    /// Meta and Snap. `options` is `["LDU"]` or `[]`; `country`/`state` are set only with LDU.
    case dataProcessingOptions(options: [String], country: Int?, state: Int?, optOut: Bool)
    /// TikTok `limited_data_use`.
    case limitedDataUseFlag(Bool)
    /// Google (Data Manager, Ads API) and GA4: consent values; `nil` means omit the field.
    case consent(adUserData: ConsentSignals.GrantState?, adPersonalization: ConsentSignals.GrantState?)
    /// Reddit: `modes` is `["LDU"]` or `[]`; `country` (`US`) and `region` (`US-CA`) only with LDU.
    case redditDataProcessing(modes: [String], country: String?, region: String?)
    /// Pinterest: `opt_out`, and `opt_out_type` `LDP` for limited data processing.
    case pinterestOptOut(optOut: Bool, optOutType: String?)
    /// LinkedIn: nothing to send; restrictions are enforced by suppressing.
    case none
}

extension LimitedDataUse {
    /// Meta's `data_processing_options_state` code for California.
    public static let metaCaliforniaStateCode = 1000

    /// True when `platform` has fields for every restriction set here: LinkedIn
    /// has none; TikTok and Reddit can carry restricted processing but not
    /// attribution-only; the others carry both.
    public func canBeRendered(for platform: Platform) -> Bool {
        switch platform {
        case .meta, .snapchat, .pinterest, .google, .ga4: return true
        case .tiktok, .reddit: return !attributionOnly
        case .linkedin: return !isRestricted
        }
    }

    /// Renders the restrictions for `platform`.
    public func fields(for platform: Platform) -> PlatformPrivacyFields {
        let isUS = country == "US"
        switch platform {
        case .meta, .snapchat:
            guard restrictedProcessing else {
                return .dataProcessingOptions(options: [], country: nil, state: nil, optOut: attributionOnly)
            }
            return .dataProcessingOptions(
                options: ["LDU"],
                country: isUS ? 1 : 0,
                state: isUS && state == "CA" ? Self.metaCaliforniaStateCode : 0,
                optOut: attributionOnly
            )
        case .tiktok:
            return .limitedDataUseFlag(restrictedProcessing)
        case .google, .ga4:
            let personalization: ConsentSignals.GrantState? = isRestricted ? .denied : adPersonalization
            return .consent(adUserData: adUserData, adPersonalization: personalization)
        case .reddit:
            guard restrictedProcessing else { return .redditDataProcessing(modes: [], country: nil, region: nil) }
            let region = isUS ? state.map { "US-\($0)" } : nil
            return .redditDataProcessing(modes: ["LDU"], country: country, region: region)
        case .pinterest:
            return .pinterestOptOut(optOut: attributionOnly, optOutType: restrictedProcessing ? "LDP" : nil)
        case .linkedin:
            return .none
        }
    }
}
