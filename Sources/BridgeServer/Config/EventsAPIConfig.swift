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
    /// `expect_events_within` as written (`6h`), as for a webhook source.
    public var expectEventsWithinText: String?

    enum CodingKeys: String, CodingKey, CaseIterable {
        case tokens
        case sourceName = "source_name"
        case expectEventsWithin = "expect_events_within"
    }

    /// `expect_events_within`, or `nil` when unset or invalid.
    public var expectEventsWithin: Duration? { expectEventsWithinText.flatMap(ConfigDuration.parse) }

    public init() {}

    public init(from decoder: any Decoder) throws {
        try decoder.rejectUnknownKeys(CodingKeys.self)
        let c = try decoder.container(keyedBy: CodingKeys.self)
        tokenKeys = try c.decodeIfPresent(StringOrList.self, forKey: .tokens)?.entries(key: "tokens") ?? []
        tokens = tokenKeys.map(\.value)
        sourceName = try c.decodeIfPresent(String.self, forKey: .sourceName) ?? sourceName
        expectEventsWithinText = try c.decodeIfPresent(String.self, forKey: .expectEventsWithin).flatMap { $0.isEmpty ? nil : $0 }
    }
}
