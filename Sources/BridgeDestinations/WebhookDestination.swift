import BridgeCore

/// POSTs prepared (hashed) events to any URL, signed per Standard Webhooks,
/// so any system can consume the bridge's output.
///
/// Configuration keys (see `docs/destinations.md`):
///
/// | key | default | meaning |
/// |---|---|---|
/// | `url` | required | `http://` or `https://` receiver |
/// | `secret` | required | `whsec_` + base64 key, from the environment |
/// | `identifier_rules` | `meta` | whose normalization and hashing rules apply (a platform name) |
/// | `max_events_per_request` | 500 | 1 to 10,000 |
/// | `max_bytes_per_request` | 1 MiB | |
/// | `max_event_age_days` | 30 | older events are dead-lettered instead of sent |
/// | `timeout_ms` | 15000 | Standard Webhooks recommends 15–30 s |
///
/// Body: `{"type": "conversions.batch", "timestamp": "<RFC 3339>",
/// "data": {"events": [items]}}` with items in `GenericEventItem`'s shape.
/// Headers: `webhook-id` (the batch id, stable across retries of the batch),
/// `webhook-timestamp` (Unix seconds of the attempt), `webhook-signature`
/// (`v1,<base64 HMAC-SHA256 of id.timestamp.body>`).
///
/// | answer | verdict |
/// |---|---|
/// | 2xx | `delivered` |
/// | header `webhook-delivery: abort-message` (Svix) | `deadLetter(receiver_aborted)` |
/// | 410 Gone | `authFailure`: the spec says a 410 disables the endpoint; the destination is paused until an operator resumes it |
/// | anything else | `DeliveryVerdict.classify(status:…)`: 429 throttled, 408/425/5xx retry, 401/403 auth failure, other 4xx dead letter |
public struct WebhookDestination: Destination {
    public let name: String
    public var kind: String { "webhook" }
    /// A receiver of our own: test orders are forwarded unless `send_test_events: false`.
    public var sendsToTestMode: Bool { true }
    public let platform: Platform
    public let limits: DestinationLimits

    /// The receiver URL, as configured.
    let url: String
    /// `url` without user info, query or fragment.
    let auditURL: String
    let key: SecretBytes

    /// The body's `type`.
    public static let eventType = "conversions.batch"
    static let knownKeys = [
        "url", "secret", "identifier_rules", "max_events_per_request", "max_bytes_per_request", "max_event_age_days", "timeout_ms", "allow_insecure",
    ]

    /// Reads and validates the `webhook` keys.
    /// - Throws: `DestinationConfigError` naming the first missing, invalid or unknown key.
    public init(_ settings: DestinationSettings) throws(DestinationConfigError) {
        var reader = SettingsReader(settings)
        name = settings.name
        let url = try reader.requiredString("url", "the receiver's https:// URL")
        guard HTTPURLText.isHTTP(url) else { throw reader.invalid("url", "must be an absolute https:// URL") }
        try reader.checkEndpoint(url, key: "url")
        self.url = url
        auditURL = URLText.withoutCredentials(self.url)
        let secret = try reader.requiredString("secret", "a Standard Webhooks signing secret (whsec_ + base64)")
        guard secret.hasPrefix("whsec_"), let bytes = SignatureSupport.decodeBase64(String(secret.dropFirst(6))), bytes.count >= 16 else {
            throw reader.invalid("secret", "must be whsec_ followed by the base64 of at least 16 random bytes")
        }
        key = SecretBytes(bytes)
        platform = try Self.identifierRules(&reader)
        let maxEvents = try reader.integer("max_events_per_request", default: 500, in: 1...10_000)
        let maxBytes = try reader.integer("max_bytes_per_request", default: 1 << 20, in: 1024...(50 << 20))
        let maxAgeDays = try reader.integer("max_event_age_days", default: 30, in: 1...3650)
        let timeout = try reader.integer("timeout_ms", default: 15_000, in: 100...120_000)
        try reader.rejectUnknownKeys(known: Self.knownKeys)
        limits = DestinationLimits(
            maxEventsPerRequest: maxEvents, maxBytesPerRequest: maxBytes, maxEventAgeSeconds: Int64(maxAgeDays) * 86_400,
            maxFutureSkewSeconds: 86_400, requestTimeout: .milliseconds(timeout))
    }

    /// `identifier_rules`: a platform raw value, `meta` by default.
    static func identifierRules(_ reader: inout SettingsReader) throws(DestinationConfigError) -> Platform {
        guard let text = try reader.string("identifier_rules") else { return .meta }
        guard let platform = Platform(rawValue: text) else {
            throw reader.invalid("identifier_rules", "must be one of \(Platform.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return platform
    }

    public func makeItem(_ event: ConversionEvent, identifiers: PreparedIdentifiers, consent: ConsentDecision, now: Timestamp) -> ItemOutcome {
        guard let item = GenericEventItem(event, identifiers: identifiers, consent: consent) else { return .skip(reason: "consent_suppressed") }
        return .item(item)
    }

    /// The signed batch; `batchID` is the `webhook-id`.
    public func makeRequest(items: [EncodedJSON], batchID: String, now: Timestamp) -> OutboundRequest {
        let payload = Body(type: Self.eventType, timestamp: now.rfc3339, data: Body.Data(events: items.map(JSONFragment.init)))
        // Strings and fragments: encoding cannot fail.
        let encoded = (try? JSONBytesEncoder.encode(payload, capacity: items.reduce(256) { $0 + $1.bytes.count + 1 })) ?? EncodedJSON(bytes: [])
        let body = encoded.bytes
        let timestamp = now.secondsSinceEpoch
        let signature = StandardWebhooksSigner.sign(key: key.bytes, id: batchID, timestamp: timestamp, body: body)
        return OutboundRequest(
            url: url,
            headers: [
                HeaderPair("content-type", "application/json"),
                HeaderPair("webhook-id", batchID),
                HeaderPair("webhook-timestamp", String(timestamp)),
                HeaderPair("webhook-signature", signature),
            ],
            body: encoded,
            auditURL: auditURL)
    }

    public func classify(_ reply: HTTPReply, itemCount: Int, now: Timestamp) -> DeliveryVerdict {
        let summary = ResponseSummary.make(body: reply.body, limit: 300)
        if (200..<300).contains(reply.status) { return .delivered }
        if reply.headers["webhook-delivery"]?.lowercased() == "abort-message" {
            return .deadLetter(
                DeadLetterReason(code: "receiver_aborted", message: "the receiver asked not to retry (HTTP \(reply.status))", platformCode: String(reply.status)))
        }
        if reply.status == 410 {
            return .authFailure(message: "HTTP 410 Gone: the receiver disabled this endpoint; fix the url, then resume the destination")
        }
        return DeliveryVerdict.classify(status: reply.status, retryAfter: reply.headers["retry-after"], bodySummary: summary, now: now)
    }
}

extension WebhookDestination {
    /// The body: `{"type": "conversions.batch", "timestamp": …, "data": {"events": [items]}}`.
    struct Body: Encodable {
        struct Data: Encodable {
            /// The items, as encoded once.
            let events: [JSONFragment]
        }

        /// Always `conversions.batch`.
        let type: String
        /// The attempt's time, RFC 3339 UTC.
        let timestamp: String
        let data: Data
    }
}

extension WebhookDestination: CustomStringConvertible {
    /// Names the destination and its receiver; never the secret.
    public var description: String { "WebhookDestination(\(name), \(auditURL))" }
}

/// URL text helpers for audit and log output.
enum URLText {
    /// `url` without `user:password@`, query and fragment: what may be logged.
    static func withoutCredentials(_ url: String) -> String {
        var text = Substring(url)
        if let cut = text.firstIndex(where: { $0 == "?" || $0 == "#" }) { text = text[..<cut] }
        guard let scheme = text.firstRange(of: "://") else { return String(text) }
        let authorityStart = scheme.upperBound
        let authorityEnd = text[authorityStart...].firstIndex(of: "/") ?? text.endIndex
        if let at = text[authorityStart..<authorityEnd].lastIndex(of: "@") {
            return String(text[..<authorityStart]) + String(text[text.index(after: at)...])
        }
        return String(text)
    }
}
