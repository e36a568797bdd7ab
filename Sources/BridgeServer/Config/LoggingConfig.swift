import BridgeCore

/// `logging:` — JSON-lines logs on standard error.
public struct LoggingConfig: Sendable, Decodable {
    /// swift-log level name: trace, debug, info, notice, warning, error, critical.
    public var level = "info"

    enum CodingKeys: String, CodingKey, CaseIterable {
        case level
    }

    public init() {}

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        level = try c.decodeIfPresent(String.self, forKey: .level) ?? level
    }
}
