import Foundation

/// Text that looks like an e-mail address or a phone number, by the
/// published schema's own definition (`$defs/personal_text`, whose two
/// patterns are read from the embedded schema, so the bridge and the schema
/// cannot drift apart). Values the bridge stores and forwards in clear
/// (`custom_properties`, `attribution`) must not look like that.
public enum PersonalText {
    /// The schema's patterns, compiled once.
    static let patterns: [JSONSchema.Pattern] = {
        guard let document = try? JSONParser.parse(CanonicalEventSchema.text),
            let branches = document[path: "$defs", "personal_text", "anyOf"]?.arrayValue
        else { preconditionFailure("the embedded schema defines $defs/personal_text") }
        return branches.compactMap { branch in
            guard let source = branch["pattern"]?.stringValue, let regex = try? NSRegularExpression(pattern: source) else {
                preconditionFailure("$defs/personal_text holds compilable patterns")
            }
            return JSONSchema.Pattern(source: source, regex: regex)
        }
    }()

    /// The message of a value refused for looking personal (the schema's `x-message`).
    public static let message = "looks like an e-mail address or a phone number; personal data is never forwarded in clear"

    /// Whether `text` looks like an e-mail address (anywhere in it) or a phone number.
    public static func looksPersonal(_ text: String) -> Bool {
        // Neither pattern can match without an `@` or a digit: skip the regex for plain words.
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "@") || ($0 >= 0x30 && $0 <= 0x39) }) else { return false }
        return patterns.contains { $0.matches(text) }
    }
}
