import BridgeCore
import BridgeDestinations
import Testing

/// GA4 settings, destinations and fresh items for the GA4 suites.
enum GA4Fixtures {
    /// A test API secret: must never appear in audit output.
    static let apiSecret = "ga4-secret-Xy7Qp2Lk9"
    static let measurementID = "G-TEST123456"

    /// The minimal valid settings, plus `extra`.
    static func settings(_ extra: [String: JSONValue] = [:], name: String = "ga4") -> DestinationSettings {
        var settings: [String: JSONValue] = ["measurement_id": .string(measurementID), "api_secret": .string(apiSecret)]
        settings.merge(extra) { _, new in new }
        return DestinationSettings(name: name, kind: "ga4", settings: settings)
    }

    static func ga4(_ extra: [String: JSONValue] = [:]) throws -> GA4Destination {
        try GA4Destination(settings(extra))
    }

    /// Consent Mode values known and granted.
    static let granted = ConsentDecision(
        action: .send, reason: .grantedConsentMode, limitedDataUse: LimitedDataUse(adUserData: .granted, adPersonalization: .granted))

    /// The item for `event` with `consent`, or a test failure.
    static func item(
        _ ga4: GA4Destination, _ event: ConversionEvent, consent: ConsentDecision = granted, now: Timestamp = ItemTestSupport.farFuture
    ) throws -> JSONValue {
        try DestinationFixtures.item(ga4, event, consent: consent, now: now)
    }

    /// `count` items with event ids `sale:t:0`, … happened a minute before `now`.
    static func items(_ count: Int, for ga4: GA4Destination, now: Timestamp = LoopbackSender.now()) throws -> [JSONValue] {
        var base = try DestinationFixtures.purchase()
        base.eventTime = now.advanced(by: .seconds(-60))
        return try (0..<count).map { index in
            var event = base
            event.eventID = "sale:t:\(index)"
            return try item(ga4, event)
        }
    }
}
