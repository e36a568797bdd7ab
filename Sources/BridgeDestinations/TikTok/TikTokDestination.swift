import BridgeCore

/// TikTok Events API 2.0 (web events): up to 1,000 events per
/// `POST {base_url}/open_api/v1.3/event/track/` with the `Access-Token`
/// header (`docs/destinations/tiktok.md`).
///
/// Configuration keys:
///
/// | key | default | meaning |
/// |---|---|---|
/// | `pixel_code` | required | the pixel code, sent as `event_source_id` (letters and digits) |
/// | `access_token` | required | Events API access token, from the environment; sent in the `Access-Token` header only |
/// | `base_url` | `https://business-api.tiktok.com` | for proxies and the mock endpoint |
/// | `test_event_code` | none | Events Manager > Test Events; when set, every request carries one event (as RudderStack does) |
/// | `page_url` | none | `page.url` when the event has no usable landing URL |
/// | `site_url` | none | makes a path-only landing URL (Shopify) absolute |
/// | `partner_name` | `CapiBridge` | top-level `partner_name` |
/// | `purchase_event` | `Purchase` | TikTok name for purchases: `Purchase` or `CompletePayment` (use the Pixel's; `PlaceAnOrder` is a separate event) |
/// | `max_events_per_request` | 1000 | at most 1000 (more rejects the whole request) |
/// | `max_bytes_per_request` | 1 MiB | project choice; TikTok documents no byte cap (Tealium batches at ≤ 1 MB) |
/// | `max_event_age_days` | 7 | 1 to 28; TikTok documents no limit for web events (see the doc) |
/// | `timeout_ms` | 5000 | request deadline |
///
/// The item is built in `TikTokDestination+Payload.swift`, replies are read
/// in `TikTokDestination+Classify.swift`.
public struct TikTokDestination: Destination {
    public let name: String
    public var kind: String { "tiktok" }
    public var platform: Platform { .tiktok }
    public let limits: DestinationLimits

    let pixelCode: String
    let accessToken: SecretText
    let baseURL: String
    let testEventCode: String?
    /// With a `test_event_code`, events go to the Test Events tab.
    public var sendsToTestMode: Bool { testEventCode != nil }
    let fallbackPageURL: String?
    let siteURL: String?
    let partnerName: String
    let purchaseEvent: String

    /// TikTok's Business API host.
    public static let defaultBaseURL = "https://business-api.tiktok.com"
    /// The Events API 2.0 path (same for one or many events).
    public static let path = "/open_api/v1.3/event/track/"
    /// `partner_name` when none is configured.
    public static let defaultPartnerName = "CapiBridge"
    /// The names TikTok uses for a purchase (`docs/destinations/tiktok.md`):
    /// `Purchase` (RudderStack) or `CompletePayment` (TikTok's GTM template).
    /// `PlaceAnOrder` is a separate event (an order placed, not paid), so it
    /// is refused here. The Pixel must use the same name, or dedup fails.
    public static let purchaseEventNames: Set<String> = ["Purchase", "CompletePayment"]
    /// TikTok refuses a request with more events than this.
    public static let maxEventsPerRequest = 1000

    static let knownKeys = [
        "pixel_code", "access_token", "base_url", "test_event_code", "page_url", "site_url", "partner_name", "purchase_event",
        "max_events_per_request", "max_bytes_per_request", "max_event_age_days", "timeout_ms", "allow_insecure",
    ]

    /// Reads and validates the `tiktok` keys.
    /// - Throws: `DestinationConfigError` naming the first missing, invalid or unknown key.
    public init(_ settings: DestinationSettings) throws(DestinationConfigError) {
        var reader = SettingsReader(settings)
        name = settings.name
        pixelCode = try reader.requiredString("pixel_code", "the TikTok pixel code (event_source_id)")
        guard pixelCode.utf8.allSatisfy({ Self.isAlphanumeric($0) }) else {
            throw reader.invalid("pixel_code", "must be the pixel code: letters and digits only")
        }
        accessToken = SecretText(try reader.requiredString("access_token", "the Events API access token, e.g. ${TIKTOK_ACCESS_TOKEN}"))
        baseURL = try reader.endpointURL("base_url") ?? Self.defaultBaseURL
        testEventCode = try reader.string("test_event_code")
        fallbackPageURL = try reader.httpURL("page_url")
        siteURL = try reader.httpURL("site_url")
        partnerName = try reader.string("partner_name") ?? Self.defaultPartnerName
        purchaseEvent = try reader.string("purchase_event") ?? "Purchase"
        guard Self.purchaseEventNames.contains(purchaseEvent) else {
            throw reader.invalid("purchase_event", "must be one of \(Self.purchaseEventNames.sorted().joined(separator: ", "))")
        }
        var limits = try reader.limits(
            maxEvents: Self.maxEventsPerRequest, defaultBytes: 1 << 20, eventAge: .configurable(defaultDays: 7, maxDays: 28))
        try reader.rejectUnknownKeys(known: Self.knownKeys)
        // Test events are sent one per request (RudderStack never batches them).
        if testEventCode != nil { limits.maxEventsPerRequest = 1 }
        self.limits = limits
    }

    /// The endpoint: `{base_url}/open_api/v1.3/event/track/` (no credentials in it).
    public var endpoint: String { baseURL + Self.path }

    /// `POST {endpoint}` with headers `Access-Token` and `Content-Type:
    /// application/json` and the body `{"event_source": "web",
    /// "event_source_id": pixel_code, "partner_name": …, "data": items,
    /// "test_event_code"?: …}` (`TikTokRequestBody`), the items copied in as
    /// encoded. Their `event_time` is never later than the time they were
    /// built (`makeItem`). The token is only in the header.
    public func makeRequest(items: [EncodedJSON], batchID: String, now: Timestamp) -> OutboundRequest {
        let body = TikTokRequestBody(
            eventSourceID: pixelCode, partnerName: partnerName, data: items.map(JSONFragment.init), testEventCode: testEventCode)
        return OutboundRequest(
            url: endpoint,
            headers: [
                HeaderPair("content-type", "application/json"), HeaderPair("accept", "application/json"),
                HeaderPair("access-token", accessToken.value),
            ],
            body: body.encoded(),
            auditURL: endpoint)
    }

    /// True for an ASCII letter or digit.
    static func isAlphanumeric(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
    }
}

extension TikTokDestination: CustomStringConvertible {
    /// Names the destination and its endpoint; never the token.
    public var description: String { "TikTokDestination(\(name), \(endpoint), pixel \(pixelCode))" }
}
