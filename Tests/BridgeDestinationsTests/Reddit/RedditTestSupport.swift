import BridgeCore
import BridgeDestinations
import Testing

/// Reddit settings, destinations and items for the Reddit suites.
enum RedditFixtures {
    /// A test conversion access token: must never appear in audit output or descriptions.
    static let token = "rdt-test-conversion-token-0b7d"
    static let pixelID = "t2_abc123"

    static func settings(_ extra: [String: JSONValue] = [:], name: String = "reddit") -> DestinationSettings {
        var settings: [String: JSONValue] = ["pixel_id": .string(pixelID), "access_token": .string(token)]
        settings.merge(extra) { _, new in new }
        return DestinationSettings(name: name, kind: "reddit", settings: settings)
    }

    static func destination(_ extra: [String: JSONValue] = [:]) throws -> RedditDestination {
        try RedditDestination(settings(extra))
    }

    /// `count` items with conversion ids `evt-0`, `evt-1`, … of the fixture purchase, a minute old.
    static func freshItems(_ count: Int, for destination: some Destination, now: Timestamp = LoopbackSender.now()) throws -> [JSONValue] {
        var base = try DestinationFixtures.purchase()
        base.eventTime = now.advanced(by: .seconds(-60))
        return try (0..<count).map { index in
            var event = base
            event.eventID = "evt-\(index)"
            return try DestinationFixtures.item(destination, event)
        }
    }
}
