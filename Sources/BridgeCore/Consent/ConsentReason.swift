/// Why the consent stage decided what it did. Raw values are stable: they are
/// stored with each delivery, used as a metrics label, printed by the
/// dead-letter and report commands and written to the audit chain. Add
/// cases; never rename one.
public enum ConsentReason: String, Sendable, Equatable, Hashable, CaseIterable, Codable, CustomStringConvertible {
    // MARK: Sent

    /// Consent Mode `ad_user_data` was granted.
    case grantedConsentMode = "granted_consent_mode"
    /// The TC string grants every required purpose (and the vendor, when known).
    case grantedTCF = "granted_tcf"
    /// Marketing opt-in counted as ad consent (`marketing_consent_as_ad_consent: true`).
    case grantedMarketingConsent = "granted_marketing_consent"
    /// The buyer's region does not require explicit consent and nothing restricts the event.
    case notRequiredRegion = "not_required_region"

    // MARK: Suppressed by a denial

    /// Consent Mode `ad_user_data` was denied.
    case deniedConsentMode = "denied_consent_mode"
    /// The TC string lacks consent for a required purpose.
    case deniedTCFPurpose = "denied_tcf_purpose"
    /// The TC string lacks consent for the destination's vendor id.
    case deniedTCFVendor = "denied_tcf_vendor"
    /// A publisher restriction forbids a required purpose for the destination's vendor.
    case deniedTCFPublisherRestriction = "denied_tcf_publisher_restriction"
    /// Ad personalization was denied (Consent Mode or TCF purposes 3–4):
    /// limited to measurement, or suppressed where the platform cannot limit.
    case deniedAdPersonalization = "denied_ad_personalization"

    // MARK: Unknown consent where it is required

    /// An explicit-consent region and no signal said yes or no.
    case unknownInExplicitRegion = "unknown_in_explicit_region"
    /// The buyer's country is unknown and the policy treats that as explicit-consent.
    case unknownRegion = "unknown_region"
    /// The only consent signal was a TC string that could not be decoded.
    case malformedTCFString = "malformed_tcf_string"

    // MARK: US opt-outs

    /// Global Privacy Control was set.
    case gpcOptOut = "gpc_opt_out"
    /// The US Privacy string records an opt-out of sale.
    case usPrivacyOptOut = "us_privacy_opt_out"
    /// A GPP US section records an opt-out of sale, sharing or targeted advertising.
    case gppOptOut = "gpp_opt_out"

    public var description: String { rawValue }
}
