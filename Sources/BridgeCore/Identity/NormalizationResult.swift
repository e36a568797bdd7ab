/// The outcome of normalizing one identifier for one platform: the
/// normalized, not yet hashed string, or why it was dropped.
public enum NormalizationResult: Sendable, Hashable, CustomStringConvertible {
    /// The normalized value, ready to hash (or to send in clear where the
    /// platform wants it so). A 64-hex input appears here lowercased, as is.
    case value(String)
    /// The value is not sent; the reason is counted.
    case dropped(DropReason)

    /// The normalized value, or `nil` when dropped.
    public var value: String? {
        if case .value(let v) = self { return v }
        return nil
    }

    /// The drop reason, or `nil` when there is a value.
    public var dropReason: DropReason? {
        if case .dropped(let r) = self { return r }
        return nil
    }

    /// Redacted: a normalized identifier is still personal data.
    public var description: String {
        switch self {
        case .value: "value(<redacted>)"
        case .dropped(let reason): "dropped(\(reason.rawValue))"
        }
    }
}
