import BridgeCore

/// An ad platform (or any receiver) the bridge forwards conversions to. Pure:
/// it turns prepared events into a request and a reply into a verdict; the
/// pipeline does the I/O. Adding a platform means one file conforming to this
/// protocol and one line in `DestinationRegistry`.
public protocol Destination: Sendable {
    /// The configured name (`meta`, `sandbox`, …): labels, routes, store rows.
    var name: String { get }
    /// The configured kind (`meta`, `webhook`, `sandbox`, …).
    var kind: String { get }
    /// Whose identifier rules apply (normalization and hashing).
    var platform: Platform { get }
    /// Request size limits and the event-age window.
    var limits: DestinationLimits { get }

    /// One event's part of a request (Meta: one element of `data`), built
    /// from the event's clear part and browser context, the prepared
    /// identifiers and the consent decision; or why this destination does not
    /// take the event. Called when the event is prepared (to record a skip)
    /// and again when it is sent (to build the request), with the same inputs
    /// and so the same answer. Values the platform takes in clear (IP address,
    /// user agent, click ids, URLs) are `ClearText`, so the audit log records
    /// their digests.
    /// - Parameter now: the time of the call; event times later than it are
    ///   clamped where a platform refuses future times.
    func makeItem(_ event: ConversionEvent, identifiers: PreparedIdentifiers, consent: ConsentDecision, now: Timestamp) -> ItemOutcome

    /// The request carrying `items` (already bounded by `limits`), each
    /// encoded once by `JSONBytesEncoder`.
    /// - Parameters:
    ///   - batchID: unique per attempt group; used as an idempotency id where the platform has one.
    ///   - now: the send time.
    func makeRequest(items: [EncodedJSON], batchID: String, now: Timestamp) -> OutboundRequest

    /// What the reply means for the batch of `itemCount` items.
    func classify(_ reply: HTTPReply, itemCount: Int, now: Timestamp) -> DeliveryVerdict

    /// The OAuth token source of destinations that need one (default `nil`,
    /// see `AccessTokenIssuer.swift`). A requirement, not only an extension
    /// member, so the pipeline's `any Destination` sees a destination's own.
    var tokenIssuer: (any AccessTokenIssuer)? { get }

    /// `request` carrying the access token (default `Authorization: Bearer`).
    func authorizing(_ request: OutboundRequest, with token: String) -> OutboundRequest

    /// How a claimed batch is cut into HTTP requests, as consecutive index
    /// ranges covering `0..<itemCount`, each sent as one request (at the
    /// same time) and classified on its own. Most platforms take the whole
    /// batch in one request (the default); GA4's Measurement Protocol carries
    /// one user per request, so it sends one request per event while the
    /// store still claims and records events in batches.
    func requestGroups(itemCount: Int) -> [Range<Int>]

    /// True when requests go to the platform's test or validation mode (Meta
    /// `test_event_code`, Pinterest `test`, Snap's validate endpoint, …):
    /// test orders are then sent by default (the `send_test_events` key).
    var sendsToTestMode: Bool { get }

    /// What an answer says beyond its verdict, recorded per request (Meta:
    /// `events_received` differing from the events sent). Default: nothing.
    func diagnostics(of reply: HTTPReply, itemCount: Int) -> [DeliveryDiagnostic]

    /// How an accepted request's final status is looked up, for platforms
    /// that process asynchronously (Data Manager). Default `nil`.
    var confirmer: (any DeliveryConfirmer)? { get }

    /// How a sample of requests is also sent to a validation endpoint that
    /// records nothing (GA4 `/debug/mp/collect`). Default `nil`.
    var validationSampler: (any ValidationSampler)? { get }

    /// Where the platform publishes its own quality score for this
    /// destination (Meta Dataset Quality API, Pinterest EQS). Default `nil`.
    var scoreSource: (any PlatformScoreSource)? { get }
}

extension Destination {
    /// Live mode, unless the destination says otherwise.
    public var sendsToTestMode: Bool { false }

    /// One request for the whole batch.
    public func requestGroups(itemCount: Int) -> [Range<Int>] { itemCount > 0 ? [0..<itemCount] : [] }
}

/// One event's part of a platform's request: a payload type encoded by
/// `JSONBytesEncoder` (`MetaServerEvent`, `TikTokEvent`, …).
public protocol DestinationItem: Encodable, Sendable {}

extension DestinationItem {
    /// The item encoded once, as sent.
    /// - Throws: `EncodingError` (never for the project's payload types).
    public func encoded() throws -> EncodedJSON { try JSONBytesEncoder.encode(self) }

    /// The item as a JSON tree, for tests and inspection (holds clear values:
    /// never log it).
    public var json: JSONValue { (try? JSONParser.parse(encoded().bytes)) ?? .null }

    /// A member of `json`.
    public subscript(key: String) -> JSONValue? { json[key] }
}

/// What `makeItem` decided.
public enum ItemOutcome: Sendable, Equatable {
    /// Send this item.
    case item(any DestinationItem)
    /// This destination does not take the event (e.g. refunds disabled, no
    /// usable identifier): recorded as skipped with a reason code.
    case skip(reason: String)

    /// The item, or `nil` when skipped.
    public var item: (any DestinationItem)? {
        if case .item(let item) = self { return item }
        return nil
    }

    /// Items are equal when they encode to the same JSON.
    public static func == (lhs: ItemOutcome, rhs: ItemOutcome) -> Bool {
        switch (lhs, rhs) {
        case (.skip(let a), .skip(let b)): return a == b
        case (.item(let a), .item(let b)): return a.json == b.json
        default: return false
        }
    }
}

/// Size and age bounds of one destination.
public struct DestinationLimits: Sendable, Equatable {
    public var maxEventsPerRequest: Int
    public var maxBytesPerRequest: Int
    /// How old an event may be when sent (Meta: 7 days).
    public var maxEventAgeSeconds: Int64
    /// How far in the future an event time may be.
    public var maxFutureSkewSeconds: Int64
    /// The deadline of one request, from connecting to the last byte of the
    /// answer (the `timeout_ms` key); a timeout is retried.
    public var requestTimeout: Duration

    public init(
        maxEventsPerRequest: Int, maxBytesPerRequest: Int, maxEventAgeSeconds: Int64, maxFutureSkewSeconds: Int64 = 300,
        requestTimeout: Duration = .seconds(10)
    ) {
        self.maxEventsPerRequest = maxEventsPerRequest
        self.maxBytesPerRequest = maxBytesPerRequest
        self.maxEventAgeSeconds = maxEventAgeSeconds
        self.maxFutureSkewSeconds = maxFutureSkewSeconds
        self.requestTimeout = requestTimeout
    }
}

/// A request to send, described without doing I/O. `url` is `http(s)://…`
/// for HTTP destinations or `file://…` for the sandbox (the body's JSON lines
/// are appended to that file).
public struct OutboundRequest: Sendable, Equatable {
    /// How the body is laid out, for the audit log.
    public enum BodyFormat: Sendable, Equatable {
        /// One JSON document: audited as is.
        case json
        /// JSON lines (the sandbox): audited as one JSON array of the lines.
        case jsonLines
        /// Anything else (a token request's form body): never audited.
        case opaque
    }

    public var method: String
    public var url: String
    /// Headers, secrets included (never logged or audited).
    public var headers: [HeaderPair]
    /// The body as sent. Never contains credentials where a platform takes
    /// them elsewhere (headers, query).
    public var body: [UInt8]
    /// Where the values the platform takes in clear were written in `body`.
    public var clearSpans: [EncodedJSON.ClearSpan]
    public var bodyFormat: BodyFormat
    /// The URL without credentials, for logs and the audit log.
    public var auditURL: String

    /// A request with a JSON body encoded once (`JSONBytesEncoder`).
    public init(method: String = "POST", url: String, headers: [HeaderPair], body: EncodedJSON, format: BodyFormat = .json, auditURL: String) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body.bytes
        self.clearSpans = body.clearSpans
        self.bodyFormat = format
        self.auditURL = auditURL
    }

    /// A request whose body is not JSON (never audited).
    public init(method: String = "POST", url: String, headers: [HeaderPair], opaqueBody: [UInt8], auditURL: String) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = opaqueBody
        self.clearSpans = []
        self.bodyFormat = .opaque
        self.auditURL = auditURL
    }

    /// What the audit log records: the body's bytes with every clear value
    /// replaced by `digest(value)` (JSON lines joined into one array), or
    /// `nil` for an opaque body.
    public func auditBody(digest: (String) -> String) -> [UInt8]? {
        let digested = EncodedJSON(bytes: body, clearSpans: clearSpans).replacingClearValues(with: digest)
        switch bodyFormat {
        case .json: return digested
        case .opaque: return nil
        case .jsonLines:
            var out: [UInt8] = [UInt8(ascii: "[")]
            out.reserveCapacity(digested.count + 2)
            for (index, line) in digested.split(separator: 0x0A).enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                out.append(contentsOf: line)
            }
            out.append(UInt8(ascii: "]"))
            return out
        }
    }

    /// The body parsed as JSON (tests and inspection; holds clear values).
    public var json: JSONValue {
        guard let parsed = auditBody(digest: { $0 }).flatMap({ try? JSONParser.parse($0) }) else { return .null }
        return parsed
    }
}

/// One header field.
public struct HeaderPair: Sendable, Equatable {
    public var name: String
    public var value: String
    public init(_ name: String, _ value: String) {
        self.name = name
        self.value = value
    }
}

/// A reply as the sender received it.
public struct HTTPReply: Sendable, Equatable {
    public var status: Int
    /// Header names lower-cased.
    public var headers: [String: String]
    public var body: [UInt8]

    public init(status: Int, headers: [String: String] = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}
