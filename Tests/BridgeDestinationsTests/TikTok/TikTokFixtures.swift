import BridgeCore
import BridgeDestinations
import Testing

/// TikTok settings and items for the TikTok suites.
enum TikTokFixtures {
    static let pixelCode = "C0ABCDEF1234567890"

    /// The minimal valid TikTok settings, plus `extra`.
    static func settings(_ extra: [String: JSONValue] = [:], name: String = "tiktok") -> DestinationSettings {
        var settings: [String: JSONValue] = ["pixel_code": .string(pixelCode), "access_token": .string(DestinationFixtures.token)]
        settings.merge(extra) { _, new in new }
        return DestinationSettings(name: name, kind: "tiktok", settings: settings)
    }

    /// A TikTok destination with the minimal settings plus `extra`.
    static func destination(_ extra: [String: JSONValue] = [:]) throws -> TikTokDestination {
        try TikTokDestination(settings(extra))
    }

    /// `count` items with ids `evt-0`, `evt-1`, …, for the fixture purchase a minute before `now`.
    static func items(_ count: Int, for destination: TikTokDestination, now: Timestamp = LoopbackSender.now()) throws -> [JSONValue] {
        var base = try DestinationFixtures.purchase()
        base.eventTime = now.advanced(by: .seconds(-60))
        return try (0..<count).map { index in
            var event = base
            event.eventID = "evt-\(index)"
            return try DestinationFixtures.item(destination, event)
        }
    }
}
