import BridgeCore

/// The Pinterest Conversions API (API v5): one conversion event per item, up
/// to 1,000 per `POST {base_url}/v5/ad_accounts/{ad_account_id}/events`
/// (`docs/destinations/pinterest.md`, Pinterest's OpenAPI `events/create`).
///
/// Configuration keys (see `docs/destinations/pinterest.md`):
///
/// | key | default | meaning |
/// |---|---|---|
/// | `ad_account_id` | required | the ad account id, digits (at most 18) |
/// | `access_token` | required | the conversion access token from Ads Manager (or an OAuth token with `ads:write`), from the environment; sent as `Authorization: Bearer` |
/// | `base_url` | `https://api.pinterest.com` | for proxies and the mock endpoint |
/// | `test` | `false` | adds `?test=true`: Pinterest validates and answers as usual but does **not** record the events |
/// | `action_source` | `web` | one of `web`, `offline`, `app_android`, `app_ios` |
/// | `event_source_url` | none | used when the event has no usable landing URL |
/// | `site_url` | none | makes a path-only landing URL (Shopify) absolute |
/// | `partner_name` | none | `partner_name` on every event (Pinterest's convention: `ss-<partner>`, lowercase) |
/// | `max_events_per_request` | 1000 | at most 1000 (Pinterest's limit) |
/// | `max_bytes_per_request` | 1 MiB | project choice; Pinterest documents no byte cap |
/// | `max_event_age_days` | 7 | project choice; Pinterest documents no age limit (see `defaultMaxEventAgeDays`) |
/// | `timeout_ms` | 5000 | the request deadline |
///
/// The item is built in `PinterestDestination+Payload.swift`, replies are
/// read in `PinterestDestination+Classify.swift`.
public struct PinterestDestination: Destination {
    public let name: String
    public var kind: String { "pinterest" }
    public var platform: Platform { .pinterest }
    public let limits: DestinationLimits

    let adAccountID: String
    let accessToken: SecretText
    let baseURL: String
    let isTest: Bool
    /// `?test=true` validates without recording.
    public var sendsToTestMode: Bool { isTest }
    let actionSource: String
    let fallbackEventSourceURL: String?
    let siteURL: String?
    let partnerName: String?

    /// Pinterest's API host.
    public static let defaultBaseURL = "https://api.pinterest.com"
    /// The event age past which events are dead-lettered before sending when
    /// `max_event_age_days` is not set. Pinterest's spec states no age limit
    /// (only that events received more than an hour late are reported as
    /// offline conversions); 7 days matches the other platforms' windows and
    /// keeps the bridge from sending week-old conversions by accident.
    public static let defaultMaxEventAgeDays = 7
    /// Pinterest's `action_source` values.
    public static let actionSources: Set<String> = ["app_android", "app_ios", "web", "offline"]

    static let knownKeys = [
        "ad_account_id", "access_token", "base_url", "test", "action_source", "event_source_url", "site_url", "partner_name",
        "max_events_per_request", "max_bytes_per_request", "max_event_age_days", "timeout_ms", "allow_insecure",
    ]

    /// Reads and validates the `pinterest` keys.
    /// - Throws: `DestinationConfigError` naming the first missing, invalid or unknown key.
    public init(_ settings: DestinationSettings) throws(DestinationConfigError) {
        var reader = SettingsReader(settings)
        name = settings.name
        adAccountID = try reader.requiredString("ad_account_id", "the Pinterest ad account id")
        guard !adAccountID.isEmpty, adAccountID.utf8.count <= 18, adAccountID.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            throw reader.invalid("ad_account_id", "must be the ad account id: digits only, at most 18")
        }
        accessToken = SecretText(
            try reader.requiredString("access_token", "the Pinterest conversion access token, e.g. ${PINTEREST_CONVERSION_TOKEN}"))
        baseURL = try reader.endpointURL("base_url") ?? Self.defaultBaseURL
        isTest = try reader.boolean("test", default: false)
        actionSource = try reader.string("action_source") ?? "web"
        guard Self.actionSources.contains(actionSource) else {
            throw reader.invalid("action_source", "must be one of \(Self.actionSources.sorted().joined(separator: ", "))")
        }
        fallbackEventSourceURL = try reader.httpURL("event_source_url")
        siteURL = try reader.httpURL("site_url")
        partnerName = try reader.string("partner_name")
        if let partnerName, partnerName != partnerName.lowercased() || partnerName.contains(where: \.isWhitespace) {
            throw reader.invalid("partner_name", "must be lowercase without spaces (Pinterest's convention: ss-<partner>)")
        }
        limits = try reader.limits(
            maxEvents: 1000, defaultBytes: 1 << 20, eventAge: .configurable(defaultDays: Self.defaultMaxEventAgeDays, maxDays: 365))
        try reader.rejectUnknownKeys(known: Self.knownKeys)
    }

    /// The endpoint without query: `{base_url}/v5/ad_accounts/{ad_account_id}/events`.
    public var endpoint: String { "\(baseURL)/v5/ad_accounts/\(adAccountID)/events" }

    /// The URL sent to: `endpoint`, with `?test=true` in test mode. Holds no
    /// credential (the token travels in the `Authorization` header), so it is
    /// also the audit URL.
    var url: String { isTest ? endpoint + "?test=true" : endpoint }

    /// `POST {url}` with `Authorization: Bearer <token>` and the JSON body
    /// `{"data": items}` (`PinterestRequestBody`), the items copied in as
    /// encoded. The token is only in `headers`.
    public func makeRequest(items: [EncodedJSON], batchID: String, now: Timestamp) -> OutboundRequest {
        let body = PinterestRequestBody(data: items.map(JSONFragment.init))
        return OutboundRequest(
            url: url,
            headers: [
                HeaderPair("content-type", "application/json"), HeaderPair("accept", "application/json"),
                HeaderPair("authorization", "Bearer " + accessToken.value),
            ],
            body: body.encoded(),
            auditURL: url)
    }
}

extension PinterestDestination: CustomStringConvertible {
    /// Names the destination and its endpoint; never the token.
    public var description: String { "PinterestDestination(\(name), \(url))" }
}
