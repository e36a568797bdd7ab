import BridgeCore
import BridgeDestinations
import Testing

/// Snap settings and items for the Snap suites.
enum SnapFixtures {
    static let pixelID = "a1b2c3d4-e5f6-7890-abcd-ef1234567890"

    /// The minimal valid Snap settings, plus `extra`.
    static func settings(_ extra: [String: JSONValue] = [:], name: String = "snapchat") -> DestinationSettings {
        var settings: [String: JSONValue] = ["pixel_id": .string(pixelID), "access_token": .string(DestinationFixtures.token)]
        settings.merge(extra) { _, new in new }
        return DestinationSettings(name: name, kind: "snapchat", settings: settings)
    }

    /// A Snap destination with the minimal settings plus `extra`.
    static func destination(_ extra: [String: JSONValue] = [:]) throws -> SnapDestination {
        try SnapDestination(settings(extra))
    }

    /// `count` items with ids `evt-0`, `evt-1`, …, for the fixture purchase a minute before `now`.
    static func items(_ count: Int, for destination: SnapDestination, now: Timestamp = LoopbackSender.now()) throws -> [JSONValue] {
        var base = try DestinationFixtures.purchase()
        base.eventTime = now.advanced(by: .seconds(-60))
        return try (0..<count).map { index in
            var event = base
            event.eventID = "evt-\(index)"
            return try DestinationFixtures.item(destination, event)
        }
    }
}
