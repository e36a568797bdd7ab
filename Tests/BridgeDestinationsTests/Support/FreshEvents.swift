import BridgeCore
import BridgeDestinations
import Testing

/// Meta items for requests sent to the mock now: the fixture purchase with
/// a recent `event_time` and distinct event ids.
enum FreshEvents {
    /// `count` items with ids `evt-0`, `evt-1`, …, happened a minute ago.
    static func items(_ count: Int, for destination: MetaDestination, now: Timestamp = LoopbackSender.now()) throws -> [JSONValue] {
        var base = try DestinationFixtures.purchase()
        base.eventTime = now.advanced(by: .seconds(-60))
        return try (0..<count).map { index in
            var event = base
            event.eventID = "evt-\(index)"
            return try DestinationFixtures.item(destination, event)
        }
    }

    /// `item` with `value` set at the object path `keys` (`nil` removes it).
    static func setting(_ item: JSONValue, _ keys: [String], to value: JSONValue?) -> JSONValue {
        guard let key = keys.first, case .object(var members) = item else { return item }
        if keys.count == 1 {
            members[key] = value
        } else {
            members[key] = setting(members[key] ?? .object([:]), Array(keys.dropFirst()), to: value)
        }
        return .object(members)
    }
}
