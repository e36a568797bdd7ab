import BridgeCore
import BridgeDestinations
import Testing

/// LinkedIn settings, destinations and fresh items for the LinkedIn suites.
enum LinkedInFixtures {
    /// A static member token: must never appear in audit output.
    static let token = "AQV-linkedin-test-token-3e9d1c"
    static let clientSecret = "li-client-secret-5b7a"
    static let refreshToken = "AQX-li-refresh-token-9c2f"

    /// The minimal valid settings (static token), plus `extra`.
    static func settings(_ extra: [String: JSONValue] = [:], name: String = "linkedin") -> DestinationSettings {
        var settings: [String: JSONValue] = ["conversion_rule_id": .string("104012"), "access_token": .string(token)]
        settings.merge(extra) { _, new in new }
        return DestinationSettings(name: name, kind: "linkedin", settings: settings)
    }

    /// Settings using the refresh-token grant instead of a static token.
    static func oauthSettings(_ extra: [String: JSONValue] = [:]) -> DestinationSettings {
        var settings: [String: JSONValue] = [
            "conversion_rule_id": .string("104012"), "refresh_token": .string(refreshToken), "client_id": .string("li-client"),
            "client_secret": .string(clientSecret),
        ]
        settings.merge(extra) { _, new in new }
        return DestinationSettings(name: "linkedin", kind: "linkedin", settings: settings)
    }

    static func linkedIn(_ extra: [String: JSONValue] = [:]) throws -> LinkedInDestination {
        try LinkedInDestination(settings(extra))
    }

    /// The fixture purchase with a `li_fat_id` click id.
    static func purchaseWithClickID(_ clickID: String = "3f6d2b1e-8c4a-4e7f-9a21-5b0c7d9e1f42") throws -> ConversionEvent {
        var event = try DestinationFixtures.purchase()
        event.client[clickID: .liFatID] = PersonalData(clickID)
        return event
    }

    /// `count` items with ids `evt-0`, `evt-1`, …, happened a minute before `now`.
    static func items(_ count: Int, for destination: LinkedInDestination, now: Timestamp = LoopbackSender.now()) throws -> [JSONValue] {
        var base = try purchaseWithClickID()
        base.eventTime = now.advanced(by: .seconds(-60))
        return try (0..<count).map { index in
            var event = base
            event.eventID = "evt-\(index)"
            return try DestinationFixtures.item(destination, event)
        }
    }

    /// The purchase fixture's clear personal data that LinkedIn receives in clear.
    static let clearValues = ["Noah", "Schmidt", "3f6d2b1e-8c4a-4e7f-9a21-5b0c7d9e1f42"]
}
