import BridgeCore

/// Google Ads conversions through the **Google Ads API** (kind
/// `google_ads`): up to 2,000 click conversions per
/// `POST {base_url}/{api_version}/customers/{customer_id}:uploadClickConversions`,
/// with an OAuth 2.0 bearer token (`adwords` scope) and a developer token
/// (`docs/destinations/google.md`). Always in partial-failure mode, so
/// Google judges each conversion separately.
///
/// Configuration keys (see `docs/destinations/google.md`):
///
/// | key | default | meaning |
/// |---|---|---|
/// | `customer_id` | required | the Google Ads account the conversions are uploaded to (10 digits, dashes allowed) |
/// | `conversion_action_id` | required | the conversion action id; sent as `customers/{customer_id}/conversionActions/{id}` |
/// | `developer_token` | required | the API developer token, from the environment; sent as the `developer-token` header |
/// | `login_customer_id` | none | the manager account we call through (`login-customer-id` header) |
/// | `api_version` | `v26` | Google Ads API version (`vNN`) |
/// | `transaction_id` | `event_id` | what `orderId` carries: `event_id` or `order_id` (falls back to the event id) |
/// | `validate_only` | `false` | `validateOnly: true`: Google validates and uploads nothing |
/// | `base_url` | `https://googleads.googleapis.com` | proxies and the mock |
/// | `max_events_per_request` | 2000 | at most 2,000 (`TOO_MANY_CONVERSIONS_IN_REQUEST`) |
/// | `max_bytes_per_request` | 4 MiB | project choice; Google documents no byte cap |
/// | `max_event_age_days` | 90 | the longest click-through window (`EXPIRED_EVENT`) |
/// | `timeout_ms` | 10000 | request deadline |
/// | `refresh_token`, `client_id`, `client_secret`, `service_account_json`, `token_url` | | OAuth credentials, see `GoogleCredentials` |
///
/// The item is built in `GoogleAdsDestination+Payload.swift`, replies are
/// read in `GoogleAdsDestination+Classify.swift`.
public struct GoogleAdsDestination: Destination {
    public let name: String
    public var kind: String { "google_ads" }
    public var platform: Platform { .google }
    public let limits: DestinationLimits
    public var tokenIssuer: (any AccessTokenIssuer)? { issuer }

    let customerID: String
    let conversionActionID: String
    let developerToken: SecretText
    let loginCustomerID: String?
    let apiVersion: String
    let transactionIDSource: TransactionIDSource
    let validateOnly: Bool
    let baseURL: String
    let issuer: any AccessTokenIssuer

    /// The newest version `google-ads` 34.0.0 ships.
    public static let defaultAPIVersion = "v26"
    /// The Google Ads API host.
    public static let defaultBaseURL = "https://googleads.googleapis.com"
    /// The OAuth scope of the Google Ads API.
    public static let scope = "https://www.googleapis.com/auth/adwords"

    static let knownKeys =
        [
            "customer_id", "conversion_action_id", "developer_token", "login_customer_id", "api_version", "transaction_id", "validate_only",
            "base_url", "max_events_per_request", "max_bytes_per_request", "max_event_age_days", "timeout_ms", "allow_insecure",
        ] + GoogleCredentials.keys

    /// Reads and validates the `google_ads` keys.
    /// - Throws: `DestinationConfigError` naming the first missing, invalid or unknown key.
    public init(_ settings: DestinationSettings) throws(DestinationConfigError) {
        var reader = SettingsReader(settings)
        name = settings.name
        let customer = try reader.requiredString("customer_id", "the Google Ads customer id (10 digits)")
        guard let customerDigits = GoogleCredentials.customerID(customer) else {
            throw reader.invalid("customer_id", "must be a Google Ads customer id: 10 digits, dashes allowed")
        }
        customerID = customerDigits
        conversionActionID = try reader.requiredString("conversion_action_id", "the conversion action id (digits)")
        guard GoogleCredentials.isDigits(conversionActionID) else {
            throw reader.invalid("conversion_action_id", "must be the conversion action id: digits only")
        }
        developerToken = SecretText(try reader.requiredString("developer_token", "the Google Ads API developer token, e.g. ${GOOGLE_ADS_DEVELOPER_TOKEN}"))
        if let login = try reader.string("login_customer_id") {
            guard let loginDigits = GoogleCredentials.customerID(login) else {
                throw reader.invalid("login_customer_id", "must be a manager customer id: 10 digits, dashes allowed")
            }
            loginCustomerID = loginDigits
        } else {
            loginCustomerID = nil
        }
        apiVersion = try reader.string("api_version") ?? Self.defaultAPIVersion
        guard apiVersion.hasPrefix("v"), GoogleCredentials.isDigits(String(apiVersion.dropFirst())) else {
            throw reader.invalid("api_version", "must look like v26")
        }
        transactionIDSource = try reader.transactionIDSource()
        validateOnly = try reader.boolean("validate_only", default: false)
        baseURL = try reader.endpointURL("base_url") ?? Self.defaultBaseURL
        limits = try reader.limits(
            maxEvents: 2000, defaultBytes: 4 << 20, bytesRange: 1024...(10 << 20), eventAge: .configurable(defaultDays: 90, maxDays: 90),
            defaultTimeoutMilliseconds: 10_000)
        issuer = try GoogleCredentials.read(&reader, destination: settings.name, scope: Self.scope)
        try reader.rejectUnknownKeys(known: Self.knownKeys)
    }

    /// With `validate_only`, Google validates the requests and ingests nothing.
    public var sendsToTestMode: Bool { validateOnly }

    /// `{base_url}/{api_version}/customers/{customer_id}:uploadClickConversions`.
    public var endpoint: String { "\(baseURL)/\(apiVersion)/customers/\(customerID):uploadClickConversions" }

    /// The conversion action's resource name.
    var conversionActionResource: String { "customers/\(customerID)/conversionActions/\(conversionActionID)" }

    /// `POST {endpoint}` with `developer-token` (and `login-customer-id`)
    /// headers and the JSON body
    /// `{"conversions": items, "partialFailure": true, "validateOnly": …}`.
    ///
    /// The items are the `conversions`, as encoded by `makeItem`. The
    /// developer token is only in `headers`; the bearer token is added by
    /// `authorizing(_:with:)` when the pipeline sends.
    public func makeRequest(items: [EncodedJSON], batchID: String, now: Timestamp) -> OutboundRequest {
        let payload = GoogleAdsUploadRequest(conversions: items.map(JSONFragment.init), validateOnly: validateOnly)
        var headers = [
            HeaderPair("content-type", "application/json"), HeaderPair("accept", "application/json"),
            HeaderPair("developer-token", developerToken.value),
        ]
        if let loginCustomerID { headers.append(HeaderPair("login-customer-id", loginCustomerID)) }
        // Strings, booleans and fragments: encoding cannot fail.
        let body = (try? JSONBytesEncoder.encode(payload, capacity: items.reduce(256) { $0 + $1.bytes.count + 1 })) ?? EncodedJSON(bytes: [])
        return OutboundRequest(url: endpoint, headers: headers, body: body, auditURL: endpoint)
    }

    /// `yyyy-mm-dd hh:mm:ss+00:00`: the Google Ads date-time, in UTC with
    /// the offset Google requires, whole seconds.
    static func conversionDateTime(_ time: Timestamp) -> String {
        let text = Timestamp(secondsSinceEpoch: time.secondsSinceEpoch).rfc3339
        return String(text.dropLast().map { $0 == "T" ? " " : $0 }) + "+00:00"
    }
}

extension GoogleAdsDestination: CustomStringConvertible {
    /// Names the destination and its endpoint; never a token.
    public var description: String { "GoogleAdsDestination(\(name), \(endpoint))" }
}
