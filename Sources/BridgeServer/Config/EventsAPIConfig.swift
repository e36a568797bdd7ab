import BridgeCore

/// `events_api:` — `POST /v1/events`.
public struct EventsAPIConfig: Sendable, Decodable {
    /// Accepted bearer tokens (current, then previous while rotating); the
    /// route answers 401 to everything when empty. One token or a list.
    public var tokens: [String] = []
    /// Where each token was written (`tokens`, `tokens[1]`, …).
    var tokenKeys: [KeyedValue] = []
    /// The source name events posted here are stored under.
    public var sourceName = "events-api"
    /// Refuse events carrying properties the schema does not declare,
    /// instead of ignoring and counting them.
    public var strict = false

    enum CodingKeys: String, CodingKey, CaseIterable {
        case tokens, strict
        case sourceName = "source_name"
    }

    public init() {}

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        tokenKeys = try c.decodeIfPresent(StringOrList.self, forKey: .tokens)?.entries(key: "tokens") ?? []
        tokens = tokenKeys.map(\.value)
        sourceName = try c.decodeIfPresent(String.self, forKey: .sourceName) ?? sourceName
        strict = try c.decodeIfPresent(Bool.self, forKey: .strict) ?? false
    }
}
