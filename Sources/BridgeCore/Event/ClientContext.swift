/// Where the buyer was: the browser context and the ad click ids.
/// All of it is personal data (an IP address identifies a person).
public struct ClientContext: Sendable, Equatable {
    public var ipAddress: PersonalData?
    public var userAgent: PersonalData?
    public var landingURL: PersonalData?
    /// Google Analytics' client id (the `_ga` cookie or its id part): GA4
    /// joins a server event to the browser session with it.
    public var gaClientID: PersonalData?
    /// Google Analytics' session id.
    public var gaSessionID: PersonalData?
    public private(set) var clickIDs: [ClickIDKind: PersonalData]

    public init(
        ipAddress: PersonalData? = nil,
        userAgent: PersonalData? = nil,
        landingURL: PersonalData? = nil,
        clickIDs: [ClickIDKind: PersonalData] = [:],
        gaClientID: PersonalData? = nil,
        gaSessionID: PersonalData? = nil
    ) {
        self.ipAddress = ipAddress
        self.userAgent = userAgent
        self.landingURL = landingURL
        self.clickIDs = clickIDs
        self.gaClientID = gaClientID
        self.gaSessionID = gaSessionID
    }

    public subscript(clickID kind: ClickIDKind) -> PersonalData? {
        get { clickIDs[kind] }
        set { clickIDs[kind] = newValue }
    }

    /// Sets a click id when `value` is non-blank and none is set yet.
    public mutating func fill(_ kind: ClickIDKind, with value: String?) {
        guard clickIDs[kind] == nil, let value, !value.isBlank else { return }
        clickIDs[kind] = PersonalData(value)
    }

    /// True when nothing is known about the client.
    public var isEmpty: Bool {
        ipAddress == nil && userAgent == nil && landingURL == nil && clickIDs.isEmpty && gaClientID == nil && gaSessionID == nil
    }
}
