import BridgeCore

/// One entry of `destinations:`. The keys beyond `name` and `kind` depend on
/// the kind and are read by that destination.
public struct DestinationConfig: Sendable, Decodable {
    public var name: String
    public var kind: String
    /// Every other key, as written.
    public var settings: [String: JSONValue]

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        name = try c.decode(String.self, forKey: AnyCodingKey("name"))
        kind = try c.decode(String.self, forKey: AnyCodingKey("kind"))
        var settings: [String: JSONValue] = [:]
        for key in c.allKeys where key.stringValue != "name" && key.stringValue != "kind" {
            settings[key.stringValue] = try c.decode(JSONValue.self, forKey: key)
        }
        self.settings = settings
    }
}
