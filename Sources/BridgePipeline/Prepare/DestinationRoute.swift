import BridgeCore
import BridgeDestinations

/// One configured destination with everything the prepare stage needs to
/// decide and build its deliveries.
public struct DestinationRoute: Sendable {
    public let destination: any Destination
    public let consentPolicy: ConsentPolicy
    /// Region for phone numbers without a country code when the event has no country.
    public let defaultRegion: String?
    /// Whether test events (`test: true`) are sent here. Ad platforms default
    /// to no unless a test event code is configured; sandbox and webhook to yes.
    public let sendsTestEvents: Bool
    /// The sources whose events go here (`destinations[].sources`); `nil`
    /// for every source. Two shops in one bridge, each with its own pixel:
    /// one destination per shop, each naming its shop's source.
    public let sources: Set<String>?

    public init(
        destination: any Destination, consentPolicy: ConsentPolicy, defaultRegion: String?, sendsTestEvents: Bool, sources: Set<String>? = nil
    ) {
        self.destination = destination
        self.consentPolicy = consentPolicy
        self.defaultRegion = defaultRegion
        self.sendsTestEvents = sendsTestEvents
        self.sources = sources
    }

    /// Whether events from `source` go to this destination.
    public func takes(source: String) -> Bool { sources?.contains(source) ?? true }
}
