/// Why an event or batch was moved to the dead-letter queue instead of being
/// delivered: a stable machine code (a metrics label and a DLQ column), the
/// platform's own message and code when it gave one, and never personal data.
public struct DeadLetterReason: Sendable, Hashable, CustomStringConvertible {
    /// A stable snake_case code. The set is open: destinations may add their
    /// own (`Code("meta_policy_violation")`), but should prefer these.
    public struct Code: RawRepresentable, Sendable, Hashable, ExpressibleByStringLiteral, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public init(_ rawValue: String) { self.rawValue = rawValue }
        public init(stringLiteral value: String) { self.rawValue = value }
        public var description: String { rawValue }

        /// The platform rejected the content (HTTP 4xx other than auth and
        /// throttling, or a platform "invalid parameter" code).
        public static let invalidParameters: Code = "invalid_parameters"
        /// The event is older than the platform accepts; detected before sending
        /// or reported by the platform.
        public static let eventTooOld: Code = "event_too_old"
        /// The event time is further in the future than the platform tolerates.
        public static let eventInFuture: Code = "event_in_future"
        /// Retries stopped because the next attempt would pass the retry horizon.
        public static let retryHorizonExceeded: Code = "retry_horizon_exceeded"
        /// The platform refused the credentials (HTTP 401/403 or a platform auth
        /// code); the destination is paused as well.
        public static let authFailed: Code = "auth_failed"
        /// One event is larger than a whole request may be.
        public static let payloadTooLarge: Code = "payload_too_large"
    }

    /// The stable code.
    public var code: Code
    /// A short human explanation: the platform's message when there is one
    /// (already summarized: truncated, personal data redacted), else ours.
    public var message: String
    /// The platform's own error code, as text (`"100/2804003"`), when given.
    public var platformCode: String?
    /// When a platform refused a whole batch and named the bad event (TikTok
    /// `data[3]`, LinkedIn `Index: 3`), its index in the batch: the
    /// bisection tries the batch without it first (`BatchBisection`).
    public var suspectIndex: Int?

    public init(code: Code, message: String, platformCode: String? = nil, suspectIndex: Int? = nil) {
        self.code = code
        self.message = message
        self.platformCode = platformCode
        self.suspectIndex = suspectIndex
    }

    public var description: String {
        var text = code.rawValue
        if let platformCode { text += " (\(platformCode))" }
        return message.isEmpty ? text : text + ": " + message
    }
}
