/// Consent as the source sent it, undecided. The consent stage turns these
/// into a per-destination decision; here nothing is interpreted.
public struct ConsentSignals: Sendable, Equatable {
    /// Google Consent Mode v2 state of a purpose.
    public enum GrantState: String, Sendable, Equatable, CaseIterable {
        case granted
        case denied
    }

    /// Consent Mode v2 `ad_user_data`.
    public var adUserData: GrantState?
    /// Consent Mode v2 `ad_personalization`.
    public var adPersonalization: GrantState?
    /// Global Privacy Control: `true` means the browser signalled an opt-out.
    public var gpc: Bool?
    /// IAB TCF v2.2 TC string.
    public var tcfString: String?
    /// IAB US Privacy (CCPA) string, e.g. `1YNN`.
    public var usPrivacy: String?
    /// IAB Global Privacy Platform string.
    public var gppString: String?
    /// Source-specific signals that are not ad-tracking consent but are kept for
    /// the consent stage and reports, e.g. `shopify.buyer_accepts_marketing`.
    public var sourceSignals: [String: String]

    public init(
        adUserData: GrantState? = nil,
        adPersonalization: GrantState? = nil,
        gpc: Bool? = nil,
        tcfString: String? = nil,
        usPrivacy: String? = nil,
        gppString: String? = nil,
        sourceSignals: [String: String] = [:]
    ) {
        self.adUserData = adUserData
        self.adPersonalization = adPersonalization
        self.gpc = gpc
        self.tcfString = tcfString
        self.usPrivacy = usPrivacy
        self.gppString = gppString
        self.sourceSignals = sourceSignals
    }

    /// True when the source said nothing about consent.
    public var isEmpty: Bool {
        adUserData == nil && adPersonalization == nil && gpc == nil && tcfString == nil
            && usPrivacy == nil && gppString == nil && sourceSignals.isEmpty
    }
}
