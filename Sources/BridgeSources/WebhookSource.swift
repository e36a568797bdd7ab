import BridgeCore

/// A webhook sender the bridge understands: verifies a request's signature over
/// the raw bytes and maps its payload to canonical events. Pure: no I/O, no
/// clock (the caller passes `now`).
public protocol WebhookSource: Sendable {
    /// The configured source name (the route `POST /v1/webhooks/{name}`).
    var name: String { get }

    /// Verifies and maps one request.
    /// - Parameters:
    ///   - request: headers and raw body.
    ///   - now: the current time, for timestamp tolerance.
    /// - Throws: `SourceError.signature` before anything is parsed when the
    ///   request is not authentic; `SourceError.payload` when it is authentic but
    ///   unusable.
    func handle(_ request: WebhookRequest, now: Timestamp) throws(SourceError) -> WebhookOutcome
}

/// What every adapter is configured with.
public struct SourceSettings: Sendable {
    /// Configured name, also the scope of its idempotency keys and event ids.
    public var name: String
    /// Active secrets, all tried (rotation). Their format is the source's own.
    public var secrets: [String]
    /// How far a signed timestamp may be from now, where the scheme signs one.
    public var toleranceSeconds: Int64
    /// Source-specific options from the YAML (`count_financial_statuses`, …).
    public var options: [String: [String]]
    /// Refuse canonical events carrying properties the schema does not
    /// declare (`strict: true`) instead of ignoring them (sources that post
    /// canonical events: `standard-webhooks`).
    public var strict: Bool

    public init(name: String, secrets: [String], toleranceSeconds: Int64 = 300, options: [String: [String]] = [:], strict: Bool = false) {
        self.name = name
        self.secrets = secrets
        self.toleranceSeconds = toleranceSeconds
        self.options = options
        self.strict = strict
    }
}
