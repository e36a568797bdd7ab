/// A browser-context field a platform may take: always in clear, except the
/// IP address for Reddit, which is hashed.
public enum ClientField: Hashable, Sendable, CustomStringConvertible {
    case ipAddress
    case userAgent
    case clickID(ClickIDKind)

    /// `ip_address`, `user_agent` or the click id's canonical key.
    public var description: String {
        switch self {
        case .ipAddress: "ip_address"
        case .userAgent: "user_agent"
        case .clickID(let kind): kind.rawValue
        }
    }
}

/// One identifier as a platform wants it on the wire.
public struct PreparedValue: Sendable, Hashable, CustomStringConvertible {
    /// The lowercase hex SHA-256 (hashed) or the normalized value (clear).
    public let wireValue: String
    /// Whether `wireValue` is a hash or the value in clear.
    public let encoding: WireEncoding

    /// Creates a prepared value.
    public init(wireValue: String, encoding: WireEncoding) {
        self.wireValue = wireValue
        self.encoding = encoding
    }

    /// True for a SHA-256 digest; false for a clear value, which is personal data.
    public var isHashed: Bool { encoding == .sha256 }

    /// Redacted: neither a clear value nor a digest belongs in a log line.
    public var description: String { "\(encoding.rawValue)(<redacted>)" }
}

/// One customer field's outcome for a platform.
public enum PreparedField: Sendable, Hashable {
    /// The value to send.
    case sent(PreparedValue)
    /// Not sent, with the reason (counted in reports).
    case dropped(DropReason)

    /// The value to send, or `nil` when dropped.
    public var value: PreparedValue? {
        if case .sent(let v) = self { return v }
        return nil
    }
}

/// Everything one event carries for one platform, ready for its destination:
/// customer fields hashed or in clear as the platform wants them (or why they
/// were dropped) and the browser fields the platform takes.
public struct PreparedIdentifiers: Sendable, Equatable {
    /// Whose rules were applied.
    public let platform: Platform
    /// Each customer field the source sent, prepared or dropped.
    public internal(set) var customer: [CustomerField: PreparedField]
    /// The browser fields this platform takes, as it takes them.
    public internal(set) var client: [ClientField: PreparedValue]

    /// Creates an empty set for `platform`.
    public init(platform: Platform) {
        self.platform = platform
        self.customer = [:]
        self.client = [:]
    }

    /// The prepared value of `field`, or `nil` when absent or dropped.
    public subscript(field: CustomerField) -> PreparedValue? { customer[field]?.value }

    /// The prepared value of a browser field, or `nil` when absent.
    public subscript(client field: ClientField) -> PreparedValue? { client[field] }

    /// The fields that were dropped and why (including `not_sent_to_platform`).
    public var dropped: [CustomerField: DropReason] {
        customer.compactMapValues { if case .dropped(let r) = $0 { r } else { nil } }
    }

    /// How many fields were dropped per reason.
    public var dropCounts: [DropReason: Int] {
        dropped.values.reduce(into: [:]) { $0[$1, default: 0] += 1 }
    }

    /// True when at least one customer or browser field will be sent.
    public var isEmpty: Bool { client.isEmpty && !customer.values.contains { $0.value != nil } }
}
