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

    public init(destination: any Destination, consentPolicy: ConsentPolicy, defaultRegion: String?, sendsTestEvents: Bool) {
        self.destination = destination
        self.consentPolicy = consentPolicy
        self.defaultRegion = defaultRegion
        self.sendsTestEvents = sendsTestEvents
    }
}
