extension ConsentEngine {
    /// What a TC string says for one destination.
    enum TCFOutcome: Equatable {
        /// Every required purpose (and the vendor) is covered; `personalization`
        /// tells whether the personalization purposes are consented too.
        case granted(personalization: Bool)
        /// A required purpose, the vendor or a publisher restriction says no.
        case denied(ConsentReason)
    }

    /// Evaluates a TC string against a policy.
    ///
    /// For each required purpose, in order of the checks:
    /// 1. a publisher restriction of type 0 (not allowed) for the destination's
    ///    vendor denies (`denied_tcf_publisher_restriction`);
    /// 2. the purpose must be consented, or covered by legitimate interest when
    ///    the policy lists it in `legitimate_interest_purposes`; a restriction of
    ///    type 1 rules out legitimate interest and type 2 rules out consent
    ///    (`denied_tcf_purpose`, or `denied_tcf_publisher_restriction` when only
    ///    the restriction stood in the way);
    /// 3. with a `tcf_vendor_id`, the vendor needs the matching vendor consent
    ///    or vendor legitimate interest (`denied_tcf_vendor`).
    ///
    /// With `PurposeOneTreatment` set, purpose 1 was not disclosed under the
    /// publisher's jurisdiction and is not required. Restrictions are applied
    /// only when the vendor id is known.
    static func evaluate(_ tc: TCString, policy: ConsentPolicy) -> TCFOutcome {
        let vendor = policy.tcfVendorID
        let required = policy.requiredTCFPurposes.filter { !(tc.purposeOneTreatment && $0 == 1) }

        func restriction(_ purpose: Int) -> TCPublisherRestriction.RestrictionType? {
            guard let vendor else { return nil }
            return tc.publisherRestrictions.first { $0.purposeID == purpose && $0.applies(to: vendor) }?.restrictionType
        }
        func bases(_ purpose: Int) -> (consent: Bool, legitimateInterest: Bool) {
            let type = restriction(purpose)
            return (
                consent: type != .requireLegitimateInterest,
                legitimateInterest: type != .requireConsent && policy.legitimateInterestPurposes.contains(purpose)
            )
        }

        for purpose in required where restriction(purpose) == .notAllowed {
            return .denied(.deniedTCFPublisherRestriction)
        }
        for purpose in required {
            let allowed = bases(purpose)
            let consented = tc.purposeConsents.contains(purpose)
            let interested = tc.purposeLegitimateInterests.contains(purpose)
            guard (allowed.consent && consented) || (allowed.legitimateInterest && interested) else {
                let blockedByRestriction =
                    (consented && !allowed.consent)
                    || (interested && policy.legitimateInterestPurposes.contains(purpose) && !allowed.legitimateInterest)
                return .denied(blockedByRestriction ? .deniedTCFPublisherRestriction : .deniedTCFPurpose)
            }
        }
        if let vendor {
            let vendorConsent = tc.vendorConsents.contains(vendor)
            let vendorInterest = tc.vendorLegitimateInterests.contains(vendor)
            for purpose in required {
                let allowed = bases(purpose)
                let byConsent = allowed.consent && tc.purposeConsents.contains(purpose) && vendorConsent
                let byInterest =
                    allowed.legitimateInterest && tc.purposeLegitimateInterests.contains(purpose)
                    && vendorInterest
                guard byConsent || byInterest else { return .denied(.deniedTCFVendor) }
            }
        }
        let personalization =
            policy.personalizationTCFPurposes.allSatisfy { tc.purposeConsents.contains($0) }
            && (vendor.map { tc.vendorConsents.contains($0) } ?? true)
        return .granted(personalization: personalization)
    }
}
