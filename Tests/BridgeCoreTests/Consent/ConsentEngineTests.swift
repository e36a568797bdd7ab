import BridgeCore
import Testing

/// One test per reason code, plus precedence, region and LDU mapping.
@Suite("Consent decisions")
struct ConsentEngineTests {
    static let allGranted = TCBuilder.string(purposes: Set(1...10), vendors: [1, 755])

    private func decide(
        _ signals: ConsentSignals = ConsentSignals(),
        country: String? = nil,
        state: String? = nil,
        policy: ConsentPolicy? = nil,
        platform: Platform = .meta
    ) -> ConsentDecision {
        ConsentEngine.decide(
            signals: signals, country: country, state: state,
            policy: policy ?? .default(for: platform), platform: platform)
    }

    // MARK: Sent

    @Test("granted_consent_mode: ad_user_data granted in the EEA sends")
    func grantedConsentMode() {
        let decision = decide(ConsentSignals(adUserData: .granted), country: "DE", platform: .google)
        #expect(decision.action == .send)
        #expect(decision.reason == .grantedConsentMode)
        #expect(decision.limitedDataUse.fields(for: .google) == .consent(adUserData: .granted, adPersonalization: nil))
    }

    @Test("granted_tcf: a TC string with the purposes and Google's vendor sends, with Google consent values")
    func grantedTCF() {
        let decision = decide(ConsentSignals(tcfString: Self.allGranted), country: "FR", platform: .google)
        #expect(decision.action == .send)
        #expect(decision.reason == .grantedTCF)
        #expect(decision.limitedDataUse.adUserData == .granted)
        #expect(decision.limitedDataUse.adPersonalization == .granted)
    }

    @Test("granted_marketing_consent: a marketing opt-in counts only when the policy says so")
    func grantedMarketingConsent() {
        let signals = ConsentSignals(sourceSignals: [ConsentSourceKey.shopifyBuyerAcceptsMarketing: "true"])
        var policy = ConsentPolicy.default(for: .meta)
        #expect(decide(signals, country: "DE", policy: policy).reason == .unknownInExplicitRegion)
        policy.marketingConsentAsAdConsent = true
        let decision = decide(signals, country: "DE", policy: policy)
        #expect(decision.action == .send)
        #expect(decision.reason == .grantedMarketingConsent)
        let optedOut = ConsentSignals(sourceSignals: [
            ConsentSourceKey.shopifyBuyerAcceptsMarketing: "true",
            ConsentSourceKey.shopifyEmailMarketingState: "unsubscribed",
        ])
        #expect(decide(optedOut, country: "DE", policy: policy).isSuppressed)
    }

    @Test("not_required_region: a US buyer with no signal is sent")
    func notRequiredRegion() {
        let decision = decide(country: "US", state: "NY")
        #expect(
            decision
                == ConsentDecision(
                    action: .send, reason: .notRequiredRegion, limitedDataUse: LimitedDataUse(country: "US", state: "NY")))
    }

    // MARK: Denied

    @Test("denied_consent_mode: an ad_user_data denial suppresses everywhere, over any grant")
    func deniedConsentMode() {
        for country in ["US", "DE", nil] {
            let decision = decide(
                ConsentSignals(adUserData: .denied, tcfString: Self.allGranted), country: country, platform: .google)
            #expect(decision == .suppress(.deniedConsentMode))
        }
        let woo = ConsentSignals(
            adUserData: .granted, sourceSignals: [ConsentSourceKey.wooCommerceAdUserData: "denied"])
        #expect(decide(woo, country: "US").reason == .deniedConsentMode)
    }

    @Test("denied_tcf_purpose: a missing required purpose suppresses")
    func deniedTCFPurpose() {
        let tc = TCBuilder.string(purposes: [1], vendors: [755])
        #expect(decide(ConsentSignals(tcfString: tc), country: "DE", platform: .google) == .suppress(.deniedTCFPurpose))
    }

    @Test("denied_tcf_vendor: purposes granted but not the destination's vendor suppresses")
    func deniedTCFVendor() {
        let tc = TCBuilder.string(purposes: Set(1...10), vendors: [754, 756])
        #expect(decide(ConsentSignals(tcfString: tc), country: "DE", platform: .google) == .suppress(.deniedTCFVendor))
        // Meta has no GVL id: purposes alone decide.
        #expect(decide(ConsentSignals(tcfString: tc), country: "DE", platform: .meta).reason == .grantedTCF)
    }

    @Test("denied_tcf_publisher_restriction: a not-allowed restriction on a required purpose suppresses")
    func deniedTCFPublisherRestriction() {
        let notAllowed = TCBuilder.string(
            purposes: Set(1...10), vendors: [755], restrictions: [(purpose: 7, type: 0, vendor: 755)])
        #expect(
            decide(ConsentSignals(tcfString: notAllowed), country: "DE", platform: .google)
                == .suppress(.deniedTCFPublisherRestriction))
        // Require-legitimate-interest on a purpose the policy needs by consent.
        let requireLI = TCBuilder.string(
            purposes: Set(1...10), vendors: [755], restrictions: [(purpose: 1, type: 2, vendor: 755)])
        #expect(
            decide(ConsentSignals(tcfString: requireLI), country: "DE", platform: .google)
                == .suppress(.deniedTCFPublisherRestriction))
        // A restriction on another vendor does not apply.
        let other = TCBuilder.string(
            purposes: Set(1...10), vendors: [755], restrictions: [(purpose: 7, type: 0, vendor: 1)])
        #expect(decide(ConsentSignals(tcfString: other), country: "DE", platform: .google).reason == .grantedTCF)
    }

    @Test("denied_ad_personalization: measurement only where the platform allows it, else suppressed")
    func deniedAdPersonalization() {
        let signals = ConsentSignals(adUserData: .granted, adPersonalization: .denied)
        let meta = decide(signals, country: "DE", platform: .meta)
        #expect(meta.action == .sendLimited)
        #expect(meta.reason == .deniedAdPersonalization)
        #expect(
            meta.limitedDataUse.fields(for: .meta)
                == .dataProcessingOptions(options: [], country: nil, state: nil, optOut: true))
        #expect(decide(signals, country: "DE", platform: .tiktok) == .suppress(.deniedAdPersonalization))

        let measurementOnly = TCBuilder.string(purposes: [1, 7], vendors: [755])
        let google = decide(ConsentSignals(tcfString: measurementOnly), country: "DE", platform: .google)
        #expect(google.action == .sendLimited)
        #expect(google.reason == .deniedAdPersonalization)
        #expect(google.limitedDataUse.fields(for: .google) == .consent(adUserData: .granted, adPersonalization: .denied))
    }

    // MARK: Unknown

    @Test("unknown_in_explicit_region: no signal in the EEA follows when_unknown")
    func unknownInExplicitRegion() {
        #expect(decide(country: "de") == .suppress(.unknownInExplicitRegion))
        var policy = ConsentPolicy.default(for: .meta)
        policy.whenUnknown = .send
        let sent = decide(country: "Germany", policy: policy)
        #expect(sent.action == .send)
        #expect(sent.reason == .unknownInExplicitRegion)
        policy.whenUnknown = .sendLimited
        let limited = decide(country: "GB", policy: policy)
        #expect(limited.action == .sendLimited)
        #expect(limited.limitedDataUse.restrictedProcessing)
        #expect(limited.limitedDataUse.attributionOnly)
    }

    @Test("unknown_region: an unknown country counts as explicit-consent, unless configured otherwise")
    func unknownRegion() {
        #expect(decide(country: nil) == .suppress(.unknownRegion))
        #expect(decide(country: "Narnia") == .suppress(.unknownRegion))
        var policy = ConsentPolicy.default(for: .meta)
        policy.unknownRegionRequiresConsent = false
        #expect(decide(country: nil, policy: policy).reason == .notRequiredRegion)
    }

    @Test("malformed_tcf_string: an undecodable TC string is no consent, but other grants still count")
    func malformedTCFString() {
        #expect(decide(ConsentSignals(tcfString: "CQ"), country: "DE") == .suppress(.malformedTCFString))
        let withConsentMode = decide(ConsentSignals(adUserData: .granted, tcfString: "CQ"), country: "DE")
        #expect(withConsentMode.reason == .grantedConsentMode)
    }

    // MARK: US opt-outs

    @Test("gpc_opt_out: GPC in California sends with Meta LDU, country 1, state 1000")
    func gpcOptOut() {
        let decision = decide(ConsentSignals(gpc: true), country: "US", state: "California", platform: .meta)
        #expect(decision.action == .sendLimited)
        #expect(decision.reason == .gpcOptOut)
        #expect(
            decision.limitedDataUse.fields(for: .meta)
                == .dataProcessingOptions(options: ["LDU"], country: 1, state: 1000, optOut: false))
        var policy = ConsentPolicy.default(for: .meta)
        policy.honorGPC = false
        #expect(decide(ConsentSignals(gpc: true), country: "US", policy: policy).reason == .notRequiredRegion)
        let woo = ConsentSignals(sourceSignals: [ConsentSourceKey.wooCommerceGPC: "1"])
        #expect(decide(woo, country: "US").reason == .gpcOptOut)
    }

    @Test("us_privacy_opt_out: a 1YYN string limits, and suppresses where the platform cannot limit")
    func usPrivacyOptOut() {
        let signals = ConsentSignals(usPrivacy: "1YYN")
        let tiktok = decide(signals, country: "US", state: "VA", platform: .tiktok)
        #expect(tiktok.reason == .usPrivacyOptOut)
        #expect(tiktok.limitedDataUse.fields(for: .tiktok) == .limitedDataUseFlag(true))
        #expect(decide(signals, country: "US", platform: .linkedin) == .suppress(.usPrivacyOptOut))
        #expect(decide(ConsentSignals(usPrivacy: "1YNN"), country: "US").reason == .notRequiredRegion)
        #expect(decide(ConsentSignals(usPrivacy: "garbage"), country: "US").reason == .notRequiredRegion)
    }

    @Test("gpp_opt_out: a usnat sale opt-out limits the event")
    func gppOptOut() {
        let gpp = SextetWriter.gppHeader([7]) + "~" + SextetWriter.usnat(sale: 1, sharing: 2, targeted: 2)
        let decision = decide(ConsentSignals(gppString: gpp), country: "US", state: "TX", platform: .reddit)
        #expect(decision.action == .sendLimited)
        #expect(decision.reason == .gppOptOut)
        #expect(
            decision.limitedDataUse.fields(for: .reddit)
                == .redditDataProcessing(modes: ["LDU"], country: "US", region: "US-TX"))
        var policy = ConsentPolicy.default(for: .reddit)
        policy.usOptOut = .suppress
        #expect(
            decide(ConsentSignals(gppString: gpp), country: "US", policy: policy, platform: .reddit)
                == .suppress(.gppOptOut))
    }

    // MARK: Precedence and regions

    @Test("opt-outs apply only in us_opt_out_regions, or when the region is unknown")
    func optOutRegions() {
        var policy = ConsentPolicy.default(for: .meta)
        #expect(decide(ConsentSignals(gpc: true), country: "CA", policy: policy).reason == .notRequiredRegion)
        policy.usOptOutRegions = ["US", "CA"]
        #expect(decide(ConsentSignals(gpc: true), country: "Canada", policy: policy).reason == .gpcOptOut)
        policy.unknownRegionRequiresConsent = false
        #expect(decide(ConsentSignals(gpc: true), country: nil, policy: policy).reason == .gpcOptOut)
    }

    @Test("a US opt-out outranks denied personalization as the reason, and both flags are set")
    func optOutOutranksPersonalization() {
        let signals = ConsentSignals(adPersonalization: .denied, gpc: true)
        let decision = decide(signals, country: "US", state: "CA", platform: .meta)
        #expect(decision.reason == .gpcOptOut)
        #expect(
            decision.limitedDataUse.fields(for: .meta)
                == .dataProcessingOptions(options: ["LDU"], country: 1, state: 1000, optOut: true))
    }

    @Test("a limit the platform cannot carry suppresses, whatever the policy says")
    func unrenderableLimitSuppresses() {
        var linkedin = ConsentPolicy.default(for: .linkedin)
        linkedin.usOptOut = .limited
        #expect(
            decide(ConsentSignals(gpc: true), country: "US", policy: linkedin, platform: .linkedin)
                == .suppress(.gpcOptOut))
        var tiktok = ConsentPolicy.default(for: .tiktok)
        tiktok.personalizationDenied = .limited
        let signals = ConsentSignals(adUserData: .granted, adPersonalization: .denied)
        #expect(decide(signals, country: "US", policy: tiktok, platform: .tiktok) == .suppress(.deniedAdPersonalization))
        #expect(LimitedDataUse(restrictedProcessing: true).canBeRendered(for: .tiktok))
        #expect(!LimitedDataUse(attributionOnly: true).canBeRendered(for: .reddit))
        #expect(LimitedDataUse.none.canBeRendered(for: .linkedin))
    }

    @Test("a TC string outside explicit-consent regions is not evaluated")
    func tcfIgnoredOutsideExplicitRegions() {
        let denied = TCBuilder.string(purposes: [])
        #expect(decide(ConsentSignals(tcfString: denied), country: "US").reason == .notRequiredRegion)
    }

    @Test("the TC string may come from WooCommerce meta or from the GPP tcfeuv2 section")
    func tcfFromOtherCarriers() {
        let woo = ConsentSignals(sourceSignals: [ConsentSourceKey.wooCommerceTCFString: Self.allGranted])
        #expect(decide(woo, country: "AT", platform: .google).reason == .grantedTCF)
        let gpp = ConsentSignals(gppString: SextetWriter.gppHeader([2]) + "~" + Self.allGranted)
        #expect(decide(gpp, country: "AT", platform: .google).reason == .grantedTCF)
        let badGPP = ConsentSignals(gppString: SextetWriter.gppHeader([2]) + "~CQ")
        #expect(decide(badGPP, country: "AT", platform: .google) == .suppress(.malformedTCFString))
    }

    @Test("legitimate interest satisfies a purpose only when the policy lists it")
    func legitimateInterest() {
        let tc = TCBuilder.string(
            purposes: [1, 3, 4], legitimateInterests: [7], vendors: [755], vendorLegitimateInterests: [755])
        var policy = ConsentPolicy.default(for: .google)
        #expect(
            decide(ConsentSignals(tcfString: tc), country: "DE", policy: policy, platform: .google)
                == .suppress(.deniedTCFPurpose))
        policy.legitimateInterestPurposes = [7]
        #expect(
            decide(ConsentSignals(tcfString: tc), country: "DE", policy: policy, platform: .google).reason
                == .grantedTCF)
        let noVendorLI = TCBuilder.string(purposes: [1, 3, 4], legitimateInterests: [7], vendors: [755])
        #expect(
            decide(ConsentSignals(tcfString: noVendorLI), country: "DE", policy: policy, platform: .google)
                == .suppress(.deniedTCFVendor))
    }

    @Test("with PurposeOneTreatment, purpose 1 is not required")
    func purposeOneTreatment() {
        let tc = TCBuilder.string(purposes: [3, 4, 7], vendors: [755], purposeOneTreatment: true)
        #expect(decide(ConsentSignals(tcfString: tc), country: "DE", platform: .google).reason == .grantedTCF)
    }

    @Test("the policy's default region applies only when the event has no country")
    func defaultRegion() {
        var policy = ConsentPolicy.default(for: .meta)
        policy.defaultRegion = "US"
        #expect(decide(country: nil, policy: policy).reason == .notRequiredRegion)
        #expect(decide(country: "  ", policy: policy).reason == .notRequiredRegion)
        #expect(decide(country: "FR", policy: policy) == .suppress(.unknownInExplicitRegion))
        #expect(decide(country: "Atlantis", policy: policy) == .suppress(.unknownRegion))
    }

    @Test("a suppressed decision keeps no region or restriction data")
    func suppressedCarriesNothing() {
        let decision = decide(ConsentSignals(adUserData: .denied), country: "US", state: "CA")
        #expect(decision.limitedDataUse == .none)
        #expect(decision.description == "suppress:denied_consent_mode")
    }

    @Test("reason codes are fifteen distinct snake_case strings")
    func reasonCodesAreStable() {
        #expect(ConsentReason.allCases.count == 15)
        #expect(Set(ConsentReason.allCases.map(\.rawValue)).count == 15)
        #expect(ConsentReason.allCases.allSatisfy { $0.rawValue == $0.rawValue.lowercased() })
    }
}
