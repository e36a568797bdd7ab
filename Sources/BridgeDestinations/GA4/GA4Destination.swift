import BridgeCore

/// The Google Analytics 4 Measurement Protocol: `POST
/// {base_url}/mp/collect?measurement_id=…&api_secret=…`
/// (`docs/destinations/ga4.md`).
///
/// One Measurement Protocol request carries **one user**: `client_id`,
/// `user_data`, `consent` and `timestamp_micros` sit at the request level,
/// and only `events` is a list (at most 25, all of that user). The bridge's
/// item is one event, from one buyer, so each item is a whole Measurement
/// Protocol body with a one-event `events` list, and `requestGroups` sends
/// each item as its own request (all of a claimed batch at once). The
/// pipeline still claims up to `max_events_per_request` events per batch.
///
/// Configuration keys (see `docs/destinations/ga4.md`):
///
/// | key | default | meaning |
/// |---|---|---|
/// | `measurement_id` | — | web stream: `G-…` (or `firebase_app_id` for an app stream; exactly one of the two) |
/// | `firebase_app_id` | — | app stream: events carry `app_instance_id` instead of `client_id` |
/// | `api_secret` | required | Measurement Protocol API secret, from the environment; only in the request URL |
/// | `region` | `global` | `eu` collects through `https://region1.google-analytics.com` |
/// | `base_url` | by `region` | for proxies and the mock endpoint |
/// | `validate_only` (or `debug`) | `false` | sends to the validation server `/debug/mp/collect`: nothing is recorded, `validationMessages` become dead letters; a test mode (`sendsToTestMode`) |
/// | `validation_behavior` | none | `RELAXED` or `ENFORCE_RECOMMENDATIONS` (Google recommends strict only while developing) |
/// | `debug_mode` | `false` | adds the `debug_mode: true` event parameter (DebugView; these events **are** recorded); a test mode (`sendsToTestMode`) |
/// | `send_refunds` | `true` | sends refunds as GA4's `refund` event |
/// | `transaction_id` | `event_id` | `event_id`: the bridge's event id (`docs/event-ids.md`; a refund refers to its sale's id); `order_id`: the merchant's order id |
/// | `max_events_per_request` | 25 | events claimed per batch (each still sent as its own request) |
/// | `max_bytes_per_request` | 128000 | GA4 takes bodies under 130 kB |
/// | `timeout_ms` | 5000 | |
///
/// The item is built in `GA4Destination+Payload.swift`, replies are read in
/// `GA4Destination+Classify.swift`.
public struct GA4Destination: Destination {
    public let name: String
    public var kind: String { "ga4" }
    public var platform: Platform { .ga4 }
    public let limits: DestinationLimits

    /// Which kind of stream the events go to.
    enum Stream: Sendable, Equatable {
        /// A web stream: `measurement_id`, events carry `client_id`.
        case web(measurementID: String)
        /// An app stream: `firebase_app_id`, events carry `app_instance_id`.
        case app(firebaseAppID: String)
    }

    let stream: Stream
    let apiSecret: SecretText
    let baseURL: String
    let validateOnly: Bool
    let validationBehavior: String?
    let debugMode: Bool
    let sendRefunds: Bool
    let transactionIDSource: TransactionIDSource
    /// The share of requests also sent to `/debug/mp/collect` (0: off).
    let validationSampleRate: Double

    /// Google's collection host.
    public static let defaultBaseURL = "https://www.google-analytics.com"
    /// The EU collection host (`region: eu`).
    public static let euBaseURL = "https://region1.google-analytics.com"
    /// GA4 takes `timestamp_micros` up to 72 hours in the past.
    public static let maxEventAgeSeconds: Int64 = 72 * 3600
    /// At most 25 events per request (one user's).
    public static let maxEvents = 25
    /// Bodies must stay under 130 kB; 128,000 bytes leaves room either way
    /// `kB` is read.
    public static let defaultMaxBytes = 128_000
    /// The documented `validation_behavior` values.
    public static let validationBehaviors: Set<String> = ["RELAXED", "ENFORCE_RECOMMENDATIONS"]

    static let knownKeys = [
        "measurement_id", "firebase_app_id", "api_secret", "region", "base_url", "validate_only", "debug", "validation_behavior",
        "debug_mode", "send_refunds", "transaction_id", "max_events_per_request", "max_bytes_per_request", "timeout_ms", "allow_insecure",
        "validation_sample_rate",
    ]

    /// Reads and validates the `ga4` keys.
    /// - Throws: `DestinationConfigError` naming the first missing, invalid or unknown key.
    public init(_ settings: DestinationSettings) throws(DestinationConfigError) {
        var reader = SettingsReader(settings)
        name = settings.name
        let measurementID = try reader.string("measurement_id")
        let firebaseAppID = try reader.string("firebase_app_id")
        switch (measurementID, firebaseAppID) {
        case (let id?, nil):
            guard id.hasPrefix("G-"), id.utf8.count > 2, !id.unicodeScalars.contains(where: { $0.properties.isWhitespace }) else {
                throw reader.invalid("measurement_id", "must be the web stream's measurement id, G-XXXXXXXXXX (not the stream id)")
            }
            stream = .web(measurementID: id)
        case (nil, let id?):
            guard !id.unicodeScalars.contains(where: { $0.properties.isWhitespace }) else {
                throw reader.invalid("firebase_app_id", "must be the Firebase app id of the app stream")
            }
            stream = .app(firebaseAppID: id)
        case (.some, .some):
            throw reader.invalid("firebase_app_id", "set either measurement_id (web stream) or firebase_app_id (app stream), not both")
        case (nil, nil):
            throw DestinationConfigError(
                code: .missingKey, destination: settings.name, keyPath: "measurement_id",
                message: "required: the web stream's measurement id (G-…), or firebase_app_id for an app stream")
        }
        apiSecret = SecretText(try reader.requiredString("api_secret", "the Measurement Protocol API secret, e.g. ${GA4_API_SECRET}"))
        let region = try reader.string("region")?.lowercased() ?? "global"
        guard ["global", "eu"].contains(region) else { throw reader.invalid("region", "must be global or eu") }
        baseURL = try reader.endpointURL("base_url") ?? (region == "eu" ? Self.euBaseURL : Self.defaultBaseURL)
        let validate = try reader.boolean("validate_only", default: false)
        let debug = try reader.boolean("debug", default: false)
        validateOnly = validate || debug
        validationBehavior = try reader.string("validation_behavior")?.uppercased()
        if let validationBehavior, !Self.validationBehaviors.contains(validationBehavior) {
            throw reader.invalid("validation_behavior", "must be RELAXED or ENFORCE_RECOMMENDATIONS")
        }
        debugMode = try reader.boolean("debug_mode", default: false)
        sendRefunds = try reader.boolean("send_refunds", default: true)
        transactionIDSource = try reader.transactionIDSource()
        let rate = try reader.string("validation_sample_rate")
        guard let parsedRate = rate.map({ Double($0) }) ?? 0, parsedRate.isFinite, (0...1).contains(parsedRate) else {
            throw reader.invalid("validation_sample_rate", "must be a number from 0 (off) to 1 (every request)")
        }
        validationSampleRate = parsedRate
        limits = try reader.limits(
            maxEvents: Self.maxEvents, defaultBytes: Self.defaultMaxBytes, bytesRange: 1024...129_999,
            eventAge: .fixed(seconds: Self.maxEventAgeSeconds))
        try reader.rejectUnknownKeys(known: Self.knownKeys)
    }

    /// The test modes of `docs/destinations/ga4.md`: the validation server
    /// (`validate_only`, nothing recorded) or DebugView (`debug_mode`, events
    /// recorded and marked as debug traffic). Either way test orders are then
    /// sent by default (the `send_test_events` key).
    public var sendsToTestMode: Bool { validateOnly || debugMode }

    /// `/mp/collect`, or the validation server's `/debug/mp/collect`.
    public var endpoint: String { baseURL + (validateOnly ? "/debug/mp/collect" : "/mp/collect") }

    /// The stream parameter (`measurement_id=…` or `firebase_app_id=…`): not a secret.
    var streamQuery: String {
        switch stream {
        case .web(let id): "measurement_id=" + QueryText.encode(id)
        case .app(let id): "firebase_app_id=" + QueryText.encode(id)
        }
    }

    /// The audit URL: the endpoint and stream, without `api_secret`.
    public var auditURL: String { endpoint + "?" + streamQuery }

    /// Each event in a request of its own: a request carries one user.
    public func requestGroups(itemCount: Int) -> [Range<Int>] {
        (0..<max(itemCount, 0)).map { $0..<($0 + 1) }
    }

    /// `POST {endpoint}?{measurement_id|firebase_app_id}=…&api_secret=…`
    /// with the item, as encoded by `makeItem`, as the body.
    ///
    /// Callers pass one item (see `requestGroups`). Given several, the body
    /// is the first item's envelope with every item's events, each carrying
    /// its own `timestamp_micros`: correct only when all items are of the
    /// same user, which the pipeline never assumes. The secret is only in
    /// `url`.
    public func makeRequest(items: [EncodedJSON], batchID: String, now: Timestamp) -> OutboundRequest {
        OutboundRequest(
            url: auditURL + "&api_secret=" + QueryText.encode(apiSecret.value),
            headers: [HeaderPair("content-type", "application/json")],
            body: items.count == 1 ? items[0] : Self.merged(items),
            auditURL: auditURL)
    }

    /// Several items under the first one's envelope, the slow way (never
    /// taken by the pipeline, which sends one item per request): parsed,
    /// merged by `body(for:)` and encoded again, every string equal to one of
    /// the items' clear values written as a clear value again.
    static func merged(_ items: [EncodedJSON]) -> EncodedJSON {
        let merged = body(for: items.compactMap { try? JSONParser.parse($0.bytes) })
        let clearValues = Set(items.flatMap { $0.clearSpans.map(\.value) })
        let item = JSONTreeItem(merged, clearPaths: clearPaths(in: merged, matching: clearValues))
        // A parsed tree always encodes.
        return (try? JSONBytesEncoder.encode(item)) ?? EncodedJSON(bytes: Array("{}".utf8))
    }

    /// One item as is; several merged under the first one's envelope.
    static func body(for items: [JSONValue]) -> JSONValue {
        guard items.count > 1, case .object(var envelope) = items[0] else { return items.first ?? .object(["events": .array([])]) }
        var events: [JSONValue] = []
        for item in items {
            for event in item["events"]?.arrayValue ?? [] {
                guard case .object(var members) = event else { continue }
                if members["timestamp_micros"] == nil, let micros = item["timestamp_micros"] { members["timestamp_micros"] = micros }
                events.append(.object(members))
            }
        }
        envelope["events"] = .array(events)
        return .object(envelope)
    }

    /// Where the strings equal to one of `values` sit in `tree`.
    static func clearPaths(in tree: JSONValue, matching values: Set<String>, at path: [String] = []) -> [JSONPointer] {
        switch tree {
        case .string(let text): return values.contains(text) ? [JSONPointer(path)] : []
        case .object(let members): return members.flatMap { clearPaths(in: $0.value, matching: values, at: path + [$0.key]) }
        case .array(let elements):
            return elements.enumerated().flatMap { clearPaths(in: $0.element, matching: values, at: path + [String($0.offset)]) }
        default: return []
        }
    }
}

extension GA4Destination: CustomStringConvertible {
    /// Names the destination and its endpoint; never the API secret.
    public var description: String { "GA4Destination(\(name), \(auditURL))" }
}
