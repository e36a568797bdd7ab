import BridgeCore

/// Google Ads conversions through the **Data Manager API** (kind `google`):
/// up to 2,000 events per `POST {base_url}/v1/events:ingest`, OAuth 2.0
/// bearer token with the `datamanager` scope, no developer token
/// (`docs/destinations/google.md`).
///
/// Configuration keys (see `docs/destinations/google.md`):
///
/// | key | default | meaning |
/// |---|---|---|
/// | `operating_account_id` | required | the Google Ads account the conversions belong to (10 digits, dashes allowed) |
/// | `conversion_action_id` | required | the conversion action id: the destination's `productDestinationId` |
/// | `login_account_id` | none | the account we authenticate as when it differs (a manager account) |
/// | `destination_reference` | none | the destination's `reference` |
/// | `event_source` | `WEB` | `WEB`, `APP`, `IN_STORE`, `PHONE`, `MESSAGE` or `OTHER` |
/// | `transaction_id` | `event_id` | what `transactionId` carries: `event_id` (the id the tag sends, `docs/event-ids.md`) or `order_id` (falls back to the event id) |
/// | `merchant_id` | none | Merchant Center id; with it, line items are sent as `cartData` |
/// | `validate_only` | `false` | `validateOnly: true`: Google validates and ingests nothing |
/// | `base_url` | `https://datamanager.googleapis.com` | proxies and the mock |
/// | `max_events_per_request` | 2000 | at most 2,000 (`TOO_MANY_EVENTS`) |
/// | `max_bytes_per_request` | 4 MiB | project choice; Google documents no byte cap |
/// | `max_event_age_days` | 90 | the longest click-through window a conversion action can have |
/// | `timeout_ms` | 10000 | request deadline |
/// | `refresh_token`, `client_id`, `client_secret`, `service_account_json`, `token_url` | | OAuth credentials, see `GoogleCredentials` |
///
/// The item is built in `GoogleDestination+Payload.swift`, replies are read
/// in `GoogleDestination+Classify.swift`.
public struct GoogleDestination: Destination {
    public let name: String
    public var kind: String { "google" }
    public var platform: Platform { .google }
    public let limits: DestinationLimits
    public var tokenIssuer: (any AccessTokenIssuer)? { issuer }

    let operatingAccountID: String
    let loginAccountID: String?
    let conversionActionID: String
    let destinationReference: String?
    let eventSource: String
    let transactionIDSource: TransactionIDSource
    let merchantID: String?
    let validateOnly: Bool
    let baseURL: String
    let issuer: any AccessTokenIssuer

    /// Data Manager's host.
    public static let defaultBaseURL = "https://datamanager.googleapis.com"
    /// The OAuth scope of the Data Manager API.
    public static let scope = "https://www.googleapis.com/auth/datamanager"
    /// Data Manager's `EventSource` values.
    public static let eventSources: Set<String> = ["WEB", "APP", "IN_STORE", "PHONE", "MESSAGE", "OTHER"]

    static let knownKeys =
        [
            "operating_account_id", "conversion_action_id", "login_account_id", "destination_reference", "event_source", "transaction_id",
            "merchant_id", "validate_only", "base_url", "max_events_per_request", "max_bytes_per_request", "max_event_age_days",
            "timeout_ms", "allow_insecure",
        ] + GoogleCredentials.keys

    /// Reads and validates the `google` keys.
    /// - Throws: `DestinationConfigError` naming the first missing, invalid or unknown key.
    public init(_ settings: DestinationSettings) throws(DestinationConfigError) {
        var reader = SettingsReader(settings)
        name = settings.name
        let operating = try reader.requiredString("operating_account_id", "the Google Ads account id (10 digits)")
        guard let operatingID = GoogleCredentials.customerID(operating) else {
            throw reader.invalid("operating_account_id", "must be a Google Ads account id: 10 digits, dashes allowed")
        }
        operatingAccountID = operatingID
        if let login = try reader.string("login_account_id") {
            guard let loginID = GoogleCredentials.customerID(login) else {
                throw reader.invalid("login_account_id", "must be a Google Ads account id: 10 digits, dashes allowed")
            }
            loginAccountID = loginID
        } else {
            loginAccountID = nil
        }
        conversionActionID = try reader.requiredString("conversion_action_id", "the conversion action id (digits)")
        guard GoogleCredentials.isDigits(conversionActionID) else {
            throw reader.invalid("conversion_action_id", "must be the conversion action id: digits only")
        }
        destinationReference = try reader.string("destination_reference")
        eventSource = try reader.string("event_source")?.uppercased() ?? "WEB"
        guard Self.eventSources.contains(eventSource) else {
            throw reader.invalid("event_source", "must be one of \(Self.eventSources.sorted().joined(separator: ", "))")
        }
        transactionIDSource = try reader.transactionIDSource()
        merchantID = try reader.string("merchant_id")
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

    /// `{base_url}/v1/events:ingest`.
    public var endpoint: String { "\(baseURL)/v1/events:ingest" }

    /// `POST {endpoint}` with the JSON body
    /// `{"destinations": [...], "encoding": "HEX", "validateOnly": …, "events": items}`.
    ///
    /// Consent travels per event (each event's own decision); no
    /// request-level `consent` is sent. The items are the `events`, as
    /// encoded by `makeItem`. The bearer token is added by `authorizing(_:with:)`
    /// when the pipeline sends; it is never in `auditURL` or `auditPayload`.
    public func makeRequest(items: [EncodedJSON], batchID: String, now: Timestamp) -> OutboundRequest {
        let destination = DataManagerDestination(
            operatingAccount: DataManagerAccount(accountID: operatingAccountID),
            loginAccount: loginAccountID.map { DataManagerAccount(accountID: $0) },
            productDestinationID: conversionActionID, reference: destinationReference)
        let payload = DataManagerIngestRequest(destinations: [destination], validateOnly: validateOnly, events: items.map(JSONFragment.init))
        // Strings, booleans and fragments: encoding cannot fail.
        let body = (try? JSONBytesEncoder.encode(payload, capacity: items.reduce(512) { $0 + $1.bytes.count + 1 })) ?? EncodedJSON(bytes: [])
        return OutboundRequest(
            url: endpoint,
            headers: [HeaderPair("content-type", "application/json"), HeaderPair("accept", "application/json")],
            body: body,
            auditURL: endpoint)
    }
}

extension GoogleDestination: CustomStringConvertible {
    /// Names the destination, its endpoint and account; never a credential.
    public var description: String { "GoogleDestination(\(name), \(endpoint), account \(operatingAccountID))" }
}
