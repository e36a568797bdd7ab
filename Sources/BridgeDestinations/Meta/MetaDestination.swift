import BridgeCore

/// The Meta (Facebook / Instagram) Conversions API: one server event per
/// item, up to 1,000 per `POST {base_url}/{api_version}/{pixel_id}/events`.
///
/// Configuration keys (see `docs/destinations.md`):
///
/// | key | default | meaning |
/// |---|---|---|
/// | `pixel_id` | required | the dataset (pixel) id, digits |
/// | `access_token` | required | system-user token, from the environment; sent as the `access_token` query parameter |
/// | `api_version` | `v26.0` | Graph API version (`vNN.N`) |
/// | `base_url` | `https://graph.facebook.com` | for proxies and the mock endpoint |
/// | `test_event_code` | none | routes events to Events Manager's Test Events tab (they are **not** dropped) |
/// | `action_source` | `website` | one of Meta's action sources |
/// | `event_source_url` | none | used when the event has no usable landing URL |
/// | `site_url` | none | makes a path-only landing URL (Shopify) absolute |
/// | `partner_agent` | `capibridge_0_1` | identifies the bridge to Meta |
/// | `app_secret` | none | adds `appsecret_proof` = hex HMAC-SHA256(app_secret, access_token) |
/// | `send_refunds` | `true` | sends refunds as the custom event `Refund` with their positive value |
/// | `max_events_per_request` | 1000 | at most 1000 |
/// | `max_bytes_per_request` | 1 MiB | project choice; Meta documents no byte cap |
/// | `timeout_ms` | 5000 | see `defaultTimeout` |
///
/// The item is built in `MetaDestination+Payload.swift`, replies are read in
/// `MetaDestination+Classify.swift`.
public struct MetaDestination: Destination {
    public let name: String
    public var kind: String { "meta" }
    public var platform: Platform { .meta }
    public let limits: DestinationLimits

    let pixelID: String
    let accessToken: SecretText
    let appSecretProof: SecretText?
    let apiVersion: String
    let baseURL: String
    let testEventCode: String?
    let actionSource: String
    let fallbackEventSourceURL: String?
    let siteURL: String?
    let partnerAgent: String
    let sendRefunds: Bool

    /// The Graph API version `facebook-business` 26.0.3 pins.
    public static let defaultAPIVersion = "v26.0"
    /// Meta's Graph API host.
    public static let defaultBaseURL = "https://graph.facebook.com"
    /// `partner_agent` when none is configured (Meta's `name_major_minor` convention).
    public static let defaultPartnerAgent = "capibridge_0_1"
    /// The request deadline when `timeout_ms` is not set: 5 s. Meta's
    /// troubleshooting page suggests 1.5 s for single events and says most
    /// answers take under 600 ms, but a batch of 1,000 events takes longer,
    /// and a timeout makes us send the whole batch again (harmless, Meta
    /// deduplicates on `event_id`, but wasteful). 5 s stays far below the
    /// retry backoff while rarely cutting a slow but successful request.
    public static let defaultTimeout: Duration = .milliseconds(5000)
    /// Meta's documented `action_source` values.
    public static let actionSources: Set<String> = [
        "email", "website", "app", "phone_call", "chat", "physical_store", "system_generated", "business_messaging", "other",
    ]

    static let knownKeys = [
        "pixel_id", "access_token", "api_version", "base_url", "test_event_code", "action_source", "event_source_url",
        "site_url", "partner_agent", "app_secret", "send_refunds", "max_events_per_request", "max_bytes_per_request",
        "timeout_ms", "allow_insecure",
    ]

    /// Reads and validates the `meta` keys.
    /// - Throws: `DestinationConfigError` naming the first missing, invalid or unknown key.
    public init(_ settings: DestinationSettings) throws(DestinationConfigError) {
        var reader = SettingsReader(settings)
        name = settings.name
        pixelID = try reader.requiredString("pixel_id", "the dataset (pixel) id")
        guard pixelID.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            throw reader.invalid("pixel_id", "must be the dataset (pixel) id: digits only")
        }
        let token = try reader.requiredString("access_token", "the Conversions API access token, e.g. ${META_ACCESS_TOKEN}")
        accessToken = SecretText(token)
        appSecretProof = try reader.string("app_secret").map { SecretText(Self.appSecretProof(appSecret: $0, accessToken: token)) }
        apiVersion = try reader.string("api_version") ?? Self.defaultAPIVersion
        guard Self.isAPIVersion(apiVersion) else { throw reader.invalid("api_version", "must look like v26.0") }
        baseURL = try reader.endpointURL("base_url") ?? Self.defaultBaseURL
        testEventCode = try reader.string("test_event_code")
        actionSource = try reader.string("action_source") ?? "website"
        guard Self.actionSources.contains(actionSource) else {
            throw reader.invalid("action_source", "must be one of \(Self.actionSources.sorted().joined(separator: ", "))")
        }
        fallbackEventSourceURL = try reader.httpURL("event_source_url")
        siteURL = try reader.httpURL("site_url")
        partnerAgent = try reader.string("partner_agent") ?? Self.defaultPartnerAgent
        sendRefunds = try reader.boolean("send_refunds", default: true)
        // Meta refuses a whole request holding an event older than 7 days;
        // physical-store events may be up to 62 days old.
        let maxAgeDays: Int64 = actionSource == "physical_store" ? 62 : 7
        limits = try reader.limits(maxEvents: 1000, defaultBytes: 1 << 20, eventAge: .fixed(seconds: maxAgeDays * 86_400))
        try reader.rejectUnknownKeys(known: Self.knownKeys)
    }

    /// With a `test_event_code`, events go to Events Manager's Test Events tab.
    public var sendsToTestMode: Bool { testEventCode != nil }

    /// The endpoint without credentials: `{base_url}/{api_version}/{pixel_id}/events`.
    public var endpoint: String { "\(baseURL)/\(apiVersion)/\(pixelID)/events" }

    /// `POST {endpoint}?access_token=…[&appsecret_proof=…]` with the JSON body
    /// `{"data": items, "partner_agent": …, "test_event_code"?: …}`
    /// (`MetaRequestBody`), the items copied in as encoded.
    ///
    /// The items' `event_time` is never later than the time they were built
    /// (`makeItem`): Meta refuses future times without documenting a
    /// tolerance. The token is only in `url`; `auditURL` is `endpoint`.
    public func makeRequest(items: [EncodedJSON], batchID: String, now: Timestamp) -> OutboundRequest {
        let body = MetaRequestBody(data: items.map(JSONFragment.init), partnerAgent: partnerAgent, testEventCode: testEventCode)
        var query = "access_token=" + QueryText.encode(accessToken.value)
        if let appSecretProof { query += "&appsecret_proof=" + appSecretProof.value }
        return OutboundRequest(
            url: endpoint + "?" + query,
            headers: [HeaderPair("content-type", "application/json"), HeaderPair("accept", "application/json")],
            body: body.encoded(),
            auditURL: endpoint)
    }

    /// Hex HMAC-SHA256 of the access token keyed with the app secret (Graph API `appsecret_proof`).
    static func appSecretProof(appSecret: String, accessToken: String) -> String {
        SignatureSupport.hex(SignatureSupport.hmacSHA256(key: Array(appSecret.utf8), message: Array(accessToken.utf8)))
    }

    /// `v` + digits + `.` + digits.
    static func isAPIVersion(_ text: String) -> Bool {
        guard text.hasPrefix("v") else { return false }
        let parts = text.dropFirst().split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 2 && parts.allSatisfy { !$0.isEmpty && $0.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 } }
    }
}

extension MetaDestination: CustomStringConvertible {
    /// Names the destination and its endpoint; never the token.
    public var description: String { "MetaDestination(\(name), \(endpoint))" }
}
