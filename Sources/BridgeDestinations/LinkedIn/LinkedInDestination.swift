import BridgeCore

/// The LinkedIn Conversions API: up to 5,000 conversion events per
/// `POST {base_url}/rest/conversionEvents` with `X-RestLi-Method: BATCH_CREATE`
/// (`docs/destinations/linkedin.md`).
///
/// Configuration keys (see `docs/destinations/linkedin.md`):
///
/// | key | default | meaning |
/// |---|---|---|
/// | `conversion_rule_id` | required | the conversion rule (created with `conversionMethod: CONVERSIONS_API`), digits; sent as `urn:lla:llaPartnerConversion:{id}` |
/// | `access_token` | — | a member token with `rw_conversions`; or, instead: |
/// | `refresh_token`, `client_id`, `client_secret` | — | the refresh-token grant at `token_url`; the pipeline caches the access token |
/// | `token_url` | `https://www.linkedin.com/oauth/v2/accessToken` | for tests |
/// | `api_version` | `202603` | `LinkedIn-Version` header, `YYYYMM`; versions sunset after about a year (HTTP 426) |
/// | `base_url` | `https://api.linkedin.com` | for proxies and the mock endpoint |
/// | `send_user_info` | `true` | sends first and last name (and country) in clear as `user.userInfo`; `false` never sends names |
/// | `max_events_per_request` | 5000 | at most 5000 |
/// | `max_bytes_per_request` | 5 MiB | project choice; LinkedIn documents no byte cap |
/// | `timeout_ms` | 10000 | a 5,000-event batch takes a while |
///
/// LinkedIn has no test or validation mode (use a conversion rule not
/// attached to live campaigns) and no consent field. The item is built in
/// `LinkedInDestination+Payload.swift`, replies are read in
/// `LinkedInDestination+Classify.swift`.
public struct LinkedInDestination: Destination {
    public let name: String
    public var kind: String { "linkedin" }
    public var platform: Platform { .linkedin }
    public let limits: DestinationLimits

    /// How the destination authenticates.
    enum Credential: Sendable {
        /// A configured access token, sent as is.
        case accessToken(SecretText)
        /// The refresh-token grant; the pipeline's token cache adds the header.
        case refresh(RefreshTokenIssuer)
    }

    let conversionRuleID: String
    let credential: Credential
    let apiVersion: String
    let baseURL: String
    let sendUserInfo: Bool

    /// LinkedIn's API host.
    public static let defaultBaseURL = "https://api.linkedin.com"
    /// LinkedIn's OAuth 2.0 token endpoint.
    public static let defaultTokenURL = "https://www.linkedin.com/oauth/v2/accessToken"
    /// The newest version the shared notes saw pinned by a production
    /// integration (Segment, 2026); LinkedIn sunsets a version after about a year.
    public static let defaultAPIVersion = "202603"
    /// Rest.li protocol version LinkedIn's versioned APIs require.
    public static let restliProtocolVersion = "2.0.0"
    /// LinkedIn refuses conversions older than 90 days.
    public static let maxEventAgeDays: Int64 = 90

    static let knownKeys = [
        "conversion_rule_id", "access_token", "refresh_token", "client_id", "client_secret", "token_url", "api_version", "base_url",
        "send_user_info", "max_events_per_request", "max_bytes_per_request", "timeout_ms", "allow_insecure",
    ]

    /// Reads and validates the `linkedin` keys.
    /// - Throws: `DestinationConfigError` naming the first missing, invalid or unknown key.
    public init(_ settings: DestinationSettings) throws(DestinationConfigError) {
        var reader = SettingsReader(settings)
        name = settings.name
        conversionRuleID = try reader.requiredString("conversion_rule_id", "the conversion rule id (digits)")
        guard conversionRuleID.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            throw reader.invalid("conversion_rule_id", "must be the conversion rule id: digits only")
        }
        let accessToken = try reader.string("access_token")
        let refreshToken = try reader.string("refresh_token")
        let clientID = try reader.string("client_id")
        let clientSecret = try reader.string("client_secret")
        let tokenURL = try reader.endpointURL("token_url") ?? Self.defaultTokenURL
        switch (accessToken, refreshToken) {
        case (let token?, nil):
            guard clientID == nil, clientSecret == nil else {
                throw reader.invalid(clientID != nil ? "client_id" : "client_secret", "only with refresh_token, not with access_token")
            }
            credential = .accessToken(SecretText(token))
        case (nil, let refresh?):
            guard let clientID else {
                throw DestinationConfigError(
                    code: .missingKey, destination: settings.name, keyPath: "client_id", message: "required with refresh_token: the app's client id")
            }
            guard let clientSecret else {
                throw DestinationConfigError(
                    code: .missingKey, destination: settings.name, keyPath: "client_secret",
                    message: "required with refresh_token: the app's client secret, e.g. ${LINKEDIN_CLIENT_SECRET}")
            }
            credential = .refresh(
                RefreshTokenIssuer(tokenURL: tokenURL, clientID: clientID, clientSecret: clientSecret, refreshToken: refresh, issuerName: "LinkedIn"))
        case (.some, .some):
            throw reader.invalid("refresh_token", "set either access_token or refresh_token with client_id and client_secret, not both")
        case (nil, nil):
            throw DestinationConfigError(
                code: .missingKey, destination: settings.name, keyPath: "access_token",
                message: "required: access_token (e.g. ${LINKEDIN_ACCESS_TOKEN}), or refresh_token with client_id and client_secret")
        }
        apiVersion = try reader.string("api_version") ?? Self.defaultAPIVersion
        guard Self.isAPIVersion(apiVersion) else { throw reader.invalid("api_version", "must be a monthly version YYYYMM, e.g. 202603") }
        baseURL = try reader.endpointURL("base_url") ?? Self.defaultBaseURL
        sendUserInfo = try reader.boolean("send_user_info", default: true)
        limits = try reader.limits(
            maxEvents: 5000, defaultBytes: 5 << 20, eventAge: .fixed(seconds: Self.maxEventAgeDays * 86_400), defaultTimeoutMilliseconds: 10_000)
        try reader.rejectUnknownKeys(known: Self.knownKeys)
    }

    /// The endpoint: `{base_url}/rest/conversionEvents` (no credentials in it).
    public var endpoint: String { "\(baseURL)/rest/conversionEvents" }

    /// The conversion rule URN every item references.
    var conversionURN: String { "urn:lla:llaPartnerConversion:\(conversionRuleID)" }

    /// With `refresh_token`, the refresh-token grant at LinkedIn's token URL.
    public var tokenIssuer: (any AccessTokenIssuer)? {
        if case .refresh(let issuer) = credential { return issuer }
        return nil
    }

    /// `POST {endpoint}` with `X-RestLi-Method: BATCH_CREATE`,
    /// `LinkedIn-Version`, `X-Restli-Protocol-Version: 2.0.0` and, with a
    /// static token, `Authorization: Bearer` (with OAuth the pipeline adds
    /// it through `authorizing(_:with:)`). Body `{"elements": items}`.
    ///
    /// The items are the `elements`, as encoded by `makeItem`. The token is
    /// only in `headers`.
    public func makeRequest(items: [EncodedJSON], batchID: String, now: Timestamp) -> OutboundRequest {
        var headers = [
            HeaderPair("content-type", "application/json"),
            HeaderPair("accept", "application/json"),
            HeaderPair("x-restli-method", "BATCH_CREATE"),
            HeaderPair("linkedin-version", apiVersion),
            HeaderPair("x-restli-protocol-version", Self.restliProtocolVersion),
        ]
        if case .accessToken(let token) = credential { headers.append(HeaderPair("authorization", "Bearer " + token.value)) }
        let payload = LinkedInBatchCreateRequest(elements: items.map(JSONFragment.init))
        // Fragments only: encoding cannot fail.
        let body = (try? JSONBytesEncoder.encode(payload, capacity: items.reduce(64) { $0 + $1.bytes.count + 1 })) ?? EncodedJSON(bytes: [])
        return OutboundRequest(url: endpoint, headers: headers, body: body, auditURL: endpoint)
    }

    /// Six digits `YYYYMM` with a month from 01 to 12.
    static func isAPIVersion(_ text: String) -> Bool {
        guard text.utf8.count == 6, text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let month = Int(text.suffix(2)) else { return false }
        return (1...12).contains(month)
    }
}

extension LinkedInDestination: CustomStringConvertible {
    /// Names the destination, its endpoint and version; never a credential.
    public var description: String { "LinkedInDestination(\(name), \(endpoint), version \(apiVersion))" }
}
