import BridgeCore

/// One entry of `destinations:`. The keys beyond `name` and `kind` depend on
/// the kind and are read by that destination.
public struct DestinationConfig: Sendable {
    public var name: String
    public var kind: String
    /// Every other key, as written.
    public var settings: [String: JSONValue]

    /// A missing `name` or `kind` is a problem and reads as empty. The other
    /// keys are the destination's to read (`DestinationSettings`), which
    /// reports its own unknown keys.
    init(_ reader: ConfigReader, problems: inout [ConfigProblem]) {
        var reader = reader
        let name = reader.string("name", required: true, problems: &problems)
        let kind = reader.string("kind", required: true, problems: &problems)
        var settings: [String: JSONValue] = [:]
        for key in reader.unreadKeys { settings[key] = reader.value(key) ?? .null }
        self.settings = settings
        // Kept when missing, so later entries keep their indices; the
        // problem is already recorded and validation does not repeat it.
        self.name = name ?? ""
        self.kind = kind ?? ""
    }
}
