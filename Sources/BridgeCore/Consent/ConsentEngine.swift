/// Decides, per event and destination, whether consent allows sending: pure,
/// no I/O, no clock.
///
/// Precedence, first match wins (documented with examples in `docs/consent.md`):
///
/// | step | condition | result |
/// |---|---|---|
/// | 1 | Consent Mode `ad_user_data` denied (any region) | suppress `denied_consent_mode` |
/// | 2 | consent required¹ and a TC string² denies a required purpose, the vendor, or a publisher restriction forbids it | suppress `denied_tcf_purpose` / `denied_tcf_vendor` / `denied_tcf_publisher_restriction` |
/// | 3 | consent required and no grant (TCF, Consent Mode `ad_user_data`, or the opt-in marketing fallback) | `when_unknown` with `unknown_in_explicit_region`, `unknown_region` or `malformed_tcf_string` |
/// | 4 | ad personalization denied (Consent Mode or TCF purposes 3–4) | `personalization_denied`: send limited (measurement only) or suppress, `denied_ad_personalization` |
/// | 5 | opt-outs apply³ and GPC (if `honor_gpc`), a US Privacy opt-out of sale, or a GPP opt-out | `us_opt_out`: send limited (LDU) or suppress, `gpc_opt_out` / `us_privacy_opt_out` / `gpp_opt_out` |
/// | 6 | otherwise | send: `granted_tcf`, `granted_consent_mode`, `granted_marketing_consent` or `not_required_region` |
///
/// A `sendLimited` result for a platform that has no field for the restriction
/// (`LimitedDataUse.canBeRendered(for:)`: LinkedIn, or attribution-only on
/// TikTok and Reddit) becomes a suppression with the same reason, whatever
/// the policy says: a limit the platform cannot be told about is not honoured.
///
/// ¹ The resolved country is in `explicit_consent_regions`, or unknown while
/// `unknown_region_requires_consent` is on. ² The `tcf_string` signal, the
/// WooCommerce meta copy, or the GPP `tcfeuv2` section; outside such regions a
/// TC string is not evaluated (GDPR does not apply there). ³ The resolved
/// country is in `us_opt_out_regions`, or unknown: an opt-out can only
/// restrict, so it is honoured when the region cannot be told.
///
/// Malformed US Privacy and GPP strings, and GPP sections the bridge cannot
/// read, never grant anything: they count as no signal.
public enum ConsentEngine {
    /// The decision for one event and one destination.
    /// - Parameters:
    ///   - signals: consent as the source sent it.
    ///   - country: the buyer's country as typed (`customer[.country]`), or `nil`.
    ///   - state: the buyer's state as typed (`customer[.state]`), or `nil`.
    ///   - policy: the destination's policy.
    ///   - platform: the destination's platform: a limit it cannot carry suppresses instead.
    /// - Returns: the action, a stable reason and the restrictions to render.
    public static func decide(
        signals: ConsentSignals,
        country: String?,
        state: String?,
        policy: ConsentPolicy,
        platform: Platform
    ) -> ConsentDecision {
        let region = ConsentRegion.resolve(country: country, state: state, defaultRegion: policy.defaultRegion)
        let s = EffectiveConsentSignals(signals)
        let requiresConsent =
            region.country.map { policy.explicitConsentRegions.contains($0) }
            ?? policy.unknownRegionRequiresConsent
        let optOutsApply = region.country.map { policy.usOptOutRegions.contains($0) } ?? true
        let gpp = s.gppString.flatMap { try? GPPString(decoding: $0) }

        // 1. An explicit Consent Mode denial holds everywhere.
        if s.adUserData == .denied { return .suppress(.deniedConsentMode) }

        var restrictions = LimitedDataUse(
            adUserData: s.adUserData, adPersonalization: s.adPersonalization,
            country: region.country, state: region.state)
        var basis: ConsentReason?
        var personalizationDenied = s.adPersonalization == .denied
        var malformedTCF = false

        // 2. TCF, where consent is required.
        if requiresConsent {
            switch tcString(s, gpp: gpp) {
            case .none:
                break
            case .failure:
                malformedTCF = true
            case .success(let tc):
                switch evaluate(tc, policy: policy) {
                case .denied(let reason):
                    return .suppress(reason)
                case .granted(let personalization):
                    basis = .grantedTCF
                    restrictions.adUserData = restrictions.adUserData ?? .granted
                    if personalization {
                        restrictions.adPersonalization = restrictions.adPersonalization ?? .granted
                    } else {
                        personalizationDenied = true
                    }
                }
            }
        }

        // 3. Other grants, then unknown consent where it is required.
        if basis == nil, s.adUserData == .granted { basis = .grantedConsentMode }
        if basis == nil, policy.marketingConsentAsAdConsent, s.marketingOptIn == true {
            basis = .grantedMarketingConsent
        }
        var action = ConsentDecision.Action.send
        var reason: ConsentReason
        if let basis {
            reason = basis
        } else if requiresConsent {
            reason = malformedTCF ? .malformedTCFString : (region.country == nil ? .unknownRegion : .unknownInExplicitRegion)
            switch policy.whenUnknown {
            case .suppress:
                return .suppress(reason)
            case .send:
                break
            case .sendLimited:
                action = .sendLimited
                restrictions.restrictedProcessing = true
                restrictions.attributionOnly = true
                restrictions.adPersonalization = .denied
            }
        } else {
            reason = .notRequiredRegion
        }

        // 4. Denied personalization: measurement only, or nothing.
        if personalizationDenied {
            if policy.personalizationDenied == .suppress { return .suppress(.deniedAdPersonalization) }
            action = .sendLimited
            reason = .deniedAdPersonalization
            restrictions.attributionOnly = true
            restrictions.adPersonalization = .denied
        }

        // 5. US opt-outs.
        if optOutsApply, let optOut = usOptOut(s, gpp: gpp, policy: policy) {
            if policy.usOptOut == .suppress { return .suppress(optOut) }
            action = .sendLimited
            reason = optOut
            restrictions.restrictedProcessing = true
            restrictions.adPersonalization = .denied
        }

        // 6. Send, unless the platform cannot carry the restriction.
        if action == .sendLimited, !restrictions.canBeRendered(for: platform) { return .suppress(reason) }
        return ConsentDecision(action: action, reason: reason, limitedDataUse: restrictions)
    }

    /// The first US opt-out signal, in the order GPC, US Privacy, GPP.
    static func usOptOut(_ s: EffectiveConsentSignals, gpp: GPPString?, policy: ConsentPolicy) -> ConsentReason? {
        if policy.honorGPC, s.gpc == true { return .gpcOptOut }
        if let usp = s.usPrivacy.flatMap({ try? USPrivacyString(decoding: $0) }), usp.hasOptedOut {
            return .usPrivacyOptOut
        }
        if let gpp, gpp.hasOptOut(honoringGPC: policy.honorGPC) { return .gppOptOut }
        return nil
    }

    /// The TC string to evaluate: the signal (or its WooCommerce copy), else the GPP `tcfeuv2` section.
    static func tcString(_ s: EffectiveConsentSignals, gpp: GPPString?) -> Result<TCString, TCStringError>? {
        if let text = s.tcfString {
            do { return .success(try TCString(decoding: text)) } catch { return .failure(error) }
        }
        for section in gpp?.sections ?? [] {
            switch section {
            case .tcfEuV2(let tc): return .success(tc)
            case .invalid(2, .tcfSection(let error)): return .failure(error)
            default: continue
            }
        }
        return nil
    }
}
