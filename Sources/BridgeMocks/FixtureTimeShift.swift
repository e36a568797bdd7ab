import BridgeCore

/// Moves a fixture's timestamps to the present, so its events are inside the
/// platforms' age limits (the bundled fixtures are dated March 2026). The body
/// is re-serialized and must then be signed, as a sender would sign it.
public enum FixtureTimeShift {
    /// Keys whose values are instants: RFC 3339 strings or Unix seconds.
    static let timeKeys: Set<String> = [
        "processed_at", "created_at", "updated_at", "event_time", "timestamp", "date_paid_gmt", "date_created_gmt",
        "date_modified_gmt", "date_completed_gmt", "created",
    ]

    /// Shifts every instant of `body` by the same amount so that the latest
    /// one lands on `target`.
    public static func moveLatest(_ body: [UInt8], to target: Timestamp) -> [UInt8] {
        guard let json = try? JSONParser.parse(body) else { return body }
        guard let latest = instants(in: json, key: nil).max() else { return body }
        return JSONWriter.bytes(shift(json, target.millisecondsSinceEpoch - latest.millisecondsSinceEpoch, key: nil))
    }

    static func instants(in value: JSONValue, key: String?) -> [Timestamp] {
        switch value {
        case .object(let members): return members.flatMap { instants(in: $0.value, key: $0.key) }
        case .array(let elements): return elements.flatMap { instants(in: $0, key: key) }
        case .string(let text) where key.map(timeKeys.contains) ?? false:
            return Timestamp(rfc3339: text, assumeUTC: key?.hasSuffix("_gmt") ?? false).map { [$0] } ?? []
        case .number(let text) where key == "created":
            return Int64(text).map { [Timestamp(secondsSinceEpoch: $0)] } ?? []
        default: return []
        }
    }

    static func shift(_ value: JSONValue, _ delta: Int64, key: String?) -> JSONValue {
        switch value {
        case .object(let members):
            return .object(Dictionary(uniqueKeysWithValues: members.map { ($0.key, shift($0.value, delta, key: $0.key)) }))
        case .array(let elements):
            return .array(elements.map { shift($0, delta, key: key) })
        case .string(let text) where key.map(timeKeys.contains) ?? false:
            let utc = key?.hasSuffix("_gmt") ?? false
            guard let time = Timestamp(rfc3339: text, assumeUTC: utc) else { return value }
            let moved = Timestamp(millisecondsSinceEpoch: time.millisecondsSinceEpoch + delta).rfc3339
            return .string(utc ? String(moved.dropLast()) : moved)
        case .number(let text) where key == "created":
            guard let seconds = Int64(text) else { return value }
            return .number(String(seconds + delta / 1000))
        default:
            return value
        }
    }
}
