import BridgeCore

/// Snap Conversions API v3: up to 2,000 events per
/// `POST {base_url}/v3/{pixel_id}/events?access_token=…`
/// (`docs/destinations/snapchat.md`).
///
/// Configuration keys:
///
/// | key | default | meaning |
/// |---|---|---|
/// | `pixel_id` | required | the Snap Pixel id (letters, digits, `-`) |
/// | `access_token` | required | long-lived Conversions API token (or OAuth token), from the environment; sent as the `access_token` query parameter |
/// | `base_url` | `https://tr.snapchat.com` | for proxies and the mock endpoint |
/// | `validate_only` | `false` | test mode: send to `…/events/validate` (events are checked, not recorded) |
/// | `action_source` | `WEB` | `WEB`, `MOBILE_APP` or `OFFLINE` |
/// | `event_source_url` | none | used when the event has no usable landing URL |
/// | `site_url` | none | makes a path-only landing URL (Shopify) absolute |
/// | `integration` | `capibridge` | the per-event `integration` partner string |
/// | `max_events_per_request` | 2000 | at most 2000 |
/// | `max_bytes_per_request` | 2 MiB | project choice; Snap documents no byte cap (Tealium batches at ≤ 2 MB) |
/// | `max_event_age_days` | 37 | 1 to 37 (Snap's limit; RudderStack uses 7) |
/// | `timeout_ms` | 5000 | request deadline |
///
/// The item is built in `SnapDestination+Payload.swift`, replies are read in
/// `SnapDestination+Classify.swift`.
public struct SnapDestination: Destination {
    public let name: String
    public var kind: String { "snapchat" }
    public var platform: Platform { .snapchat }
    public let limits: DestinationLimits

    let pixelID: String
    let accessToken: SecretText
    let baseURL: String
    let validateOnly: Bool
    /// The validate endpoint records nothing.
    public var sendsToTestMode: Bool { validateOnly }
    let actionSource: String
    let fallbackEventSourceURL: String?
    let siteURL: String?
    let integration: String

    /// Snap's Conversions API host.
    public static let defaultBaseURL = "https://tr.snapchat.com"
    /// `integration` when none is configured.
    public static let defaultIntegration = "capibridge"
    /// Snap's `action_source` values.
    public static let actionSources: Set<String> = ["WEB", "MOBILE_APP", "OFFLINE"]
    /// Snap refuses a request with more events than this.
    public static let maxEventsPerRequest = 2000
    /// Snap accepts events dated at most this many days back.
    public static let maxEventAgeDays = 37

    static let knownKeys = [
        "pixel_id", "access_token", "base_url", "validate_only", "action_source", "event_source_url", "site_url", "integration",
        "max_events_per_request", "max_bytes_per_request", "max_event_age_days", "timeout_ms", "allow_insecure",
    ]

    /// Reads and validates the `snapchat` keys.
    /// - Throws: `DestinationConfigError` naming the first missing, invalid or unknown key.
    public init(_ settings: DestinationSettings) throws(DestinationConfigError) {
        var reader = SettingsReader(settings)
        name = settings.name
        pixelID = try reader.requiredString("pixel_id", "the Snap Pixel id")
        guard pixelID.utf8.allSatisfy({ Self.isPixelIDByte($0) }) else {
            throw reader.invalid("pixel_id", "must be the Snap Pixel id: letters, digits and '-' only")
        }
        accessToken = SecretText(try reader.requiredString("access_token", "the Conversions API token, e.g. ${SNAP_ACCESS_TOKEN}"))
        baseURL = try reader.endpointURL("base_url") ?? Self.defaultBaseURL
        validateOnly = try reader.boolean("validate_only", default: false)
        actionSource = try reader.string("action_source") ?? "WEB"
        guard Self.actionSources.contains(actionSource) else {
            throw reader.invalid("action_source", "must be one of \(Self.actionSources.sorted().joined(separator: ", "))")
        }
        fallbackEventSourceURL = try reader.httpURL("event_source_url")
        siteURL = try reader.httpURL("site_url")
        integration = try reader.string("integration") ?? Self.defaultIntegration
        limits = try reader.limits(
            maxEvents: Self.maxEventsPerRequest, defaultBytes: 2 << 20,
            eventAge: .configurable(defaultDays: Self.maxEventAgeDays, maxDays: Self.maxEventAgeDays))
        try reader.rejectUnknownKeys(known: Self.knownKeys)
    }

    /// The endpoint without credentials: `{base_url}/v3/{pixel_id}/events`,
    /// or `…/events/validate` with `validate_only`.
    public var endpoint: String {
        "\(baseURL)/v3/\(pixelID)/events" + (validateOnly ? "/validate" : "")
    }

    /// `POST {endpoint}?access_token=…` with the JSON body `{"data": items}`
    /// (`SnapRequestBody`), the items copied in as encoded. Their
    /// `event_time` is never later than the time they were built
    /// (`makeItem`). The token is only in `url`; `auditURL` is `endpoint`.
    public func makeRequest(items: [EncodedJSON], batchID: String, now: Timestamp) -> OutboundRequest {
        let body = SnapRequestBody(data: items.map(JSONFragment.init))
        return OutboundRequest(
            url: endpoint + "?access_token=" + QueryText.encode(accessToken.value),
            headers: [HeaderPair("content-type", "application/json"), HeaderPair("accept", "application/json")],
            body: body.encoded(),
            auditURL: endpoint)
    }

    /// ASCII letters, digits and `-` (Snap Pixel ids are UUIDs).
    static func isPixelIDByte(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte) || byte == UInt8(ascii: "-")
    }
}

extension SnapDestination: CustomStringConvertible {
    /// Names the destination and its endpoint; never the token.
    public var description: String { "SnapDestination(\(name), \(endpoint))" }
}
