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
    /// Where, inside one item, the values the platform takes in clear live
    /// (IP address, user agent, click ids): sealed at rest, replaced by keyed
    /// digests in the audit log.
    var clearFieldPaths: [JSONPointer] { get }
    /// Where the items sit inside `OutboundRequest.auditPayload`: a pointer to
    /// the array holding them (Meta `/data`, webhook `/data/events`, sandbox
    /// `/events`). With `clearFieldPaths` it tells the audit log which values
    /// of a whole request to replace by digests (`auditClearFieldPaths`).
    var auditItemsPointer: JSONPointer { get }

    /// One event's part of a request (Meta: one element of `data`), built
    /// from the prepared identifiers and the consent decision; or why this
    /// destination does not take the event.
    func makeItem(_ event: ConversionEvent, identifiers: PreparedIdentifiers, consent: ConsentDecision) -> ItemOutcome

    /// The request carrying `items` (already bounded by `limits`).
    /// - Parameters:
    ///   - batchID: unique per attempt group; used as an idempotency id where the platform has one.
    ///   - now: the send time.
    func makeRequest(items: [JSONValue], batchID: String, now: Timestamp) -> OutboundRequest

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
}

extension Destination {
    /// Live mode, unless the destination says otherwise.
    public var sendsToTestMode: Bool { false }

    /// One request for the whole batch.
    public func requestGroups(itemCount: Int) -> [Range<Int>] { itemCount > 0 ? [0..<itemCount] : [] }

    /// Items under `/data`, Meta's layout; destinations with another layout override it.
    public var auditItemsPointer: JSONPointer { JSONPointer(["data"]) }

    /// `clearFieldPaths` as pointers into `OutboundRequest.auditPayload`, with
    /// `*` standing for any item index: what `ClearFieldDigester(paths:)` takes.
    public var auditClearFieldPaths: [JSONPointer] {
        clearFieldPaths.map { JSONPointer(auditItemsPointer.tokens + ["*"] + $0.tokens) }
    }
}

/// What `makeItem` decided.
public enum ItemOutcome: Sendable, Equatable {
    /// Send this item.
    case item(JSONValue)
    /// This destination does not take the event (e.g. refunds disabled, no
    /// usable identifier): recorded as skipped with a reason code.
    case skip(reason: String)
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
    public var method: String
    public var url: String
    /// Headers, secrets included (never logged or audited).
    public var headers: [HeaderPair]
    public var body: [UInt8]
    /// The body as JSON, as sent, for the audit log (the caller replaces the
    /// clear fields by digests). Never contains credentials.
    public var auditPayload: JSONValue
    /// The URL without credentials, for logs and the audit log.
    public var auditURL: String

    public init(method: String = "POST", url: String, headers: [HeaderPair], body: [UInt8], auditPayload: JSONValue, auditURL: String) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.auditPayload = auditPayload
        self.auditURL = auditURL
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
