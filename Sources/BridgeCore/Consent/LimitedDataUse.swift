/// The restrictions a decision puts on an event, in platform-neutral terms;
/// each destination renders them with `fields(for:)`.
///
/// - `restrictedProcessing`: the buyer opted out under a US state privacy law;
///   the platform must process the event in its limited mode (Meta and Snap
///   `data_processing_options: ["LDU"]`, TikTok `limited_data_use`, Reddit
///   LDU, Pinterest `opt_out_type: LDP`, Google personalization denied).
/// - `attributionOnly`: the event may measure ads but not personalise them
///   (Meta, Snap and Pinterest `opt_out: true`, Google personalization denied).
/// - `adUserData` / `adPersonalization`: Google Consent Mode values to pass on,
///   `nil` when nothing is known (the field is then omitted).
/// - `country` / `state`: the resolved region the limited modes need (Meta's
///   `data_processing_options_country` and `_state`, Reddit's `country`/`region`).
public struct LimitedDataUse: Sendable, Equatable {
    public var restrictedProcessing: Bool
    public var attributionOnly: Bool
    public var adUserData: ConsentSignals.GrantState?
    public var adPersonalization: ConsentSignals.GrantState?
    /// ISO 3166-1 alpha-2 country, when known.
    public var country: String?
    /// USPS state code, when the country is `US` and the state is known.
    public var state: String?

    public init(
        restrictedProcessing: Bool = false,
        attributionOnly: Bool = false,
        adUserData: ConsentSignals.GrantState? = nil,
        adPersonalization: ConsentSignals.GrantState? = nil,
        country: String? = nil,
        state: String? = nil
    ) {
        self.restrictedProcessing = restrictedProcessing
        self.attributionOnly = attributionOnly
        self.adUserData = adUserData
        self.adPersonalization = adPersonalization
        self.country = country
        self.state = state
    }

    /// No restriction and no consent value: what a suppressed decision carries.
    public static let none = LimitedDataUse()

    /// True when a restriction flag is set.
    public var isRestricted: Bool { restrictedProcessing || attributionOnly }
}
