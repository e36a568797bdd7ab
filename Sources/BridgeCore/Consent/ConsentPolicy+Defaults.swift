extension ConsentPolicy {
    /// The default policy of a platform.
    ///
    /// | platform | `required_tcf_purposes` | `tcf_vendor_id` | `us_opt_out` | `personalization_denied` |
    /// |---|---|---|---|---|
    /// | google, ga4 | 1, 7 | 755 | limited | limited |
    /// | meta, snapchat, pinterest | 1, 7 | – | limited | limited |
    /// | tiktok, reddit | 1, 3, 4, 7 | – | limited | suppress |
    /// | linkedin | 1, 3, 4, 7 | – | suppress | suppress |
    ///
    /// Reasons:
    /// - Purpose 1 (store/access information on a device) is required
    ///   everywhere: the click ids and cookies the event carries were read from
    ///   the device. Purpose 7 (measure advertising performance) is what a
    ///   conversion is for. Google maps `ad_user_data` to purposes 1 and 7.
    /// - Purposes 3 and 4 (personalised-ads profile, select personalised ads)
    ///   are required only where the platform has no way to receive an event
    ///   for measurement only: Google (`adPersonalization: DENIED`), Meta,
    ///   Snap and Pinterest (`opt_out`) do; TikTok, Reddit and LinkedIn do not,
    ///   so for them missing personalization consent suppresses.
    /// - Vendor ids: 755 is Google Advertising Products on the IAB Global
    ///   Vendor List; GA4 takes it too, on the assumption (not verified in the
    ///   shared docs) that Google's TCF integration reads it for Analytics. No
    ///   GVL id could be verified for the other platforms (Meta is not known to take
    ///   part in the TCF); set `tcf_vendor_id` from the current GVL if your CMP
    ///   lists the platform.
    /// - LinkedIn's Conversions API has no limited-data-use field, so a US
    ///   opt-out can only be honoured by not sending.
    public static func `default`(for platform: Platform) -> ConsentPolicy {
        switch platform {
        case .google, .ga4:
            return ConsentPolicy(requiredTCFPurposes: [1, 7], tcfVendorID: 755)
        case .meta, .snapchat, .pinterest:
            return ConsentPolicy(requiredTCFPurposes: [1, 7], tcfVendorID: nil)
        case .tiktok, .reddit:
            return ConsentPolicy(
                requiredTCFPurposes: [1, 3, 4, 7], tcfVendorID: nil, personalizationDenied: .suppress)
        case .linkedin:
            return ConsentPolicy(
                requiredTCFPurposes: [1, 3, 4, 7], tcfVendorID: nil, usOptOut: .suppress,
                personalizationDenied: .suppress)
        }
    }

    /// The default for a destination that is not an ad platform (a webhook,
    /// the sandbox): the strictest settings, since nothing is known about
    /// what the receiver can restrict.
    public static let generic = ConsentPolicy(
        requiredTCFPurposes: [1, 3, 4, 7], tcfVendorID: nil, usOptOut: .suppress, personalizationDenied: .suppress)
}
