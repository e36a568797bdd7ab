import BridgeCore

/// `events_api:` — `POST /v1/events`.
public struct EventsAPIConfig: Sendable {
    /// Accepted bearer tokens (current, then previous while rotating); the
    /// route answers 401 to everything when empty. One token or a list.
    public var tokens: [String] = []
    /// Where each token was written (`tokens`, `tokens[1]`, …).
    var tokenKeys: [KeyedValue] = []
    /// The source name events posted here are stored under.
    public var sourceName = "events-api"
    /// `expect_events_within` as written (`6h`), as for a webhook source.
    public var expectEventsWithinText: String?

    /// `expect_events_within`, or `nil` when unset or invalid.
    public var expectEventsWithin: Duration? { expectEventsWithinText.flatMap(ConfigDuration.parse) }

    public init() {}

    init(_ reader: ConfigReader, problems: inout [ConfigProblem]) {
        var reader = reader
        tokenKeys = reader.stringOrList("tokens", problems: &problems) ?? []
        tokens = tokenKeys.map(\.value)
        sourceName = reader.string("source_name", problems: &problems) ?? sourceName
        expectEventsWithinText = reader.text("expect_events_within", problems: &problems).flatMap { $0.isEmpty ? nil : $0 }
        reader.rejectUnknown(problems: &problems)
    }
}
