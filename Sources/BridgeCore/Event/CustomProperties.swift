/// One merchant-defined parameter value: a string, a number (its JSON text,
/// forwarded as written) or a boolean.
public enum CustomValue: Sendable, Hashable {
    case string(String)
    case number(String)
    case bool(Bool)
}

/// An event's `custom_properties`: up to 50 merchant-defined parameters,
/// forwarded where a platform takes custom parameters (Meta `custom_data`,
/// TikTok `properties`, GA4 event parameters, the webhook destination) and
/// nowhere else. Not personal data: the schema refuses a string that looks
/// like an e-mail address or a phone number (`PersonalText`), so they are
/// stored and forwarded in clear.
///
/// | limit | value | why |
/// |---|---|---|
/// | parameters | 50 | a bounded stored record; GA4 takes 25 per event (the rest are left out there) |
/// | name | a letter, then letters, digits, `_`; 40 characters | GA4's parameter-name rule, the strictest |
/// | reserved names | `google_…`, `ga_…`, `firebase_…` | reserved by GA4 |
/// | string value | 100 characters | GA4's parameter-value limit, the strictest |
/// | number value | between -10^15 and 10^15 | |
public struct CustomProperties: Sendable, Hashable {
    public static let maxCount = 50
    public static let maxNameLength = 40
    public static let maxStringLength = 100
    /// Name prefixes GA4 reserves.
    public static let reservedPrefixes = ["google_", "ga_", "firebase_"]

    /// By name.
    public var values: [String: CustomValue]

    public init(_ values: [String: CustomValue] = [:]) { self.values = values }

    public var isEmpty: Bool { values.isEmpty }

    /// The parameters in name order (the order they are stored and sent in).
    public var sorted: [(name: String, value: CustomValue)] {
        values.keys.sorted().map { ($0, values[$0]!) }
    }

    /// `^[A-Za-z][A-Za-z0-9_]{0,39}$`, not starting with a reserved prefix.
    public static func isValidName(_ name: String) -> Bool {
        let bytes = name.utf8
        guard let first = bytes.first, bytes.count <= maxNameLength, isLetter(first) else { return false }
        guard bytes.allSatisfy({ isLetter($0) || ($0 >= 0x30 && $0 <= 0x39) || $0 == UInt8(ascii: "_") }) else { return false }
        return !reservedPrefixes.contains { name.hasPrefix($0) }
    }

    private static func isLetter(_ byte: UInt8) -> Bool { (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) }

    /// The lowest and highest number value accepted.
    public static let numberBounds = (JSONDecimal("-1000000000000000")!, JSONDecimal("1000000000000000")!)

    /// Whether `value` may be stored and forwarded (the schema's `custom_value`).
    public static func isValid(_ value: CustomValue) -> Bool {
        switch value {
        case .bool: return true
        case .string(let text): return text.unicodeScalars.count <= maxStringLength && !PersonalText.looksPersonal(text)
        case .number(let text):
            guard let number = JSONDecimal(text) else { return false }
            return number >= numberBounds.0 && number <= numberBounds.1
        }
    }
}
