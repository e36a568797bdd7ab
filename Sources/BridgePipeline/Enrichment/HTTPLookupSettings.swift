import BridgeCore

/// How an HTTP enrichment provider is called (decoded from
/// `enrichment.providers[i]` with `kind: http`; see `docs/enrichment.md`).
public struct HTTPLookupSettings: Sendable {
    /// How requests authenticate.
    public enum Auth: Sendable {
        case none
        /// A fixed header (`X-Api-Key: …`).
        case apiKey(header: String, value: String)
        /// OAuth 2.0 client credentials (RFC 6749 §4.4): a bearer token from
        /// `tokenURL`, cached until shortly before it expires.
        case oauth2(OAuthClientCredentials)
    }

    /// What the lookup request may carry: one JSON object with these keys.
    public enum LookupKey: String, Sendable, CaseIterable {
        /// SHA-256 of the trimmed, lowercased e-mail (Meta's normalization).
        case emailSHA256 = "email_sha256"
        /// SHA-256 of the phone number as digits with country code, no `+` (Meta's).
        case phoneSHA256 = "phone_sha256"
        /// The merchant's customer id as sent (trimmed).
        case externalID = "external_id"
        /// SHA-256 of the trimmed external id.
        case externalIDSHA256 = "external_id_sha256"
        /// The e-mail address itself (trimmed, lowercased): only with
        /// `send_raw_email: true` and TLS.
        case email
    }

    public var url: String
    public var auth: Auth
    public var lookupKeys: [LookupKey]
    /// Canonical customer field → JSON pointer into the answer.
    public var map: [(field: CustomerField, pointer: JSONPointer)]
    /// One request's deadline (default 300 ms; the event's budget may cut it shorter).
    public var timeout: Duration
    /// Requests in flight at most; an event finding them all busy goes on without this provider.
    public var concurrency: Int
    public var cacheEntries: Int
    public var cacheTTL: Duration
    public var breaker: CircuitBreaker.Configuration
    /// Region for `phone_sha256` when the event has no country.
    public var defaultRegion: String?
    /// Largest answer read.
    public var maxResponseBytes: Int

    public init(
        url: String, auth: Auth = .none, lookupKeys: [LookupKey], map: [(field: CustomerField, pointer: JSONPointer)],
        timeout: Duration = .milliseconds(300), concurrency: Int = 16, cacheEntries: Int = 10_000, cacheTTL: Duration = .seconds(600),
        breaker: CircuitBreaker.Configuration = .standard, defaultRegion: String? = nil, maxResponseBytes: Int = 64 * 1024
    ) {
        self.url = url
        self.auth = auth
        self.lookupKeys = lookupKeys
        self.map = map
        self.timeout = timeout
        self.concurrency = max(1, concurrency)
        self.cacheEntries = max(1, cacheEntries)
        self.cacheTTL = cacheTTL
        self.breaker = breaker
        self.defaultRegion = defaultRegion
        self.maxResponseBytes = maxResponseBytes
    }

    /// The lookup request body for `event`, or `nil` when it carries none of
    /// the lookup keys. Keys are sorted, so equal lookups give equal bytes
    /// (the cache key).
    public func requestBody(for event: ConversionEvent) -> [UInt8]? {
        let region = IdentifierPreparer.region(customer: event.customer, defaultRegion: defaultRegion)
        var object: [String: JSONValue] = [:]
        for key in lookupKeys {
            let value: String?
            switch key {
            case .emailSHA256:
                value = event.customer[.email].flatMap { IdentityDigests.linkDigest(.email, raw: $0.rawValue, region: region) }
            case .phoneSHA256:
                value = event.customer[.phone].flatMap { IdentityDigests.linkDigest(.phone, raw: $0.rawValue, region: region) }
            case .externalID:
                value = event.customer[.externalID].map { $0.rawValue.trimmingWhitespace() }.flatMap { $0.isEmpty ? nil : $0 }
            case .externalIDSHA256:
                value = event.customer[.externalID].flatMap { IdentityDigests.linkDigest(.externalID, raw: $0.rawValue, region: region) }
            case .email:
                value = event.customer[.email].flatMap { IdentifierNormalizer.normalize(.email, $0.rawValue, for: .meta, region: nil).value }
            }
            if let value { object[key.rawValue] = .string(value) }
        }
        return object.isEmpty ? nil : JSONWriter.bytes(.object(object))
    }

    /// The customer values `answer` holds at the mapped pointers (strings, or
    /// numbers as written; blank values skipped).
    public func values(in answer: JSONValue) -> [CustomerField: String] {
        var found: [CustomerField: String] = [:]
        for (field, pointer) in map {
            guard let value = pointer.resolve(in: answer)?.scalarText else { continue }
            let trimmed = value.trimmingWhitespace()
            if !trimmed.isEmpty, trimmed.unicodeScalars.count <= 512 { found[field] = trimmed }
        }
        return found
    }
}

/// OAuth 2.0 client-credentials settings.
public struct OAuthClientCredentials: Sendable {
    /// How the client authenticates at the token endpoint.
    public enum ClientAuthentication: String, Sendable {
        /// HTTP Basic (RFC 6749 §2.3.1's recommended way).
        case basic
        /// `client_id` and `client_secret` in the form body.
        case body
    }

    public var tokenURL: String
    public var clientID: String
    public var clientSecret: String
    public var scope: String?
    public var clientAuthentication: ClientAuthentication
    /// The token endpoint's deadline (default 2 s).
    public var timeout: Duration
    /// A token is renewed this long before it expires (default 60 s, at most half its lifetime).
    public var refreshMargin: Duration

    public init(
        tokenURL: String, clientID: String, clientSecret: String, scope: String? = nil, clientAuthentication: ClientAuthentication = .basic,
        timeout: Duration = .seconds(2), refreshMargin: Duration = .seconds(60)
    ) {
        self.tokenURL = tokenURL
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.scope = scope
        self.clientAuthentication = clientAuthentication
        self.timeout = timeout
        self.refreshMargin = refreshMargin
    }
}
