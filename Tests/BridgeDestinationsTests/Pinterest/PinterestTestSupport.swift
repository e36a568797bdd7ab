import BridgeCore
import BridgeDestinations
import Testing

/// Pinterest settings, destinations and items for the Pinterest suites.
enum PinterestFixtures {
    /// A test conversion token: must never appear in audit output or descriptions.
    static let token = "pina-test-conversion-token-5e1f"
    static let adAccountID = "549755885175"

    static func settings(_ extra: [String: JSONValue] = [:], name: String = "pinterest") -> DestinationSettings {
        var settings: [String: JSONValue] = ["ad_account_id": .string(adAccountID), "access_token": .string(token)]
        settings.merge(extra) { _, new in new }
        return DestinationSettings(name: name, kind: "pinterest", settings: settings)
    }

    static func destination(_ extra: [String: JSONValue] = [:]) throws -> PinterestDestination {
        try PinterestDestination(settings(extra))
    }

    /// `count` items with ids `evt-0`, `evt-1`, … of the fixture purchase, a minute old.
    static func freshItems(_ count: Int, for destination: some Destination, now: Timestamp = LoopbackSender.now()) throws -> [JSONValue] {
        var base = try DestinationFixtures.purchase()
        base.eventTime = now.advanced(by: .seconds(-60))
        return try (0..<count).map { index in
            var event = base
            event.eventID = "evt-\(index)"
            return try DestinationFixtures.item(destination, event)
        }
    }

    /// True for 64 lowercase hex digits.
    static func isDigest(_ value: JSONValue?) -> Bool {
        guard let text = value?.stringValue else { return false }
        return text.utf8.count == 64 && text.allSatisfy { $0.isHexDigit && !$0.isUppercase }
    }
}
