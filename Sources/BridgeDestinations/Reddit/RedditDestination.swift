import BridgeCore

/// The Reddit Conversions API v3: one conversion event per item, up to 1,000
/// per `POST {base_url}/api/v3/pixels/{pixel_id}/conversion_events`
/// (`docs/destinations/reddit.md`; Reddit's v3 migration and direct
/// integration guides).
///
/// Configuration keys (see `docs/destinations/reddit.md`):
///
/// | key | default | meaning |
/// |---|---|---|
/// | `pixel_id` | required | the Reddit pixel id (`t2_…` / `a2_…`): letters, digits, `_` and `-` |
/// | `access_token` | required | the Conversion Access Token from Events Manager (or an OAuth token with `adsconversions`), from the environment; sent as `Authorization: Bearer` |
/// | `base_url` | `https://ads-api.reddit.com` | for proxies and the mock endpoint |
/// | `test_id` | none | Event Testing id from Ads Manager, sent as `data.test_id`: events show in Event Testing (remove it in production) |
/// | `action_source` | `WEBSITE` | one of `WEBSITE`, `APP`, `PHYSICAL_STORE`, `OTHER` |
/// | `event_source_url` | none | used when the event has no usable landing URL |
/// | `site_url` | none | makes a path-only landing URL (Shopify) absolute |
/// | `partner` | none | `data.partner`, for registered Reddit partners only |
/// | `max_events_per_request` | 1000 | at most 1000 (Reddit's limit) |
/// | `max_bytes_per_request` | 1 MiB | project choice; Reddit documents no byte cap |
/// | `timeout_ms` | 5000 | the request deadline |
///
/// Events older than 7 days (168 h) or more than 5 minutes in the future
/// are refused by Reddit; `limits` makes the pipeline dead-letter them
/// before sending. The item is built in `RedditDestination+Payload.swift`,
/// replies are read in `RedditDestination+Classify.swift`.
public struct RedditDestination: Destination {
    public let name: String
    public var kind: String { "reddit" }
    public var platform: Platform { .reddit }
    public let limits: DestinationLimits

    let pixelID: String
    let accessToken: SecretText
    let baseURL: String
    let testID: String?
    /// With a `test_id`, events show in Event Testing only.
    public var sendsToTestMode: Bool { testID != nil }
    let actionSource: String
    let fallbackEventSourceURL: String?
    let siteURL: String?
    let partner: String?

    /// Reddit's Ads API host.
    public static let defaultBaseURL = "https://ads-api.reddit.com"
    /// Reddit refuses events whose `event_at` is 168 hours old or older.
    public static let maxEventAgeSeconds: Int64 = 168 * 3600
    /// Reddit refuses events more than 5 minutes in the future.
    public static let maxFutureSkewSeconds: Int64 = 300
    /// Sent as `User-Agent`: Reddit rate-limits requests carrying a default
    /// (library) user agent ("Your user agent was automatically ratelimited").
    public static let userAgent = "capi-bridge/0.1 (conversions)"
    /// Reddit's v3 `action_source` values.
    public static let actionSources: Set<String> = ["WEBSITE", "APP", "PHYSICAL_STORE", "OTHER"]

    static let knownKeys = [
        "pixel_id", "access_token", "base_url", "test_id", "action_source", "event_source_url", "site_url", "partner",
        "max_events_per_request", "max_bytes_per_request", "timeout_ms", "allow_insecure",
    ]

    /// Reads and validates the `reddit` keys.
    /// - Throws: `DestinationConfigError` naming the first missing, invalid or unknown key.
    public init(_ settings: DestinationSettings) throws(DestinationConfigError) {
        var reader = SettingsReader(settings)
        name = settings.name
        pixelID = try reader.requiredString("pixel_id", "the Reddit pixel id")
        let allowed = { (byte: UInt8) -> Bool in
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || byte == 0x5F || byte == 0x2D
        }
        guard pixelID.utf8.count <= 64, pixelID.utf8.allSatisfy(allowed) else {
            throw reader.invalid("pixel_id", "must be the pixel id: letters, digits, _ and - only")
        }
        accessToken = SecretText(
            try reader.requiredString("access_token", "the Reddit conversion access token, e.g. ${REDDIT_CONVERSION_TOKEN}"))
        baseURL = try reader.endpointURL("base_url") ?? Self.defaultBaseURL
        testID = try reader.string("test_id")
        actionSource = try reader.string("action_source") ?? "WEBSITE"
        guard Self.actionSources.contains(actionSource) else {
            throw reader.invalid("action_source", "must be one of \(Self.actionSources.sorted().joined(separator: ", "))")
        }
        fallbackEventSourceURL = try reader.httpURL("event_source_url")
        siteURL = try reader.httpURL("site_url")
        partner = try reader.string("partner")
        limits = try reader.limits(
            maxEvents: 1000, defaultBytes: 1 << 20, eventAge: .fixed(seconds: Self.maxEventAgeSeconds),
            futureSkewSeconds: Self.maxFutureSkewSeconds)
        try reader.rejectUnknownKeys(known: Self.knownKeys)
    }

    /// `{base_url}/api/v3/pixels/{pixel_id}/conversion_events`; holds no credential.
    public var endpoint: String { "\(baseURL)/api/v3/pixels/\(pixelID)/conversion_events" }

    /// `POST {endpoint}` with `Authorization: Bearer <token>` and the JSON body
    /// `{"data": {"events": items, "test_id"?: …, "partner"?: …}}`
    /// (`RedditRequestBody`), the items copied in as encoded. The token is
    /// only in `headers`. The items' `event_at` is never later than the time
    /// they were built (`makeItem`): Reddit refuses more than 5 minutes ahead
    /// by its own clock, which may lag ours.
    public func makeRequest(items: [EncodedJSON], batchID: String, now: Timestamp) -> OutboundRequest {
        let body = RedditRequestBody(data: RedditRequestData(events: items.map(JSONFragment.init), testID: testID, partner: partner))
        return OutboundRequest(
            url: endpoint,
            headers: [
                HeaderPair("content-type", "application/json"), HeaderPair("accept", "application/json"),
                HeaderPair("user-agent", Self.userAgent), HeaderPair("authorization", "Bearer " + accessToken.value),
            ],
            body: body.encoded(),
            auditURL: endpoint)
    }
}

extension RedditDestination: CustomStringConvertible {
    /// Names the destination and its endpoint; never the token.
    public var description: String { "RedditDestination(\(name), \(endpoint))" }
}
