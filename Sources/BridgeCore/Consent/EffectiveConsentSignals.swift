/// `ConsentSignals` with the source-specific keys folded in (see `ConsentSourceKey`).
struct EffectiveConsentSignals {
    var adUserData: ConsentSignals.GrantState?
    var adPersonalization: ConsentSignals.GrantState?
    var gpc: Bool?
    var tcfString: String?
    var usPrivacy: String?
    var gppString: String?
    /// `true` when some source recorded a marketing opt-in and none an opt-out;
    /// `false` when any recorded an opt-out; `nil` when none said anything.
    var marketingOptIn: Bool?

    init(_ signals: ConsentSignals) {
        let source = signals.sourceSignals.mapValues { $0.trimmingWhitespace().lowercased() }
        adUserData = Self.stricter(signals.adUserData, Self.grant(source[ConsentSourceKey.wooCommerceAdUserData]))
        adPersonalization = Self.stricter(
            signals.adPersonalization, Self.grant(source[ConsentSourceKey.wooCommerceAdPersonalization]))
        let sourceGPC = Self.flag(source[ConsentSourceKey.wooCommerceGPC])
        gpc = signals.gpc == true || sourceGPC == true ? true : (signals.gpc ?? sourceGPC)
        tcfString = Self.nonBlank(signals.tcfString) ?? Self.nonBlank(signals.sourceSignals[ConsentSourceKey.wooCommerceTCFString])
        usPrivacy = Self.nonBlank(signals.usPrivacy)
        gppString = Self.nonBlank(signals.gppString)

        let marketing = [
            source[ConsentSourceKey.shopifyBuyerAcceptsMarketing],
            source[ConsentSourceKey.shopifyEmailMarketingState],
            source[ConsentSourceKey.shopifySMSMarketingState],
            source[ConsentSourceKey.stripePromotions],
        ].compactMap { $0 }
        if marketing.contains(where: { ["false", "unsubscribed", "not_subscribed", "opt_out"].contains($0) }) {
            marketingOptIn = false
        } else if marketing.contains(where: { ["true", "subscribed", "opt_in"].contains($0) }) {
            marketingOptIn = true
        } else {
            marketingOptIn = nil
        }
    }

    private static func grant(_ value: String?) -> ConsentSignals.GrantState? {
        switch value {
        case "granted", "true", "1", "yes": return .granted
        case "denied", "false", "0", "no": return .denied
        default: return nil
        }
    }

    private static func flag(_ value: String?) -> Bool? {
        switch value {
        case "1", "true", "yes": return true
        case "0", "false", "no": return false
        default: return nil
        }
    }

    /// A denial from either side wins; otherwise whichever is known.
    private static func stricter(
        _ a: ConsentSignals.GrantState?, _ b: ConsentSignals.GrantState?
    ) -> ConsentSignals.GrantState? {
        if a == .denied || b == .denied { return .denied }
        return a ?? b
    }

    private static func nonBlank(_ value: String?) -> String? {
        guard let value, !value.trimmingWhitespace().isEmpty else { return nil }
        return value
    }
}
