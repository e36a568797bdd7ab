/// Why a delivery policy refused its settings (retry, breaker, rate limit,
/// batch or alert configuration). Each case names the setting in snake_case
/// (`retry_cap`, `batch_max_bytes`) so the config loader can point the
/// operator at the key to change.
public enum DeliveryPolicyError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A setting that must be greater than zero was zero or negative.
    case notPositive(setting: String)
    /// A setting outside the range it accepts, with that range in words.
    case outOfRange(setting: String, allowed: String)

    public var description: String {
        switch self {
        case .notPositive(let setting): return "\(setting) must be greater than zero"
        case .outOfRange(let setting, let allowed): return "\(setting) must be \(allowed)"
        }
    }
}
