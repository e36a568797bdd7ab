/// Durations written in the configuration as a whole number and a unit:
/// `45s`, `90m`, `6h`, `2d` (`min` is accepted for minutes too).
public enum ConfigDuration {
    /// The duration `text` names; `nil` when it is not `<digits><unit>` or not above zero.
    public static func parse(_ text: String) -> Duration? {
        let trimmed = text.filter { $0 != " " }
        let digits = trimmed.prefix { $0.isASCII && $0.isNumber }
        let unit = trimmed.dropFirst(digits.count)
        guard !digits.isEmpty, digits.count <= 9, let amount = Int64(digits), amount > 0 else { return nil }
        switch unit {
        case "s": return .seconds(amount)
        case "m", "min": return .seconds(amount * 60)
        case "h": return .seconds(amount * 3600)
        case "d": return .seconds(amount * 86_400)
        default: return nil
        }
    }

    /// What `parse` accepts, for messages.
    public static let expected = "a whole number and a unit, e.g. 45s, 90m, 6h or 2d"
}
